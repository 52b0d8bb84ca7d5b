"""Reporting periods: the comprehensive group names the period, its units and the cut-off."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core.decorators import actor_required
from fangkong.core.errors import ValidationFailed
from fangkong.core.flash import form_errors
from fangkong.core.roles import Perm
from fangkong.org.models import CommandUnit, UnitKind

from .models import DEFAULT_CUTOFF, ReportingPeriod
from .services import period_create


class PeriodForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100,
                           initial=gettext_lazy("“两节”疫情防控特护期"))  # fmt: skip
    starts_on = forms.DateField(label=gettext_lazy("开始日期"),
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    ends_on = forms.DateField(label=gettext_lazy("结束日期"),
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    cutoff = forms.TimeField(label=gettext_lazy("每日截止时间"), initial=DEFAULT_CUTOFF,
                             widget=forms.TimeInput(attrs={"type": "time"}))  # fmt: skip
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("报告单位"), queryset=CommandUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


@actor_required(Perm.REPORTS_VIEW)
def periods(request):
    actor = request.actor
    items = list(ReportingPeriod.objects.visible_to(actor).prefetch_related("units"))
    form = None
    hq = (
        CommandUnit.objects.visible_to(actor)
        .filter(kind=UnitKind.HQ, region_id=actor.region.code)
        .first()
    )
    if actor.can(Perm.REPORTS_REVIEW) and hq is not None:
        choices = CommandUnit.objects.filter(parent=hq).exclude(kind=UnitKind.COMPREHENSIVE_GROUP)
        form = PeriodForm(request.POST or None, initial={
            "units": [u.pk for u in choices if u.reports_daily]})  # fmt: skip
        form.fields["units"].queryset = choices.order_by("sort_order", "id")
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                period_create(actor=actor, name=data["name"], hq=hq, starts_on=data["starts_on"],
                              ends_on=data["ends_on"], cutoff=data["cutoff"],
                              units=list(data["units"]))  # fmt: skip
            except ValidationFailed as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("已设立报告周期“%(name)s”。") % {"name": data["name"]})
                return redirect("reports:periods")
    elif request.method == "POST":
        actor.require(Perm.REPORTS_REVIEW)
    return render(request, "reports/periods.html", {"periods": items, "form": form})
