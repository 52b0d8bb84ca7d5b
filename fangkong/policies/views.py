"""Policy pages: the editions, one policy with its history and the measures still on an older
version, editing (city HQ) and the explicit re-plan of running measures."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core.decorators import actor_required
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm
from fangkong.measures.planning import measures_behind_policy, measures_replan_behind

from .forms import ARRIVAL_SCOPES, MEASURE_TYPES, parse_policy_form, stage_rows
from .models import Policy
from .services import policy_update


@actor_required(Perm.POLICIES_VIEW)
def policy_list(request):
    return render(
        request, "policies/list.html", {"policies": Policy.objects.order_by("effective_from")}
    )


def _behind(request, policy: Policy):
    if not request.actor.can(Perm.MEASURES_VIEW):
        return None
    return measures_behind_policy(actor=request.actor, policy_id=policy.pk, version=policy.version)


@actor_required(Perm.POLICIES_VIEW)
def policy_detail(request, pk: int):
    policy = get_object_or_404(Policy, pk=pk)
    behind = _behind(request, policy)
    return render(
        request,
        "policies/detail.html",
        {
            "policy": policy,
            "stages": stage_rows(policy),
            "measure_type_labels": MEASURE_TYPES,
            "versions": list(policy.versions.select_related("created_by").order_by("-version")),
            "behind_count": behind.count() if behind is not None else None,
            "behind": list(behind.select_related("person").order_by("pk")[:20])
            if behind is not None
            else [],
            "can_edit": request.actor.can(Perm.POLICIES_MANAGE),
            "can_replan": request.actor.can(Perm.MEASURES_OVERRIDE),
        },
    )


@actor_required(Perm.POLICIES_MANAGE)
def policy_edit(request, pk: int):
    policy = get_object_or_404(Policy, pk=pk)
    context = {
        "policy": policy,
        "stages": stage_rows(policy),
        "measure_types": MEASURE_TYPES,
        "arrival_scopes": ARRIVAL_SCOPES,
        "values": {},
    }
    if request.method == "POST":
        context["stages"] = stage_rows(policy, request.POST)
        context["values"] = request.POST
        try:
            changes = parse_policy_form(request.POST)
            before = policy.version
            policy = policy_update(
                actor=request.actor,
                policy_id=policy.pk,
                reason=request.POST.get("reason", ""),
                **changes,
            )
        except ValidationFailed as exc:
            context["errors"] = [str(e) for errs in exc.errors.values() for e in errs]
            return render(request, "policies/edit.html", context, status=422)
        if policy.version == before:
            messages.success(request, _("内容没有变化，未生成新版本"))
        else:
            messages.success(
                request,
                _(
                    "已保存为第 %(v)d 版。正在执行的管控措施不会自动改变，"
                    "如需按新版执行请“重新规划”。"
                )
                % {"v": policy.version},
            )
        return redirect("policies:detail", pk=policy.pk)
    return render(request, "policies/edit.html", context)


@require_POST
@actor_required(Perm.MEASURES_OVERRIDE)
def policy_replan(request, pk: int):
    policy = get_object_or_404(Policy, pk=pk)
    try:
        counts = measures_replan_behind(
            actor=request.actor, policy_id=policy.pk, reason=request.POST.get("reason", "")
        )
    except ValidationFailed as exc:
        for errs in exc.errors.values():
            for e in errs:
                messages.error(request, str(e))
        return redirect("policies:detail", pk=policy.pk)
    text = _("已按第 %(v)d 版重新规划 %(n)d 项管控措施") % {
        "v": policy.version,
        "n": counts["replanned"],
    }
    if counts["failed"]:
        text += _("；%(n)d 项无法按新版规划（该类别已不管控），请逐一处理") % {
            "n": counts["failed"]
        }
    if counts["remaining"]:
        text += _("；还有 %(n)d 项，请再次执行") % {"n": counts["remaining"]}
    messages.success(request, text)
    return redirect("policies:detail", pk=policy.pk)
