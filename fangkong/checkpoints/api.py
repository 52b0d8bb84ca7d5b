"""The checkpoint API: list the checkpoints the token may use, and record a check."""

from __future__ import annotations

import hashlib
import json
import time
from typing import cast

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from fangkong.accounts.middleware import client_ip
from fangkong.accounts.tokens import api_token_authenticate
from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.http import ActorRequest

from .checks import clean_check
from .selectors import checkpoint_list
from .services import checkpoint_check, checkpoint_ref


class CachedBearer(HttpBearer):
    """Bearer tokens remembered in process for TOKEN_TTL seconds.

    A checkpoint phone posts every few seconds all day; looking its token up each time would
    cost as much as the check itself. A revoked token stops working within TOKEN_TTL; the
    first use after that window goes through api_token_authenticate again (which also keeps
    last_used_at to the minute). See docs/decisions/0020-checkpoint-hot-path.md.
    """

    def __call__(self, request: HttpRequest):
        # As HttpBearer does, reading the header from META directly: request.headers would
        # first build a mapping of every header of the request.
        scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str):
        key = hashlib.sha256(token.encode()).hexdigest()
        now = time.monotonic()
        hit = _tokens.get(key)
        if hit is None or now - hit[0] > TOKEN_TTL:
            api_token = api_token_authenticate(token)
            if api_token is None:
                _tokens.pop(key, None)
                return None
            if len(_tokens) > 10_000:
                _tokens.clear()
            hit = (now, api_token.region, api_token.role, api_token.pk)
            _tokens[key] = hit
        _, region, role, token_id = hit
        cast(ActorRequest, request).actor = Actor.build(
            user=None, region=region, role=role, api_token_id=token_id, ip=client_ip(request)
        )
        return token_id


def forget_tokens() -> None:
    _tokens.clear()


TOKEN_TTL = 30.0
_tokens: dict[str, tuple] = {}


class _Session:
    """The platform's session authentication (imported late: config.api imports this module)."""

    def __call__(self, request: HttpRequest):
        from config.api import SessionActorAuth

        return SessionActorAuth()(request)


_bearer = CachedBearer()
_session = _Session()
router = Router(tags=["checkpoints"], auth=[_bearer, _session])


class CheckpointOut(Schema):
    code: str
    name: str
    type: str
    region: str


class CheckIn(Schema):
    document_type: str | None = None
    document_number: str | None = None
    name: str | None = None
    phone: str | None = None
    health_code: str | None = None
    itinerary: list[str | int] | None = None
    itinerary_star: bool = False
    nat_sampled_at: str | None = None
    nat_result: str | None = None
    temperature: float | str | None = None
    arrival_at: str | None = None
    origin: str | int | None = None
    destination: str | int | None = None


class ReasonOut(Schema):
    code: str
    message: str


class ObligationOut(Schema):
    kind: str
    label: str
    due_at: str | None
    ends_at: str | None


class VerdictOut(Schema):
    verdict: str
    reasons: list[ReasonOut]
    obligations: list[ObligationOut]
    record_id: int


def _body(request) -> dict:
    try:
        payload = json.loads(request.body or b"null")
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise ValidationFailed({"body": [_("请求体应为 JSON 对象")]})
    return payload


@router.get("", response=list[CheckpointOut])
def list_checkpoints(request):
    rows = checkpoint_list(actor=request.actor).values_list("code", "name", "type", "region_id")
    return [{"code": c, "name": n, "type": t, "region": r} for c, n, t, r in rows]


# The body is read as a plain object and validated by clean_check, so that every bad field
# is named by its own name with a message saying what to change; CheckIn documents it. It is
# parsed here rather than declared as a Body parameter: one json.loads instead of a model
# built and validated per request on the hot path.
@router.post(
    "/{code}/screenings",
    response=VerdictOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CheckIn.json_schema()}},
        }
    },
)
def record_screening(request, code: str):
    actor = request.actor
    if not actor.can("checkpoints.check"):
        # Without the right to check, no checkpoint is "yours": answer like a missing one.
        raise NotFound("checkpoint")
    checkpoint_ref(actor=actor, code=code)
    given = clean_check(_body(request))
    outcome = checkpoint_check(actor=actor, code=code, given=given)
    decision = outcome.decision
    # Serialised here rather than validated against VerdictOut again: this is the hot path,
    # and the shape is fixed by the code above (VerdictOut still documents it).
    body = {
        "verdict": decision.verdict,
        "reasons": [{"code": r.code, "message": r.message} for r in decision.reasons],
        "obligations": [o.as_dict() for o in decision.obligations],
        "record_id": outcome.record_id,
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")


@csrf_exempt
def screening_post(request, code: str):
    """`POST /api/v1/checkpoints/{code}/screenings` served by a URL pattern ahead of the API
    framework's: the busiest write of the platform skips its dispatch (about a quarter of the
    check's extra CPU). The same authentication (token, or a session whose CSRF token is
    checked), the same view body and the API's own exception handlers, so the answers are the
    operation's; the router still declares the operation for the schema and the docs."""
    from config.api import api

    try:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if _bearer(request) is None and _session(request) is None:
            raise AuthenticationError()
        return record_screening(request, code)
    except Exception as exc:  # noqa: BLE001 - handed to the API's handlers; others re-raised
        return api.on_exception(request, exc)
