from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fangkong.core.decorators import actor_required
from fangkong.core.roles import Perm

from .services import notification_list, notification_mark_read


@actor_required(Perm.NOTIFICATIONS_VIEW)
def inbox(request):
    page = Paginator(notification_list(actor=request.actor), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@actor_required(Perm.NOTIFICATIONS_VIEW)
def mark_read(request, pk: int):
    notification_mark_read(actor=request.actor, notification_id=pk)
    return redirect("notifications:inbox")
