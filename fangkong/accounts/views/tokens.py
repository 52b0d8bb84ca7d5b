"""API tokens for integrations: list, create (shown once), revoke."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.core.decorators import actor_required
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm

from .. import selectors
from ..forms import ApiTokenForm
from ..tokens import api_token_create, api_token_revoke
from .common import form_errors

manage = actor_required(Perm.API_TOKENS_MANAGE)


@never_cache
@manage
def api_tokens(request):
    actor = request.actor
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = selectors.region_resolve(actor=actor, text=data["region"])
            token, raw = api_token_create(
                actor=actor, name=data["name"], region=region, role=data["role"]
            )
        except ValidationFailed as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已创建接口令牌“%(name)s”。") % {"name": token.name})
            return render(request, "accounts/token_once.html", {"token": token, "raw": raw})
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": selectors.api_token_list(actor=actor),
        },
    )


@require_POST
@manage
def api_token_revoke_view(request, pk):
    token = api_token_revoke(actor=request.actor, token_id=pk)
    messages.success(
        request, _("已吊销接口令牌“%(name)s”，使用它的调用将被拒绝。") % {"name": token.name}
    )
    return redirect("accounts:api_tokens")
