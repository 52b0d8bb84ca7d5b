"""The signed-in user's own account: roles, password and second factor."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from fangkong.core.errors import ValidationFailed

from .. import totp
from ..forms import PasswordChangeForm, TotpDisableForm, TotpForm
from ..middleware import assignments_for, client_ip
from ..selfservice import (
    totp_mandatory,
    user_password_change,
    user_totp_begin,
    user_totp_disable,
    user_totp_enable,
)
from .common import flash_errors, form_errors


@login_required
def profile(request):
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "assignments": assignments_for(user),
            "totp_mandatory": totp_mandatory(user),
            "disable_form": TotpDisableForm(),
        },
    )


@never_cache
@sensitive_post_parameters()
@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                ip=client_ip(request),
            )
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            # Other sessions of this user end; this one carries on.
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改，其他设备上的登录已失效。"))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": request.user.must_change_password,
        },
    )


@never_cache
@sensitive_post_parameters()
@login_required
def totp_setup(request):
    user = request.user
    if user.totp_enabled:
        messages.info(request, _("双因素认证已启用。"))
        return redirect("accounts:profile")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_totp_enable(user=user, code=form.cleaned_data["code"], ip=client_ip(request))
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("双因素认证已启用，今后登录时须输入验证器中的验证码。"))
            return redirect("accounts:profile")
    secret = user_totp_begin(user=user)
    uri = totp.provisioning_uri(secret=secret, username=user.username)
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            # segno writes only path data from the URI; nothing user-typed reaches this markup.
            "qr_svg": mark_safe(totp.qr_svg(uri)),  # noqa: S308
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "forced": totp_mandatory(user),
        },
    )


@require_POST
@sensitive_post_parameters()
@login_required
def totp_disable(request):
    form = TotpDisableForm(request.POST)
    if form.is_valid():
        try:
            user_totp_disable(
                user=request.user, password=form.cleaned_data["password"], ip=client_ip(request)
            )
        except ValidationFailed as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("双因素认证已停用。"))
    else:
        messages.error(request, _("请输入当前密码以停用双因素认证。"))
    return redirect("accounts:profile")
