from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.accounts.middleware import SESSION_ASSIGNMENT, assignments_for

from .decorators import actor_required
from .http import ActorRequest
from .selectors import home_summary
from .todo import todos_for


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "error", "database": database}, status=status
    )


@actor_required()
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "core/home.html",
        {
            "summary": home_summary(actor=actor),
            "todos": todos_for(actor),
            "assignments": assignments_for(request.user),
        },
    )


@require_POST
@actor_required()
def switch_role(request: ActorRequest) -> HttpResponseRedirect:
    wanted = request.POST.get("assignment", "")
    if any(str(a.pk) == wanted for a in assignments_for(request.user)):
        request.session[SESSION_ASSIGNMENT] = int(wanted)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)
