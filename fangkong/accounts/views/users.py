"""User management for system administrators, limited to their subtree."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.core.decorators import actor_required
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm

from .. import selectors, services
from ..forms import RegionRoleForm, UserCreateForm, UserEditForm, UserFilterForm
from .common import flash_errors, form_errors

PAGE_SIZE = 25
manage = actor_required(Perm.ACCOUNTS_MANAGE)


@manage
def users(request):
    actor = request.actor
    regions = selectors.region_filter_choices(actor=actor)
    form = UserFilterForm(request.GET or None, regions=regions)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.user_list(
        actor=actor,
        query=filters.get("q", ""),
        role=filters.get("role", ""),
        region_code=filters.get("region", ""),
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/users.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@never_cache
@manage
def user_create(request):
    actor = request.actor
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = selectors.region_resolve(actor=actor, text=data["region"])
            user, password = services.user_create(
                actor=actor,
                username=data["username"],
                display_name=data["display_name"],
                region=region,
                role=data["role"],
            )
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已创建用户 %(user)s。") % {"user": user})
            return render(
                request,
                "accounts/password_once.html",
                {
                    "subject": user,
                    "password": password,
                    "created": True,
                },
            )
    return render(request, "accounts/user_create.html", {"form": form})


def _detail(request, pk, *, edit_form=None, role_form=None):
    actor = request.actor
    subject = selectors.user_get(actor=actor, pk=pk)
    elsewhere = selectors.user_has_roles_elsewhere(actor=actor, user=subject)
    is_self = subject.pk == request.user.pk
    if is_self and role_form is not None:
        # The role form is not shown on one's own page; its refusal is said as a message.
        for texts in role_form.errors.values():
            for text in texts:
                messages.error(request, text)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "roles": selectors.user_roles(actor=actor, user=subject),
            "manageable": not elsewhere and not is_self,
            "elsewhere": elsewhere,
            "is_self": is_self,
            "edit_form": edit_form or UserEditForm(initial={"display_name": subject.display_name}),
            "role_form": role_form or RegionRoleForm(),
        },
    )


@manage
def user_detail(request, pk):
    if request.method != "POST":
        return _detail(request, pk)
    form = UserEditForm(request.POST)
    if form.is_valid():
        try:
            services.user_update(
                actor=request.actor, user_id=pk, display_name=form.cleaned_data["display_name"]
            )
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("姓名已保存。"))
            return redirect("accounts:user_detail", pk=pk)
    return _detail(request, pk, edit_form=form)


@require_POST
@manage
def user_set_active(request, pk):
    active = request.POST.get("active") == "1"
    try:
        user = services.user_set_active(actor=request.actor, user_id=pk, active=active)
    except ValidationFailed as exc:
        flash_errors(request, exc)
    else:
        text = _("已启用用户 %(user)s。") if active else _("已停用用户 %(user)s，其登录已失效。")
        messages.success(request, text % {"user": user})
    return redirect("accounts:user_detail", pk=pk)


@require_POST
@manage
def user_unlock(request, pk):
    try:
        user = services.user_unlock(actor=request.actor, user_id=pk)
    except ValidationFailed as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("已解锁用户 %(user)s。") % {"user": user})
    return redirect("accounts:user_detail", pk=pk)


@never_cache
@require_POST
@manage
def user_password_reset(request, pk):
    try:
        user, password = services.user_password_reset(actor=request.actor, user_id=pk)
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("accounts:user_detail", pk=pk)
    messages.success(request, _("已为 %(user)s 重置密码。") % {"user": user})
    return render(request, "accounts/password_once.html", {"subject": user, "password": password})


@require_POST
@manage
def user_totp_reset(request, pk):
    try:
        user = services.user_totp_reset(actor=request.actor, user_id=pk)
    except ValidationFailed as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, _("已重置 %(user)s 的双因素认证，其下次登录后须重新绑定。") % {"user": user}
        )
    return redirect("accounts:user_detail", pk=pk)


@require_POST
@manage
def user_role_add(request, pk):
    actor = request.actor
    form = RegionRoleForm(request.POST)
    if form.is_valid():
        try:
            region = selectors.region_resolve(actor=actor, text=form.cleaned_data["region"])
            assignment = services.role_assignment_add(
                actor=actor, user_id=pk, region=region, role=form.cleaned_data["role"]
            )
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("已授予 %(region)s · %(role)s。")
                % {"region": assignment.region.name, "role": assignment.get_role_display()},
            )
            return redirect("accounts:user_detail", pk=pk)
    return _detail(request, pk, role_form=form)


@require_POST
@manage
def user_role_remove(request, pk, assignment_pk):
    try:
        assignment = services.role_assignment_remove(
            actor=request.actor, user_id=pk, assignment_id=assignment_pk
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            _("已撤销 %(region)s · %(role)s。")
            % {"region": assignment.region.name, "role": assignment.get_role_display()},
        )
    return redirect("accounts:user_detail", pk=pk)
