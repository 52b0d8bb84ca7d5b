"""The home page's "what I can do": each role's own work, each line leading to where it is done."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _capabilities(client, world, username):
    client.force_login(world.user(username))
    return client.get(reverse("core:home")).context["summary"]["capabilities"]


def test_a_grid_worker_reads_its_field_work_first_with_links(client, world):
    lines = _capabilities(client, world, "grid_worker")

    assert lines[0] == {
        "text": "核查推送到本辖区的重点人员，当场反馈核查结果",
        "url": reverse("screening:mine"),
    }
    texts = [line["text"] for line in lines]
    assert "跟进来返人员的落地检测和14天健康监测" in texts
    # The fuller line of arrivals stands in for the plainer one.
    assert "查看来返人员和逾期事项" not in texts
    assert "导入上级推送的排查名单，跟踪核查直至“四清”" not in texts


def test_each_role_reads_only_what_it_may_do(client, world):
    auditor = [line["text"] for line in _capabilities(client, world, "auditor")]
    assert auditor == ["浏览辖区行政区划及各级人员数", "查阅操作日志和个人信息查阅日志"]
    inspector = [line["text"] for line in _capabilities(client, world, "inspector")]
    assert "查看排查名单和核查进度" in inspector and "查看日报报送情况和综合日报" in inspector
