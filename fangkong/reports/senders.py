"""Pluggable SMS/e-mail senders for reminders. The demo prints to the console.

REPORTS_SENDER (a dotted path, in settings or the environment) picks the backend; a backend is
a class with send(*, recipients, subject, body). MemorySender keeps messages in `outbox`
for tests, like Django's locmem e-mail backend.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings

logger = logging.getLogger(__name__)
DEFAULT_SENDER = "fangkong.reports.senders.ConsoleSender"


@dataclass(frozen=True)
class Message:
    recipients: tuple[str, ...]
    subject: str
    body: str


class ConsoleSender:
    def send(self, *, recipients: list[str], subject: str, body: str) -> None:
        sys.stdout.write(f"[短信/邮件] 致 {'、'.join(recipients)}：{subject} — {body}\n")


outbox: list[Message] = []


class MemorySender:
    def send(self, *, recipients: list[str], subject: str, body: str) -> None:
        outbox.append(Message(tuple(recipients), subject, body))


def get_sender():
    path = getattr(settings, "REPORTS_SENDER", None) or os.environ.get(
        "FANGKONG_REPORTS_SENDER", DEFAULT_SENDER
    )
    module_name, _, name = path.rpartition(".")
    return getattr(import_module(module_name), name)()


def send(*, recipients: list[str], subject: str, body: str) -> None:
    try:
        get_sender().send(recipients=recipients, subject=subject, body=body)
    except Exception:  # a failing gateway must not stop the in-app reminders
        logger.exception("reminder sender failed")
