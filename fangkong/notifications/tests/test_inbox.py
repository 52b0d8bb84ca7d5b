"""Alerts: addressed to a region, seen by those whose scope covers it; marking read."""

from django.urls import reverse

from fangkong.notifications.models import Notification
from fangkong.notifications.services import notify


def test_alerts_reach_the_region_and_above_only(client, world):
    mine = notify(region_code=world.home_village.code, kind="t", message="本村提醒")
    notify(region_code=world.other_county.code, kind="t", message="龙山提醒")
    client.force_login(world.user("grid_worker"))
    page = client.get(reverse("notifications:inbox"))
    assert [n.pk for n in page.context["page"]] == [mine.pk]
    client.force_login(world.user("hq"))
    assert client.get("/api/v1/notifications").json()["results"][0]["message"] in (
        "本村提醒",
        "龙山提醒",
    )
    assert client.get("/api/v1/notifications").json()["count"] == 2


def test_mark_read_and_outsider_gets_404(client, world):
    note = notify(region_code=world.home_village.code, kind="t", message="本村提醒")
    client.force_login(world.user("outsider"))
    assert client.post(f"/api/v1/notifications/{note.pk}/read").status_code == 404
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    client.force_login(world.user("grid_worker"))
    assert client.post(f"/api/v1/notifications/{note.pk}/read").status_code == 204
    assert Notification.objects.get(pk=note.pk).read_by.filter(pk=world.user("grid_worker").pk)
    assert client.get("/api/v1/notifications?unread=true").json()["results"] == []


def test_alerts_reach_only_those_who_may_open_what_they_are_about(client, world):
    county = world.home_county.code
    notify(region_code=county, kind="screening.list", message="新名单", link="/screening/")
    notify(region_code=county, kind="arrivals.overdue", message="来返逾期")
    notify(region_code=county, kind="measures.fever", message="发热")
    notify(region_code=county, kind="reports.missing", message="缺报")
    notify(region_code=county, kind="t", message="通知")

    def seen(key):
        client.force_login(world.user(key))
        inbox = client.get(reverse("notifications:inbox")).context["page"]
        api = client.get("/api/v1/notifications").json()["results"]
        assert sorted(n.message for n in inbox) == sorted(n["message"] for n in api)
        return {n.message for n in inbox}

    assert seen("county_operator") == {"新名单", "来返逾期", "发热", "缺报", "通知"}
    assert seen("county_site") == {"发热", "通知"}
    assert seen("county_lab") == {"通知"}


def test_an_alert_one_may_not_read_cannot_be_marked_read(client, world):
    note = notify(region_code=world.home_county.code, kind="screening.list", message="新名单")
    client.force_login(world.user("county_site"))
    assert client.post(f"/api/v1/notifications/{note.pk}/read").status_code == 404
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
