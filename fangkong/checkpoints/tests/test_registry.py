"""Creating and editing checkpoints: the HQ and county operators, inside their region."""

import pytest
from django.urls import reverse

from fangkong.audit.models import ChangeEntry
from fangkong.checkpoints.models import Checkpoint
from fangkong.checkpoints.services import checkpoint_ref, forget_registry
from fangkong.core.actor import Actor

pytestmark = pytest.mark.django_db


def _form(world, **changes):
    values = {
        "code": "jishou-bus", "name": "吉首汽车总站", "type": "bus",
        "region": world.home_county.code, "address": "吉首市人民北路", "leads_to": "",
        "status": "active", "staff_on_duty": "张三 李四", "samples_on_site": "on",
    }  # fmt: skip
    values.update(changes)
    return values


def test_a_county_operator_creates_a_checkpoint_in_the_county(client, world):
    client.force_login(world.user("county_operator"))

    response = client.post(reverse("checkpoints:create"), _form(world))

    assert response.status_code == 302
    checkpoint = Checkpoint.objects.get(code="jishou-bus")
    assert checkpoint.type == "bus" and checkpoint.samples_on_site
    assert ChangeEntry.objects.filter(action="checkpoints.checkpoint.created").count() == 1
    listing = client.get(reverse("checkpoints:list")).content.decode()
    assert "吉首汽车总站" in listing and reverse("checkpoints:edit", args=["jishou-bus"]) in listing


def test_the_new_checkpoint_is_usable_at_once(client, world):
    client.force_login(world.user("county_operator"))
    forget_registry()
    actor = Actor.build(user=None, region=world.home_county, role="checkpoint_staff")
    with pytest.raises(Exception):  # noqa: B017 - NotFound before it exists
        checkpoint_ref(actor=actor, code="jishou-bus")

    client.post(reverse("checkpoints:create"), _form(world))

    assert checkpoint_ref(actor=actor, code="jishou-bus").name == "吉首汽车总站"


def test_every_bad_field_is_named(client, world):
    client.force_login(world.user("county_operator"))

    response = client.post(
        reverse("checkpoints:create"),
        _form(world, code="new", name="", type="boat", region=world.other_county.code),
    )

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"code", "name", "type", "region"}
    assert not Checkpoint.objects.exists()


def test_a_code_in_use_is_refused(client, world, checkpoint):
    client.force_login(world.user("hq"))

    response = client.post(reverse("checkpoints:create"), _form(world, code=checkpoint.code))

    assert response.status_code == 422
    assert "编号已被其他服务点使用" in response.content.decode()


def test_editing_changes_the_fields_and_records_what_changed(client, world, checkpoint):
    client.force_login(world.user("hq"))
    form = _form(world, name="吉首东站（高铁）", status="standby", staff_on_duty="王五")
    form.pop("code")

    response = client.post(reverse("checkpoints:edit", args=[checkpoint.code]), form)

    assert response.status_code == 302
    checkpoint.refresh_from_db()
    assert (checkpoint.name, checkpoint.status) == ("吉首东站（高铁）", "standby")
    entry = ChangeEntry.objects.get(action="checkpoints.checkpoint.updated")
    assert entry.changes["status"] == ["active", "standby"]


def test_the_edit_page_shows_the_current_values(client, world, checkpoint):
    client.force_login(world.user("county_operator"))

    response = client.get(reverse("checkpoints:edit", args=[checkpoint.code]))

    assert response.status_code == 200
    assert "吉首东站" in response.content.decode()


def test_the_outsider_gets_404_for_a_checkpoint_of_another_county(client, world, checkpoint):
    client.force_login(world.user("outsider"))

    response = client.post(reverse("checkpoints:edit", args=[checkpoint.code]),
                           {"name": "改名", "type": "bus", "status": "active",
                            "region": world.other_county.code})  # fmt: skip

    assert response.status_code == 404
    checkpoint.refresh_from_db()
    assert checkpoint.name == "吉首东站"


@pytest.mark.parametrize("key", ["checkpoint", "grid_worker", "workgroup"])
def test_staff_without_the_registry_right_may_not_create(client, world, key):
    user = world.user(key) if key in world.users else world.user(f"county_{key}")
    client.force_login(user)

    response = client.post(reverse("checkpoints:create"), _form(world))

    assert response.status_code == 403
    assert not Checkpoint.objects.exists()
