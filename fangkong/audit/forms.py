"""Filter bars of the audit logs; they parse the query string into selector filters."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.regions.models import Level, Region

from .models import AccessKind
from .selectors import AccessFilters, ChangeFilters

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _region_choices(regions: list[Region]) -> list[tuple[str, StrOrPromise]]:
    top = min((r.level for r in regions), default=Level.VILLAGE)
    return [("", _("全部辖区"))] + [(r.code, "\u3000" * (r.level - top) + r.name) for r in regions]


class EntryFilterForm(forms.Form):
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=_DATE)
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=_DATE)
    user = forms.CharField(label=_("用户"), required=False, max_length=50)
    region = forms.ChoiceField(label=_("区划"), required=False)

    def __init__(self, *args, regions: list[Region], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = _region_choices(regions)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return cleaned

    def _common(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "user": data.get("user", ""),
            "region": data.get("region", ""),
        }


class ChangeFilterForm(EntryFilterForm):
    action = forms.CharField(
        label=_("操作"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": "people.person"}),
    )
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=80)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)

    def filters(self) -> ChangeFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ChangeFilters(
            **self._common(),
            action=data.get("action", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", ""),
        )


class AccessFilterForm(EntryFilterForm):
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部"))] + AccessKind.choices
    )
    person = forms.IntegerField(label=_("人员编号"), required=False, min_value=1)

    def filters(self) -> AccessFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AccessFilters(
            **self._common(), kind=data.get("kind", ""), person_id=data.get("person")
        )
