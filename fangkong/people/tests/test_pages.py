import pytest
from django.urls import reverse

from fangkong.audit.models import AccessEntry
from fangkong.people.models import Person

from .factories import resident_id

SEARCH = reverse("people:search")


def detail_url(person) -> str:
    return reverse("people:detail", args=[person.pk])


@pytest.fixture
def signed_in(client, world):
    def sign_in(key: str):
        user = world.user(key)
        if key == "sysadmin":  # administrators must have a second factor to get anywhere
            user.totp_secret, user.totp_enabled = "JBSWY3DPEHPK3PXP", True
            user.save()
        client.force_login(user)
        return client

    return sign_in


def test_search_lists_masked_people_only(signed_in, make_person):
    person = make_person(name="田秋菊", phone="13907431111")

    html = signed_in("grid_worker").get(SEARCH).content.decode()

    assert person.masked_name in html and person.masked_document in html
    assert "139****1111" in html
    for plain in (person.name, person.document_number, person.phone):
        assert plain not in html
    assert 'class="list cards"' in html and 'data-label="证件号码"' in html


def test_search_by_document_number_finds_one(signed_in, make_person):
    wanted, _ = make_person(), make_person()

    response = signed_in("grid_worker").post(SEARCH, {"q": wanted.document_number.lower()})

    assert list(response.context["page"].object_list) == [wanted]
    html = response.content.decode()
    assert wanted.document_number not in html and wanted.document_number.lower() not in html
    assert wanted.masked_document in html


def test_search_by_phone_and_by_name(signed_in, make_person):
    by_phone = make_person(phone="13907432222")
    by_name = make_person(name="龙秀兰", phone="")
    client = signed_in("grid_worker")

    by_phone_page = client.post(SEARCH, {"q": "139 0743 2222"})
    assert list(by_phone_page.context["page"].object_list) == [by_phone]
    assert "2222" not in by_phone_page.content.decode().replace("139****2222", "")
    assert list(client.get(SEARCH, {"q": "秀兰"}).context["page"].object_list) == [by_name]


def test_invalid_id_query_explains_itself(signed_in, make_person):
    number = make_person().document_number
    wrong = number[:17] + ("0" if number[17] != "0" else "1")

    response = signed_in("grid_worker").get(SEARCH, {"q": wrong})

    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()


def test_grid_worker_sees_only_his_village(signed_in, world, make_person, other_village):
    hidden = make_person(region=other_village)

    response = signed_in("grid_worker").get(SEARCH)

    people = list(response.context["page"].object_list)
    assert people and {p.region_id for p in people} == {world.home_village.code}
    assert detail_url(hidden) not in response.content.decode()


def test_region_filter_narrows_the_list(signed_in, world, other_village):
    response = signed_in("county_operator").get(SEARCH, {"region": other_village.code})

    people = list(response.context["page"].object_list)
    assert people and {p.region_id for p in people} == {other_village.code}


def test_search_is_paginated_by_50(signed_in, world, make_person):
    for _ in range(52):
        make_person(name="分页测试")

    client = signed_in("grid_worker")

    first = client.post(SEARCH, {"q": "分页测试"})
    second = client.get(SEARCH, {"q": "分页测试", "page": 2})

    assert "共 52 人" in first.content.decode()
    assert (
        "?q=%E5%88%86%E9%A1%B5%E6%B5%8B%E8%AF%95&amp;region=&amp;page=2" in first.content.decode()
    )
    assert len(second.context["page"].object_list) == 2


