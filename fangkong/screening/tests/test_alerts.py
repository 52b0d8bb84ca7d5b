"""A new list alerts each county its people were placed in, and the city for those it must
place itself; each sees only its own alert."""

import pytest

from fangkong.notifications.models import Notification
from fangkong.notifications.services import notification_list

from .conftest import HEADER, ID_A, ID_B, ID_C, ID_D, csv_bytes, row

pytestmark = pytest.mark.django_db


def test_a_new_list_alerts_each_county_and_the_city_for_the_unplaced(run_import, actor_of):
    batch = run_import(
        csv_bytes(
            [
                HEADER,
                row(1, "张三", ID_A, address="吉首市峒河街道峒河社区"),
                row(2, "李四", ID_B, address="吉首市峒河街道"),
                row(3, "王五", ID_C, address="龙山县洛塔乡泽果村"),
                row(4, "赵六", ID_D, address="不知道哪里"),
                row(5, "张三", ID_A, address="吉首市峒河街道峒河社区"),  # a repeat: once
                row(6, "钱七", "123", address="吉首市峒河街道"),  # to correct: not yet
            ]
        )
    ).batch
    alerts = {n.region_id: n for n in Notification.objects.filter(kind="screening.list")}
    assert sorted(alerts) == ["4331", "433101", "433130"]
    jishou = alerts["433101"]
    assert f"新名单 #{batch.pk} 中高风险地区来返" in jishou.message
    assert "本县 2 人待核查" in jishou.message
    assert jishou.link == f"/screening/batches/{batch.pk}/?region=433101"
    assert "1 人地址未能分派到县，请指挥部分派" in alerts["4331"].message
    assert alerts["4331"].link == f"/screening/records/?batch={batch.pk}&region=4331&here=1"
    seen = notification_list(actor=actor_of("county_operator")).filter(kind="screening.list")
    assert [n.region_id for n in seen] == ["433101"]
