"""Sign-in (password, then the second factor where enabled) and sign-out."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ..events import record_account_event
from ..forms import LoginForm, TotpForm
from ..login import LoginResult, Outcome, user_authenticate, user_verify_totp
from ..middleware import SESSION_IDLE_LOGOUT, SESSION_LAST_SEEN, client_ip
from .common import safe_next

SESSION_PENDING_USER = "fangkong_pending_user"
SESSION_PENDING_AT = "fangkong_pending_at"
SESSION_PENDING_NEXT = "fangkong_pending_next"
# The second step must follow the first within this time.
PENDING_SECONDS = 5 * 60
_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refusal(result: LoginResult) -> str:
    if result.outcome is Outcome.LOCKED:
        until = formats.date_format(timezone.localtime(result.locked_until), "DATETIME_FORMAT")
        return _(
            "账号已被锁定：连续登录失败次数过多。请于 %(until)s 后再试，或联系系统管理员解锁。"
        ) % {"until": until}
    if result.outcome is Outcome.INACTIVE:
        return _("账号已停用，请联系本级系统管理员。")
    return _("用户名或密码不正确，请重新输入。")


def _complete(request, user, next_url: str):
    for key in (SESSION_PENDING_USER, SESSION_PENDING_AT, SESSION_PENDING_NEXT):
        request.session.pop(key, None)
    login(request, user, backend=_BACKEND)
    request.session[SESSION_LAST_SEEN] = int(time.time())
    return redirect(safe_next(request, next_url))


def _auth_context(**extra) -> dict:
    return {
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
        **extra,
    }


@never_cache
@sensitive_post_parameters("password")
@csrf_protect
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.user.is_authenticated:
        return redirect(safe_next(request, next_url))
    idle = request.session.pop(SESSION_IDLE_LOGOUT, False)
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        result = user_authenticate(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            ip=client_ip(request),
        )
        if result.outcome is Outcome.SIGNED_IN:
            return _complete(request, result.user, next_url)
        if result.outcome is Outcome.NEEDS_TOTP:
            request.session[SESSION_PENDING_USER] = result.user.pk
            request.session[SESSION_PENDING_AT] = int(time.time())
            request.session[SESSION_PENDING_NEXT] = next_url
            return redirect("accounts:login_totp")
        error = _refusal(result)
    context = _auth_context(form=form, error=error, idle=idle, next=next_url)
    return render(request, "accounts/login.html", context)


def _pending_user_id(request) -> int | None:
    started = request.session.get(SESSION_PENDING_AT)
    if started is None or time.time() - started > PENDING_SECONDS:
        return None
    return request.session.get(SESSION_PENDING_USER)


@never_cache
@sensitive_post_parameters("code")
@csrf_protect
def login_totp(request):
    user_id = _pending_user_id(request)
    if user_id is None:
        messages.error(request, _("验证已超时，请重新输入用户名和密码。"))
        return redirect("accounts:login")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = user_verify_totp(
            user_id=user_id, code=form.cleaned_data["code"], ip=client_ip(request)
        )
        if result.outcome is Outcome.SIGNED_IN:
            return _complete(request, result.user, request.session.get(SESSION_PENDING_NEXT))
        if result.outcome is Outcome.FAILED:
            form.add_error("code", _("验证码不正确，请输入验证器应用中当前显示的6位数字。"))
        else:
            request.session.pop(SESSION_PENDING_USER, None)
            messages.error(request, _refusal(result))
            return redirect("accounts:login")
    return render(request, "accounts/login_totp.html", _auth_context(form=form))


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record_account_event(action="accounts.logout", user=request.user, ip=client_ip(request))
    logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect("accounts:login")
