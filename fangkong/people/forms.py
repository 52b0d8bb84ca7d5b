"""Forms that read the registry's pages. They parse input; services validate and save."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.errors import ValidationFailed
from fangkong.core.identity import DocumentType
from fangkong.regions.models import Level, Region

from .ethnic_groups import ethnic_group_choices
from .models import Sex
from .services import DEFAULT_REVEAL_FIELDS, REVEALABLE_FIELDS

REVEAL_LABELS = {
    "name": _("姓名"),
    "document_number": _("证件号码"),
    "phone": _("手机号"),
    "household_address": _("户籍地址"),
    "current_address": _("现住址"),
}
# Shown blank when editing, so that opening the form discloses nothing; blank keeps the value.
IDENTIFYING_FIELDS = ("name", "document_number", "phone", "household_address", "current_address")


def region_choices(regions: list[Region]) -> list[tuple[str, str]]:
    top = min((r.level for r in regions), default=Level.VILLAGE)
    return [(r.code, "\u3000" * (r.level - top) + r.name) for r in regions]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("姓名、证件号码或手机号"),
        required=False,
        max_length=60,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("姓名、证件号码或手机号")}
        ),
    )
    region = forms.ChoiceField(label=_("区划"), required=False)

    def __init__(self, *args, regions: list[Region], **kwargs):
        super().__init__(*args, **kwargs)
        region = cast(forms.ChoiceField, self.fields["region"])
        region.choices = [("", _("全部辖区")), *region_choices(regions)]


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60)
    document_type = forms.ChoiceField(
        label=_("证件类型"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(
        label=_("证件号码"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    sex = forms.ChoiceField(
        label=_("性别"),
        required=False,
        choices=[("", _("按身份证号自动识别"))] + [c for c in Sex.choices if c[0]],
    )
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("居民身份证可不填，按证件号码自动识别"),
    )
    ethnic_group = forms.ChoiceField(label=_("民族"), required=False, choices=ethnic_group_choices)
    phone = forms.CharField(
        label=_("手机号"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    household_address = forms.CharField(label=_("户籍地址"), required=False, max_length=200)
    current_address = forms.CharField(label=_("现住址"), required=False, max_length=200)
    region = forms.ChoiceField(label=_("现住地区划"))

    def __init__(self, *args, regions: list[Region], editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = region_choices(regions)
        if editing is not None:
            self._leave_identifying_fields_blank(editing)

    def _leave_identifying_fields_blank(self, person) -> None:
        masked = {
            "name": person.masked_name,
            "document_number": person.masked_document,
            "phone": person.masked_phone,
        }
        for field in IDENTIFYING_FIELDS:
            self.fields[field].required = False
            self.fields[field].widget.attrs["placeholder"] = masked.get(field) or _("留空则不修改")
            self.fields[field].help_text = _("留空则保持原值")

    def add_service_errors(self, exc: ValidationFailed) -> None:
        for field, messages in exc.errors.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("查看用途"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：电话核实行程")}),
    )
    show = forms.MultipleChoiceField(
        label=_("查看内容"),
        required=False,
        choices=[(f, REVEAL_LABELS[f]) for f in REVEALABLE_FIELDS],
        initial=list(DEFAULT_REVEAL_FIELDS),
        widget=forms.CheckboxSelectMultiple,
    )

    def add_service_errors(self, exc: ValidationFailed) -> None:
        for field, messages in exc.errors.items():
            target = {"fields": "show"}.get(field, field)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)
