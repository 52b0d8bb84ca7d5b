"""API shapes of the audit logs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class ActorRef(Schema):
    username: str | None = None
    display_name: str | None = None
    api_token: str | None = None
    role: str


class ChangeOut(Schema):
    id: int
    at: dt.datetime
    action: str
    by: ActorRef
    region: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    ip: str | None = None


class AccessOut(Schema):
    id: int
    at: dt.datetime
    kind: str
    by: ActorRef
    region: str
    person_id: int | None = None
    subject: str
    fields: list[str]
    purpose: str
    row_count: int
    ip: str | None = None


class EntryParams(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    user: str = ""
    region: str = ""
    page: int = 1


class ChangeParams(EntryParams):
    action: str = ""
    object_type: str = ""
    object_id: str = ""


class AccessParams(EntryParams):
    kind: str = ""
    person_id: int | None = None


class ChangePage(Schema):
    count: int
    page: int
    pages: int
    results: list[ChangeOut]


class AccessPage(Schema):
    count: int
    page: int
    pages: int
    results: list[AccessOut]
