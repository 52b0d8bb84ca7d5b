"""Ethnic groups in the order of GB/T 3304-1991 (codes 01–56), plus its 97 and 98 entries.

The values are stored and matched in Chinese (as the spreadsheets write them); they are marked
for the catalogue here and translated only where a page shows them (`ethnic_group_label`).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

ETHNIC_GROUPS = [
    _("汉族"), _("蒙古族"), _("回族"), _("藏族"), _("维吾尔族"), _("苗族"), _("彝族"),
    _("壮族"), _("布依族"), _("朝鲜族"), _("满族"), _("侗族"), _("瑶族"), _("白族"),
    _("土家族"), _("哈尼族"), _("哈萨克族"), _("傣族"), _("黎族"), _("傈僳族"), _("佤族"),
    _("畲族"), _("高山族"), _("拉祜族"), _("水族"), _("东乡族"), _("纳西族"), _("景颇族"),
    _("柯尔克孜族"), _("土族"), _("达斡尔族"), _("仫佬族"), _("羌族"), _("布朗族"), _("撒拉族"),
    _("毛南族"), _("仡佬族"), _("锡伯族"), _("阿昌族"), _("普米族"), _("塔吉克族"), _("怒族"),
    _("乌孜别克族"), _("俄罗斯族"), _("鄂温克族"), _("德昂族"), _("保安族"), _("裕固族"),
    _("京族"), _("塔塔尔族"), _("独龙族"), _("鄂伦春族"), _("赫哲族"), _("门巴族"), _("珞巴族"),
    _("基诺族"),
    _("其他"), _("外国血统中国籍人士"),
]  # fmt: skip

ETHNIC_GROUP_SET = frozenset(ETHNIC_GROUPS)


def ethnic_group_label(value: str) -> str:
    """The stored (Chinese) name in the reader's language; empty stays empty."""
    return gettext(value) if value else ""


def ethnic_group_choices() -> list[tuple[str, str]]:
    """The form's choices, in the reader's language (a callable: evaluated per form)."""
    return [("", "—")] + [(e, gettext(e)) for e in ETHNIC_GROUPS]
