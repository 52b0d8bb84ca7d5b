"""The personal check-in page: no login, reached through the link the person was sent."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from fangkong.accounts.middleware import client_ip
from fangkong.core.errors import NotFound, ValidationFailed

from .checkins import RateLimited, checkin_by_link, measure_for_token


@never_cache
@csrf_exempt  # no session to protect: the unguessable token is the credential
def personal_checkin(request, token: str):
    ip = client_ip(request)
    context: dict = {"token": token}
    try:
        if request.method == "POST":
            checkin = checkin_by_link(
                token=token,
                ip=ip,
                temperature=request.POST.get("temperature"),
                symptoms=request.POST.get("symptoms", ""),
            )
            context["done"] = checkin
            context["measure"] = checkin.measure
        else:
            context["measure"] = measure_for_token(token, ip=ip)
    except RateLimited:
        return render(
            request,
            "measures/checkin_public.html",
            {"error": _("提交过于频繁，请稍后再试")},
            status=429,
        )
    except NotFound:
        return render(
            request,
            "measures/checkin_public.html",
            {"error": _("链接无效或已过期：管控已结束，或已生成了新的链接")},
            status=404,
        )
    except ValidationFailed as exc:
        context["errors"] = [str(e) for errs in exc.errors.values() for e in errs]
        context["measure"] = measure_for_token(token, ip=ip)
    return render(request, "measures/checkin_public.html", context)
