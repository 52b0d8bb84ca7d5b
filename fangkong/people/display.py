"""How personal data is shown by default: masked, addresses to village level only."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

# The first village-level unit in an address; what follows (group, house number) is hidden.
_VILLAGE_LEVEL = re.compile(r"(村民委员会|居民委员会|社区|居委会|嘎查|村)")
_MASK = "****"


def mask_address(address: str) -> str:
    """吉首市矮寨镇德夯村12组3号 → 吉首市矮寨镇德夯村****."""
    if not address:
        return ""
    match = _VILLAGE_LEVEL.search(address)
    end = match.end() if match is not None else max(len(address) // 2, 1)
    kept = address[:end]
    return kept + _MASK if len(kept) < len(address) else kept


def age_on(birth_date: dt.date | None, today: dt.date | None = None) -> int | None:
    if birth_date is None:
        return None
    today = today or timezone.localdate()
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
