"""Small pieces of wording shared by many messages, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def list_text(items: Iterable[object]) -> str:
    """Items run together for a sentence: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    return pgettext("list separator", "、").join(str(item) for item in items)
