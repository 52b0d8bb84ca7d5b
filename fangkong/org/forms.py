"""Forms of the command organisation pages. They validate input; services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import UnitKind
from .services import split_departments

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _unit_label(unit) -> str:
    return _("%(name)s（%(detail)s）") % {"name": unit.name, "detail": unit.region.name}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class DepartmentsField(forms.CharField):
    """A textarea of department names, one a line, cleaned to a list."""

    widget = forms.Textarea(attrs={"rows": 5})

    def clean(self, value):
        return split_departments(super().clean(value))


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    duties = forms.CharField(
        label=_("主要职责"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reports_daily = forms.BooleanField(
        label=_("须每日向综合组报告"),
        required=False,
        help_text=_("特护期内每天报告工作开展情况，无新情况也须零报告"),
    )
    sort_order = forms.IntegerField(
        label=_("排序"), min_value=0, max_value=32767, initial=0, help_text=_("数字小的排在前面")
    )
    lead_unit = forms.CharField(
        label=_("组长单位"),
        required=False,
        max_length=100,
        help_text=_("每个工作组有且只有一个组长单位，如 州卫生健康委"),
    )
    member_units = DepartmentsField(
        label=_("成员单位"),
        required=False,
        help_text=_("每行一个单位；删去一行即移出该成员单位"),
    )


class UnitCreateForm(UnitEditForm):
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    parent = forms.TypedChoiceField(
        label=_("上级指挥部"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("工作组、综合组和工作专班须选择所属指挥部"),
    )
    region = forms.ChoiceField(
        label=_("所属区划"),
        required=False,
        help_text=_("仅新设指挥部时选择；其他单位随上级指挥部"),
    )

    field_order = ["kind", "parent", "region", "name", "lead_unit", "member_units", "duties"]

    def __init__(self, *args, parents, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("（无，新设最上级指挥部）"))] + [
            (u.pk, _unit_label(u)) for u in parents
        ]
        top = min((r.level for r in regions), default=0)
        # Indent by level so that the tree reads in a plain select.
        self.fields["region"].choices = [("", "—")] + [
            (r.code, "\u3000" * (r.level - top) + r.name) for r in regions
        ]


class DutyForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("值班单位"), coerce=int)
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=DateTimeLocalInput(),
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=DateTimeLocalInput(),
    )
    leader = forms.TypedChoiceField(label=_("带班领导"), coerce=int)
    officer = forms.TypedChoiceField(label=_("值班员"), coerce=int)
    phone = forms.CharField(
        label=_("值班电话"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, units, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, _unit_label(u)) for u in units]
        people = [("", "—")] + [(c.user.pk, c.label) for c in candidates]
        self.fields["leader"].choices = people
        self.fields["officer"].choices = people


class DutyFilterForm(forms.Form):
    date = forms.DateField(
        label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("全部单位"))] + [
            (u.pk, _unit_label(u)) for u in units
        ]
