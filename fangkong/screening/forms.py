from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.categories import PersonCategory

from .models import Outcome, Source
from .rows import SYNONYMS

FIELD_LABELS = {
    "name": _("姓名"),
    "document_type": _("证件类型"),
    "document_number": _("证件号码"),
    "phone": _("手机号"),
    "address": _("现住址"),
    "source_place": _("来源地"),
    "arrived_at": _("抵达时间"),
    "health_code": _("健康码"),
    "note": _("备注"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("名单文件"), help_text=_("支持 .xlsx、.xls、.csv（UTF-8 或 GBK）")
    )
    category = forms.ChoiceField(label=_("人员类别"), choices=PersonCategory.choices)
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices, initial=Source.PROVINCE)
    deadline_hours = forms.IntegerField(
        label=_("反馈时限（小时）"), required=False, min_value=1, max_value=240
    )
    expected_rows = forms.IntegerField(label=_("来文所述人数"), required=False, min_value=0)
    allow_duplicate = forms.BooleanField(label=_("允许重复导入同一文件"), required=False)


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("核查结果"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    measure = forms.CharField(label=_("管控措施"), required=False, max_length=100)
    place = forms.CharField(label=_("管控地点"), required=False, max_length=200)
    destination = forms.CharField(label=_("所在/去向（市、县）"), required=False, max_length=200)
    note = forms.CharField(label=_("备注"), required=False, max_length=300)


class CorrectionForm(forms.Form):
    """A row needing correction: a field left blank keeps what the sender wrote."""

    name = forms.CharField(label=_("姓名"), required=False, max_length=60)
    document_number = forms.CharField(label=_("证件号码"), required=False, max_length=40)
    phone = forms.CharField(label=_("手机号"), required=False, max_length=30)
    arrived_at = forms.DateTimeField(
        label=_("抵达时间"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class CloseInvalidForm(forms.Form):
    note = forms.CharField(label=_("原因"), max_length=300)


def mapping_form(labels: list[str]) -> type[forms.Form]:
    choices = [("", _("不导入"))] + [(k, FIELD_LABELS[k]) for k in SYNONYMS]
    fields = {
        f"col_{i}": forms.ChoiceField(label=label, choices=choices, required=False)
        for i, label in enumerate(labels)
    }
    return type("MappingForm", (forms.Form,), fields)


MEASURES = [_("集中隔离"), _("居家隔离"), _("居家健康监测"), _("日常健康监测"), _("核酸检测")]
