import random

import pytest

from fangkong.screening.demo import build_screening_demo
from fangkong.screening.models import ScreeningRecord, Status
from fangkong.screening.selectors import overdue_page, progress_page

pytestmark = pytest.mark.django_db


def test_the_speech_push_in_realistic_states(world, hq):
    batches = build_screening_demo(world, random.Random(1))
    assert [b.rows for b in batches] == [671, 8, 15]
    records = ScreeningRecord.objects.filter(merge_kind="")
    assert ScreeningRecord.objects.filter(health_code="red").count() == 314
    statuses = {s: records.filter(status=s).count() for s in Status.values}
    assert statuses[Status.CLOSED] > statuses[Status.CHECKING] > 0
    assert overdue_page(actor=hq)["count"] > 0
    assert 0 < progress_page(actor=hq)["total"]["four_clear_rate"] < 100
    assert ScreeningRecord.objects.filter(escalated_at__isnull=False).exists()
