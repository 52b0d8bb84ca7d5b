import pytest
from django.urls import reverse

from fangkong.audit.models import ChangeEntry
from fangkong.core.errors import NotFound, PermissionDenied, ValidationFailed
from fangkong.org.models import CommandUnit, MemberUnit, UnitKind
from fangkong.org.services import split_departments, unit_create, unit_update

pytestmark = pytest.mark.django_db


def _seats(unit) -> tuple[list[str], list[str]]:
    members = list(MemberUnit.objects.filter(group=unit).order_by("id"))
    return [m.department for m in members if m.is_lead], [
        m.department for m in members if not m.is_lead
    ]


def test_a_work_group_is_created_with_one_lead_and_its_members(world, actor_of):
    group = unit_create(
        actor=actor_of("comprehensive"),
        kind=UnitKind.WORK_GROUP,
        name="冷链防控组",
        parent_id=world.hq.pk,
        lead_unit="州商务局",
        member_units=["州市场监管局", "州交通运输局", "州商务局"],
        reports_daily=True,
    )
    assert group.region_id == world.city.code
    assert _seats(group) == (["州商务局"], ["州市场监管局", "州交通运输局"])
    entry = ChangeEntry.objects.get(action="org.unit.created", object_id=str(group.pk))
    assert entry.changes["lead_unit"] == "州商务局"


def test_a_work_group_needs_a_lead_unit(world, actor_of):
    with pytest.raises(ValidationFailed) as raised:
        unit_create(
            actor=actor_of("hq"),
            kind=UnitKind.WORK_GROUP,
            name="冷链防控组",
            parent_id=world.hq.pk,
            member_units=["州商务局"],
        )
    assert "lead_unit" in raised.value.errors


def test_changing_the_lead_keeps_exactly_one(world, actor_of):
    group = CommandUnit.objects.get(region=world.city, name="社区防控组")
    unit_update(
        actor=actor_of("hq"),
        unit_id=group.pk,
        name=group.name,
        lead_unit="州公安局",
        member_units=["州民政局", "州住建局", "州公安局"],
    )
    assert _seats(group) == (["州公安局"], ["州民政局", "州住建局"])
    assert MemberUnit.objects.filter(group=group, is_lead=True).count() == 1
    entry = ChangeEntry.objects.get(action="org.unit.updated", object_id=str(group.pk))
    assert entry.changes["lead_unit"] == ["州民政局", "州公安局"]
    assert entry.changes["member_units"][1] == ["州民政局", "州住建局"]


def test_member_units_are_added_and_removed(world, actor_of):
    group = CommandUnit.objects.get(region=world.city, name="医疗救治组")
    unit_update(
        actor=actor_of("hq"),
        unit_id=group.pk,
        name=group.name,
        lead_unit="州卫生健康委",
        member_units=["州疾控中心", "州医疗保障局"],
    )
    assert _seats(group) == (["州卫生健康委"], ["州医疗保障局", "州疾控中心"])


def test_removing_the_lead_of_a_work_group_is_refused(world, actor_of):
    group = CommandUnit.objects.get(region=world.city, name="医疗救治组")
    with pytest.raises(ValidationFailed) as raised:
        unit_update(actor=actor_of("hq"), unit_id=group.pk, name=group.name, lead_unit="")
    assert "lead_unit" in raised.value.errors
    assert _seats(group)[0] == ["州卫生健康委"]


def test_an_hq_has_no_member_units(world, actor_of):
    with pytest.raises(ValidationFailed) as raised:
        unit_update(
            actor=actor_of("hq"), unit_id=world.hq.pk, name=world.hq.name, lead_unit="州政府"
        )
    assert "member_units" in raised.value.errors


def test_a_township_hq_hangs_under_its_county_hq(world, actor_of, county_hq):
    township_hq = unit_create(
        actor=actor_of("hq"),
        kind=UnitKind.HQ,
        name="峒河街道疫情防控指挥部",
        region_code=world.home_township.code,
        parent_id=county_hq.pk,
    )
    assert township_hq.parent == county_hq
    with pytest.raises(ValidationFailed) as raised:
        unit_create(
            actor=actor_of("hq"),
            kind=UnitKind.HQ,
            name="另一个指挥部",
            region_code=world.home_township.code,
            parent_id=county_hq.pk,
        )
    assert "region" in raised.value.errors


def test_an_hq_outside_the_parents_region_is_refused(world, actor_of, outsider_hq):
    with pytest.raises(ValidationFailed) as raised:
        unit_create(
            actor=actor_of("hq"),
            kind=UnitKind.HQ,
            name="峒河街道疫情防控指挥部",
            region_code=world.home_township.code,
            parent_id=outsider_hq.pk,
        )
    assert "parent" in raised.value.errors


