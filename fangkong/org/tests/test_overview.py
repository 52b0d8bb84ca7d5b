import pytest
from django.urls import reverse

from fangkong.org.models import CommandUnit, MemberUnit, UnitKind
from fangkong.org.selectors import unit_tree

pytestmark = pytest.mark.django_db


def _names(tree) -> set[str]:
    names = set()

    def walk(node):
        names.add(node.unit.name)
        for child in [*node.groups, *node.teams, *node.hqs]:
            walk(child)

    for root in tree.roots:
        walk(root)
    return names


def test_county_operator_sees_its_county_hq_but_not_the_other_county(world, actor_of):
    tree = unit_tree(actor=actor_of("county_operator"))
    assert [root.unit.name for root in tree.roots] == ["吉首市疫情防控指挥部"]
    assert "龙山县疫情防控指挥部" not in _names(tree)
    assert world.hq.name not in _names(tree)


def test_outsider_sees_only_its_own_county(world, actor_of):
    names = _names(unit_tree(actor=actor_of("outsider")))
    assert "龙山县疫情防控指挥部" in names
    assert "吉首市疫情防控指挥部" not in names
    assert (
        not MemberUnit.objects.visible_to(actor_of("outsider"))
        .filter(department__startswith="吉首市")
        .exists()
    )


def test_city_users_see_the_city_hq_with_its_groups_and_county_hqs(world, actor_of):
    for key in ("hq", "workgroup", "inspector"):
        tree = unit_tree(actor=actor_of(key))
        (root,) = tree.roots
        assert root.unit == world.hq
        assert root.groups[0].unit.kind == UnitKind.COMPREHENSIVE_GROUP
        assert "社区防控组" in [g.unit.name for g in root.groups]
        assert [t.unit.name for t in root.teams] == ["2022年“两节”疫情防控工作专班"]
        assert [h.unit.name for h in root.hqs] == ["吉首市疫情防控指挥部", "龙山县疫情防控指挥部"]


def test_work_groups_show_their_lead_and_member_units(world, actor_of):
    tree = unit_tree(actor=actor_of("hq"))
    group = next(g for g in tree.roots[0].groups if g.unit.name == "社区防控组")
    assert group.lead.department == "州民政局"
    assert [m.department for m in group.member_units] == ["州公安局", "州住建局", "州商务局"]


def test_page_shows_the_tree_and_who_reports_daily(signed_in, world):
    client = signed_in("hq")
    response = client.get(reverse("org:overview"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("综合组", "社区防控组", "州民政局", "州商务局", "吉首市疫情防控指挥部"):
        assert text in html
    assert "须每日报告" in html
    reporters = {u.name for u in response.context["tree"].daily_reporters}
    assert {"社区防控组", "吉首市疫情防控指挥部", "龙山县疫情防控指挥部"} <= reporters
    assert "综合组" not in reporters


def test_county_page_hides_the_city_and_the_other_county(signed_in):
    html = signed_in("county_operator").get(reverse("org:overview")).content.decode()
    assert "吉首市民政局" in html
    assert "龙山县" not in html
    assert "州民政局" not in html


def test_only_managers_get_edit_links(signed_in, world):
    edit = reverse("org:unit_edit", args=[world.hq.pk])
    assert edit in signed_in("hq").get(reverse("org:overview")).content.decode()
    assert edit not in signed_in("inspector").get(reverse("org:overview")).content.decode()


@pytest.mark.parametrize("key", ["grid_worker", "county_checkpoint", "auditor"])
def test_roles_without_org_view_get_403(signed_in, key):
    assert signed_in(key).get(reverse("org:overview")).status_code == 403


def _add_work_groups(world, count: int) -> None:
    for n in range(count):
        group = CommandUnit.objects.create(
            region=world.city, kind=UnitKind.WORK_GROUP, parent=world.hq, name=f"临时工作组{n}"
        )
        MemberUnit.objects.create(group=group, department=f"牵头单位{n}", is_lead=True)
        MemberUnit.objects.create(group=group, department=f"成员单位{n}")


@pytest.mark.parametrize("extra", [0, 12])
def test_overview_runs_a_fixed_number_of_queries(
    signed_in, world, extra, django_assert_num_queries
):
    client = signed_in("hq")
    _add_work_groups(world, extra)
    # session, user, role assignment; units, member units; the duty desk in the top bar
    with django_assert_num_queries(6):
        response = client.get(reverse("org:overview"))
    # The test world's 17 units: the city HQ, its comprehensive group, six work groups and the
    # work team; each county's HQ, comprehensive group and two work groups.
    assert response.context["tree"].unit_count == 17 + extra
