"""How a division's name is written in an address (Region.short_name).

The statistics bureau lists the body that governs a place, not the place: a village appears
as "东门村村民委员会" or "三段村委会", a neighbourhood as "光明社区居民委员会", a street
office as "保康街道办事处". People write "东门村", "三段村", "光明社区", "保康街道".
"""

import re

from .models import Level

_TOWNSHIP = Level.TOWNSHIP

# Notes in brackets at the end add nothing to an address: "座细村民委员会（农村社区）",
# "迎新村委会（长春工业经济开发区）（省级）".
_TRAILING_NOTES = re.compile(r"(?:\s*[（(][^（）()]*[）)])+$")

# Statistical grouping units, not places: the address skips them ("北京市东城区", never
# "北京市市辖区东城区").
_PSEUDO_UNITS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

# Settlement words a stem may already end with; "村" is then not added a second time.
_SETTLEMENT_WORDS = ("村", "社区", "嘎查")

# (suffix, what replaces it), longest first so that "居民管理委员会" wins over "委员会".
_SUFFIX_RULES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        [
            # Villagers' committees stand for the village: "X村民委员会" → "X村".
            ("村民委员会", "村"),
            ("村民委会", "村"),
            ("村委会", "村"),
            ("村民委员", "村"),
            ("村委员", "村"),
            # Residents' committees: the stem is the name people use, with its own
            # "社区" if it has one ("光明社区居委会" → "光明社区", "南关居委会" → "南关").
            ("居民管理委员会", ""),
            ("居民委员会", ""),
            ("居民委会", ""),
            ("居委会", ""),
            ("居民委员", ""),
            ("居委", ""),
            # Herders' and fishers' committees, development-zone management committees and
            # any other committee: the stem names the place.
            ("牧民委员会", ""),
            ("牧委会", ""),
            ("渔委会", ""),
            ("管理委员会", ""),
            ("管委会", ""),
            ("委员会", ""),
            ("委会", ""),
            # A street office is the street: "保康街道办事处" → "保康街道".
            ("街道办事处", "街道"),
        ],
        key=lambda rule: -len(rule[0]),
    )
)


def short_name_for(name: str, level: int) -> str:
    """The name as written in an address; "" for grouping units an address leaves out.

    The rule, in order:
    1. "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划" → "" (not written).
    2. Provinces, cities and counties keep their official names ("湘西土家族苗族自治州",
       "大柴旦行政委员会"): those are the names people write.
    3. For townships and villages, a committee suffix is replaced (the longest that matches),
       after dropping bracketed notes that follow it ("座细村民委员会（农村社区）") and
       mending the doubled "会会" of a few rows ("安子里村委会会"):
       - villagers' committee (村民委员会, 村委会, 村民委会, and the clipped 村民委员
         and 村委员) → "村", unless the stem already ends with 村, 社区 or 嘎查:
         "东门村村民委员会" → "东门村", "座细村民委员会" → "座细村",
         "西泉头社区村民委员会" → "西泉头社区", "希勃图嘎查村民委员会" → "希勃图嘎查";
       - residents' committee (居民委员会, 居委会, 居民委会, 居民管理委员会, and the clipped
         居民委员 and 居委) → dropped: "光明社区居民委员会" → "光明社区",
         "芙蓉社区居委会" → "芙蓉社区", "南关居委会" → "南关";
       - any other committee (牧委会, 渔委会, 管理委员会, 管委会, 委员会, 委会) → dropped:
         "经济开发区管委会" → "经济开发区", "沿江路社区委员会" → "沿江路社区";
       - "街道办事处" → "街道".
       A dropped suffix may uncover another, which goes too: "海湾社区居委委员会" → "海湾社区".
    4. Anything else is already written as people write it, brackets included: "石羔街道",
       "梭西村", "经济开发区（马棚街道）". A name that is only a suffix ("村委会") stays whole.
    """
    name = name.strip()
    if name in _PSEUDO_UNITS:
        return ""
    if level < _TOWNSHIP:
        return name
    bare = _TRAILING_NOTES.sub("", name)
    if bare.endswith("会会"):
        bare = bare[:-1]
    stripped = _strip_committee(bare)
    return name if stripped == bare else stripped


def _strip_committee(name: str) -> str:
    for suffix, replacement in _SUFFIX_RULES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if not stem:
                return name
            if replacement == "村" and stem.endswith(_SETTLEMENT_WORDS):
                return stem
            if replacement:
                return stem + replacement
            # A dropped committee may hide another one: "海湾社区居委委员会".
            return _strip_committee(stem)
    return name
