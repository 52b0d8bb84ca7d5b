"""How a division's name is written in an address (Region.short_name).

The statistics bureau lists the body that governs a place, not the place: a village appears
as "东门村村民委员会" or "三段村委会", a neighbourhood as "光明社区居民委员会", a street
office as "保康街道办事处". People write "东门村", "三段村", "光明社区", "保康街道".
"""

import re

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
            # Residents' committees: the stem is the name people use, with its own
            # "社区" if it has one ("光明社区居委会" → "光明社区", "南关居委会" → "南关").
            ("居民管理委员会", ""),
            ("居民委员会", ""),
            ("居民委会", ""),
            ("居委会", ""),
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


def short_name_for(name: str) -> str:
    """The name as written in an address; "" for grouping units an address leaves out.

    The rule, applied once, in order:
    1. Trim spaces and drop bracketed notes at the end: "通津桥居委会（社区）" → "通津桥居委会".
    2. "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划" → "" (not written).
    3. Mend the doubled "会会" found in a few rows: "安子里村委会会" → "安子里村委会".
    4. Replace the longest matching committee suffix:
       - villagers' committee (村民委员会, 村委会, 村民委会) → "村", unless the stem already
         ends with 村, 社区 or 嘎查: "东门村村民委员会" → "东门村", "座细村民委员会" → "座细村",
         "西泉头社区村民委员会" → "西泉头社区", "希勃图嘎查村民委员会" → "希勃图嘎查";
       - residents' committee (居民委员会, 居委会, 居民委会, 居民管理委员会) → dropped, so
         "光明社区居民委员会" → "光明社区", "芙蓉社区居委会" → "芙蓉社区", "南关居委会" → "南关";
       - any other committee (牧委会, 渔委会, 管理委员会, 管委会, 委员会, 委会) → dropped:
         "经济开发区管委会" → "经济开发区", "沿江路社区委员会" → "沿江路社区";
       - "街道办事处" → "街道".
    5. Anything else is already written as people write it: "石羔街道", "龙山县", "梭西村".
    A name that is nothing but a suffix ("村委会") keeps its full form.
    """
    name = _TRAILING_NOTES.sub("", name.strip()) or name.strip()
    if name in _PSEUDO_UNITS:
        return ""
    if name.endswith("会会"):
        name = name[:-1]
    for suffix, replacement in _SUFFIX_RULES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if replacement == "村" and stem.endswith(_SETTLEMENT_WORDS):
                return stem
            return stem + replacement
    return name
