"""Assigning a record to the lowest region its address names.

People write addresses the way they speak: "吉首市矮寨镇德夯村3组", "龙山洛塔泽果村", never
"德夯村村民委员会". The matcher is built once per import from the home city's tree and keeps,
per level, one regular expression of every way a place is written (official name, address
name, and for counties and townships the stem without 市/县/镇/乡/街道). Villages are looked
for only inside the matched township (village names repeat across townships), or inside the
matched county when no township is named and the name is unique there. The region code in
an ID number is where the card was first issued, not where the person lives: never used.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from fangkong.regions.models import Level, Region

_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
CACHE_SIZE = 200_000
_STEM_SUFFIXES = ("街道办事处", "街道", "土家族苗族自治县", "自治县", "镇", "乡", "县", "市", "区")


def _spellings(region: Region) -> set[str]:
    names = {region.name, region.short_name} - {""}
    if region.level in (Level.COUNTY, Level.TOWNSHIP):
        for name in list(names):
            for suffix in _STEM_SUFFIXES:
                stem = name[: -len(suffix)]
                if name.endswith(suffix) and len(stem) >= 2:
                    names.add(stem)
                    break
    return names


def _pattern(regions: list[Region]) -> tuple[re.Pattern | None, dict[str, list[str]]]:
    by_spelling: dict[str, list[str]] = defaultdict(list)
    for region in regions:
        for spelling in _spellings(region):
            by_spelling[spelling].append(region.code)
    if not by_spelling:
        return None, {}
    return re.compile(trie_pattern(by_spelling)), dict(by_spelling)


def trie_pattern(words) -> str:
    """A regular expression matching any of the words, longest first, shaped as a trie so
    the engine branches on one character at a time instead of trying every name in turn
    (a flat alternation of two hundred village names costs ~100 µs per address)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    branches = [
        re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return "(?:" + body + ")?"
    return body


@dataclass
class _Level:
    pattern: re.Pattern | None
    codes: dict[str, list[str]]

    def find(self, text: str) -> str | None:
        """The one region named in the text; None when none or an ambiguous name is found."""
        if self.pattern is None:
            return None
        for match in self.pattern.finditer(text):
            codes = self.codes[match.group(0)]
            if len(codes) == 1:
                return codes[0]
        return None


class AddressMatcher:
    def __init__(self, city_code: str | None = None):
        self.city_code = city_code or settings.HOME_CITY_CODE
        regions = list(
            Region.objects.filter(code__startswith=self.city_code, level__gt=Level.CITY).only(
                "code", "name", "short_name", "level", "parent_id"
            )
        )
        children: dict[str | None, list[Region]] = defaultdict(list)
        for region in regions:
            children[region.parent_id].append(region)
        self.counties = _Level(*_pattern(children[self.city_code]))
        townships = [r for r in regions if r.level == Level.TOWNSHIP]
        self.all_townships = _Level(*_pattern(townships))
        self.townships_in = {
            code: _Level(*_pattern(children[code])) for code in {r.parent_id for r in townships}
        }
        villages = [r for r in regions if r.level == Level.VILLAGE]
        self.villages_in = {
            code: _Level(*_pattern(children[code])) for code in {r.parent_id for r in villages}
        }
        by_county: dict[str | None, list[Region]] = defaultdict(list)
        for village in villages:
            by_county[village.code[:6]].append(village)
        self.villages_in_county = {code: _Level(*_pattern(v)) for code, v in by_county.items()}
        # No place name holds a digit, so no match spans one: house numbers can be folded
        # away and the lists' many "3组45号" spellings of one village matched once.
        self.fold_digits = not any(
            _DIGIT.search(spelling) for region in regions for spelling in _spellings(region)
        )
        self.cache: dict[str, str] = {}

    def cached_match(self, address: str) -> str:
        """match(), once per distinct address (digits folded when no place name has one)."""
        key = _DIGITS.sub("0", address) if self.fold_digits else address
        code = self.cache.get(key)
        if code is None:
            if len(self.cache) >= CACHE_SIZE:
                self.cache.clear()
            code = self.cache[key] = self.match(address)
        return code

    def match(self, address: str) -> str:
        """The code of the lowest region named (the city itself when none is)."""
        if not address:
            return self.city_code
        county = self.counties.find(address)
        if county is not None:
            township = self._find_in(self.townships_in, county, address)
        else:
            township = self.all_townships.find(address)
            if township is not None:
                county = township[:6]
        if township is not None:
            village = self._find_in(self.villages_in, township, address)
            return village or township
        if county is not None:
            return self._find_in(self.villages_in_county, county, address) or county
        return self.city_code

    @staticmethod
    def _find_in(levels: Mapping[str | None, _Level], parent: str, text: str) -> str | None:
        level = levels.get(parent)
        return level.find(text) if level is not None else None


LEVEL_NAMES = {12: "village", 9: "township", 6: "county"}


def level_name(code: str) -> str:
    return LEVEL_NAMES.get(len(code), "unassigned")
