"""The checkpoint registry form. It validates; checkpoints.services writes."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.regions.models import Level, Region

from .models import CheckpointStatus, CheckpointType

RESERVED_CODES = {"new"}


class CheckpointForm(forms.Form):
    code = forms.SlugField(
        label=_("编号"), max_length=40,
        help_text=_("字母、数字和连字符，如 jishou-east；建立后不再更改"),
    )  # fmt: skip
    name = forms.CharField(label=_("名称"), max_length=100)
    type = forms.ChoiceField(label=_("类型"), choices=CheckpointType.choices)
    region = forms.ChoiceField(label=_("所在地"))
    address = forms.CharField(label=_("位置"), max_length=200, required=False)
    leads_to = forms.CharField(
        label=_("连接方向"), max_length=100, required=False, help_text=_("如 重庆秀山、湖北来凤")
    )
    status = forms.ChoiceField(label=_("状态"), choices=CheckpointStatus.choices)
    staff_on_duty = forms.CharField(label=_("在岗人员"), max_length=200, required=False)
    samples_on_site = forms.BooleanField(label=_("设临时采样点"), required=False)

    def __init__(self, *args, scope: str, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(
            code__startswith=scope, level__in=(Level.COUNTY, Level.TOWNSHIP)
        ).order_by("code")
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            (r.code, ("　" if r.level == Level.TOWNSHIP else "") + r.name) for r in regions
        ]
        if editing:
            del self.fields["code"]

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        if code in RESERVED_CODES:
            raise forms.ValidationError(_("该编号为系统保留，请换一个"))
        return code