def test_names_are_unique_under_one_parent(world, actor_of):
    with pytest.raises(ValidationFailed) as raised:
        unit_create(
            actor=actor_of("hq"),
            kind=UnitKind.WORK_GROUP,
            name="督查组",
            parent_id=world.hq.pk,
            lead_unit="州纪委监委",
        )
    assert "name" in raised.value.errors


@pytest.mark.parametrize("key", ["county_operator", "grid_worker", "workgroup", "inspector"])
def test_roles_without_org_manage_cannot_create_units(world, actor_of, key):
    with pytest.raises(PermissionDenied):
        unit_create(
            actor=actor_of(key),
            kind=UnitKind.WORK_GROUP,
            name="冷链防控组",
            parent_id=world.hq.pk,
            lead_unit="州商务局",
        )


def test_a_unit_outside_the_actors_region_is_not_found(world, commander_at, county_hq):
    with pytest.raises(NotFound):
        unit_update(actor=commander_at(world.other_county), unit_id=county_hq.pk, name="改名")


def test_a_county_commander_cannot_hang_a_group_under_the_city_hq(world, commander_at):
    with pytest.raises(ValidationFailed) as raised:
        unit_create(
            actor=commander_at(world.home_county),
            kind=UnitKind.WORK_GROUP,
            name="冷链防控组",
            parent_id=world.hq.pk,
            lead_unit="吉首市商务局",
        )
    assert "parent" in raised.value.errors


def test_departments_split_on_lines_and_chinese_commas():
    assert split_departments("州公安局\n州住建局、州商务局，州公安局\n\n") == [
        "州公安局",
        "州住建局",
        "州商务局",
    ]


# --- pages -----------------------------------------------------------------------------------


def test_edit_page_saves_and_confirms(signed_in, world):
    group = CommandUnit.objects.get(region=world.city, name="宣传舆情组")
    client = signed_in("comprehensive")
    url = reverse("org:unit_edit", args=[group.pk])
    form = client.get(url).content.decode()
    assert "州委宣传部" in form
    response = client.post(
        url,
        {
            "name": "宣传舆情组",
            "duties": "宣传引导",
            "reports_daily": "on",
            "sort_order": "6",
            "lead_unit": "州委网信办",
            "member_units": "州委宣传部\n州融媒体中心",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(reverse("org:overview"))
    assert "已保存" in response.content.decode()
    assert _seats(group) == (["州委网信办"], ["州委宣传部", "州融媒体中心"])


def test_edit_page_shows_what_to_fix(signed_in, world):
    group = CommandUnit.objects.get(region=world.city, name="宣传舆情组")
    response = signed_in("hq").post(
        reverse("org:unit_edit", args=[group.pk]),
        {"name": "宣传舆情组", "sort_order": "6", "lead_unit": "", "member_units": "州委网信办"},
    )
    assert response.status_code == 200
    assert "工作组须有一个组长单位" in response.content.decode()


def test_create_page_sets_up_a_work_team(signed_in, world):
    response = signed_in("hq").post(
        reverse("org:unit_create"),
        {
            "kind": UnitKind.WORK_TEAM,
            "parent": str(world.hq.pk),
            "name": "数据核查专班",
            "sort_order": "21",
            "duties": "大数据推送信息核查",
        },
    )
    assert response.status_code == 302
    team = CommandUnit.objects.get(name="数据核查专班")
    assert (team.kind, team.parent, team.region) == (UnitKind.WORK_TEAM, world.hq, world.city)


@pytest.mark.parametrize("key", ["grid_worker", "county_operator", "inspector"])
def test_unit_pages_are_403_without_org_manage(signed_in, world, key):
    client = signed_in(key)
    assert client.get(reverse("org:unit_create")).status_code == 403
    edit = reverse("org:unit_edit", args=[world.hq.pk])
    assert client.post(edit, {"name": "改名", "sort_order": "0"}).status_code == 403
    assert CommandUnit.objects.get(pk=world.hq.pk).name == world.hq.name


def test_outsider_gets_404(signed_in, county_hq):
    # The outsider may not manage units at all; a county-level manager of the other county
    # must not even learn that the unit exists.
    from fangkong.accounts.models import RoleAssignment
    from fangkong.core.roles import Role

    outsider = RoleAssignment.objects.get(user__username="outsider")
    outsider.role = Role.HQ_COMMANDER
    outsider.save()
    client = signed_in("outsider")
    assert client.get(reverse("org:unit_edit", args=[county_hq.pk])).status_code == 404
    assert client.get(reverse("org:unit_edit", args=[999999])).status_code == 404