def test_htmx_search_returns_only_the_results(signed_in):
    response = signed_in("grid_worker").post(SEARCH, {"q": "测试"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html


@pytest.mark.parametrize("rows", [5, 40])
def test_search_query_count_does_not_grow_with_rows(
    signed_in, make_person, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_person(name="计数测试")
    client = signed_in("county_operator")
    client.get(SEARCH)  # the session's first request also stamps it

    with django_assert_num_queries(7):
        response = client.get(SEARCH, {"q": "计数测试"})

    assert response.context["page"].paginator.count == rows


@pytest.mark.parametrize("key", ["auditor", "sysadmin"])
@pytest.mark.parametrize("name", ["people:search", "people:register"])
def test_roles_without_people_permissions_get_403(signed_in, key, name):
    assert signed_in(key).get(reverse(name)).status_code == 403


def test_detail_is_masked_with_the_region_breadcrumb(signed_in, world, make_person):
    person = make_person(current_address="吉首市矮寨镇德夯村3组12号", phone="13907433333")

    html = signed_in("grid_worker").get(detail_url(person)).content.decode()

    assert person.masked_document in html and "139****3333" in html
    assert "德夯村****" in html and "3组12号" not in html
    for plain in (person.name, person.document_number, person.phone):
        assert plain not in html
    assert world.home_township.name in html and world.home_village.name in html


def test_detail_of_another_village_is_404(signed_in, make_person, other_village):
    person = make_person(region=other_village)

    assert signed_in("grid_worker").get(detail_url(person)).status_code == 404
    assert signed_in("outsider").get(detail_url(person)).status_code == 404


def test_outsider_gets_404_for_the_home_county(signed_in, make_person):
    person = make_person()
    client = signed_in("outsider")

    assert client.get(detail_url(person)).status_code == 404
    assert client.get(reverse("people:edit", args=[person.pk])).status_code == 404
    assert client.post(detail_url(person), {"purpose": "核实"}).status_code == 404
    assert not AccessEntry.objects.exists()


def test_reveal_without_javascript_rerenders_the_page_with_plain_values(signed_in, make_person):
    person = make_person(phone="13907434444")

    response = signed_in("grid_worker").post(
        detail_url(person), {"purpose": "电话核实行程", "show": ["document_number", "phone"]}
    )

    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert person.document_number in html and "13907434444" in html
    entry = AccessEntry.objects.get()
    assert (entry.purpose, entry.person_id) == ("电话核实行程", person.pk)


def test_reveal_with_htmx_returns_the_partial(signed_in, make_person):
    person = make_person()

    response = signed_in("grid_worker").post(
        detail_url(person),
        {"purpose": "电话核实行程", "show": ["document_number"]},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert "<html" not in html and 'id="reveal-box"' in html
    assert person.document_number in html
    assert AccessEntry.objects.count() == 1


def test_reveal_without_purpose_shows_an_error_and_logs_nothing(signed_in, make_person):
    person = make_person()

    response = signed_in("grid_worker").post(detail_url(person), {"purpose": ""})

    html = response.content.decode()
    assert "请说明查看用途" in html and person.document_number not in html
    assert not AccessEntry.objects.exists()


def test_inspector_sees_no_reveal_form_and_cannot_post_one(signed_in, make_person):
    person = make_person()
    client = signed_in("inspector")

    assert 'name="purpose"' not in client.get(detail_url(person)).content.decode()
    assert client.post(detail_url(person), {"purpose": "核实身份"}).status_code == 403
    assert not AccessEntry.objects.exists()


def test_detail_query_count(signed_in, make_person, django_assert_num_queries):
    person = make_person()
    client = signed_in("grid_worker")
    client.get(detail_url(person))

    # Six for the person and the page, and two for each section of 一人一档 a grid worker
    # may read (screening, arrivals, measures, tests: people/dossier.py).
    with django_assert_num_queries(6 + 2 * 4):
        client.get(detail_url(person))


def test_register_page_defaults_to_the_workers_village(signed_in, world):
    response = signed_in("grid_worker").get(reverse("people:register"))

    assert response.status_code == 200
    assert response.context["form"]["region"].value() == world.home_village.code


def test_register_creates_and_opens_the_person(signed_in, world):
    number = resident_id()

    response = signed_in("grid_worker").post(
        reverse("people:register"),
        {
            "name": "彭德怀",
            "document_type": "resident_id",
            "document_number": number,
            "phone": "13907435555",
            "region": world.home_village.code,
        },
        follow=True,
    )

    person = Person.objects.get(name="彭德怀")
    assert response.redirect_chain[-1][0] == detail_url(person)
    assert "已登记" in response.content.decode()


def test_register_of_a_known_document_opens_the_existing_person(signed_in, world, make_person):
    existing = make_person()
    count = Person.objects.count()

    response = signed_in("grid_worker").post(
        reverse("people:register"),
        {
            "name": "别的名字",
            "document_type": "resident_id",
            "document_number": existing.document_number,
            "region": world.home_village.code,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == detail_url(existing)
    assert "该证件已登记，已为您打开现有人员" in response.content.decode()
    assert Person.objects.count() == count


def test_register_of_a_document_known_elsewhere_is_refused_without_details(
    signed_in, world, make_person, outsider_village
):
    existing = make_person(region=outsider_village, name="向金花")

    response = signed_in("grid_worker").post(
        reverse("people:register"),
        {
            "name": "向金花",
            "document_type": "resident_id",
            "document_number": existing.document_number,
            "region": world.home_village.code,
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "已在其他地区登记" in html and "指挥部" in html
    assert outsider_village.name not in html and detail_url(existing) not in html


def test_register_form_names_the_disagreeing_field(signed_in, world):
    response = signed_in("grid_worker").post(
        reverse("people:register"),
        {
            "name": "张三",
            "document_type": "resident_id",
            "document_number": resident_id(male=True),
            "sex": "F",
            "region": world.home_village.code,
        },
    )

    assert response.context["form"].errors["sex"][0].startswith("性别与身份证号不符")


def test_edit_leaves_blank_identifiers_unchanged(signed_in, world, make_person):
    person = make_person(phone="13907436666", ethnic_group="苗族")
    client = signed_in("grid_worker")

    page = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert person.document_number not in page and person.name not in page
    response = client.post(
        reverse("people:edit", args=[person.pk]),
        {
            "document_type": "resident_id",
            "ethnic_group": "土家族",
            "region": world.home_village.code,
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat(),
        },
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.ethnic_group, person.phone, person.name) == ("土家族", "13907436666", "测试人员")


def test_inspector_cannot_edit(signed_in, make_person):
    person = make_person()

    assert signed_in("inspector").get(reverse("people:edit", args=[person.pk])).status_code == 403
