import pytest
from django.test import Client

from seedbed.accounts.models import Role, Visibility
from seedbed.accounts.services import update_profile
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    investor = MemberFactory(display_name="Ivy Investor", city="Shanghai", roles=[Role.INVESTOR])
    update_profile(investor, sectors=["fintech"], skills=["due diligence"])
    founder = MemberFactory(display_name="Fred Founder", city="Berlin", roles=[Role.FOUNDER])
    update_profile(founder, sectors=["ai"], skills=["python"])
    hidden = MemberFactory(
        display_name="Hana Hidden",
        city="Shanghai",
        roles=[Role.INVESTOR],
        visibility=Visibility.MEMBERS,
    )
    return investor, founder, hidden


def _names(response) -> list[str]:
    return [m.display_name for m in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("role=investor", ["Hana Hidden", "Ivy Investor"]),
        ("sector=ai", ["Fred Founder"]),
        ("skill=Python", ["Fred Founder"]),
        ("city=shanghai", ["Hana Hidden", "Ivy Investor"]),
        ("q=fred", ["Fred Founder"]),
        ("role=investor&sector=fintech", ["Ivy Investor"]),
    ],
)
def test_the_directory_filters_by_role_sector_skill_and_city(
    member_client, people, query, expected
):
    response = member_client.get(f"/members/?{query}")
    assert _names(response) == expected


def test_visitors_see_only_public_profiles_in_the_directory(people):
    response = Client().get("/members/?role=investor")
    assert _names(response) == ["Ivy Investor"]
    assert "Hana Hidden" not in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_the_directory_is_paginated(member_client):
    MemberFactory.create_batch(30)
    first = member_client.get("/members/")
    second = member_client.get("/members/?page=2")
    assert len(first.context["page"].object_list) == 24
    assert len(second.context["page"].object_list) == 31 - 24
    assert not set(_names(first)) & set(_names(second))


def test_an_unknown_role_filter_is_ignored_with_a_form_error_not_a_crash(member_client, people):
    response = member_client.get("/members/?role=astronaut")
    assert response.status_code == 200
    assert "role" in response.context["form"].errors


def test_an_htmx_request_gets_only_the_results_fragment(member_client, people):
    response = member_client.get("/members/?role=investor", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body
    assert "<html" not in body


def _seed(n: int) -> None:
    for i in range(n):
        m = MemberFactory(roles=[Role.FOUNDER, Role.MENTOR])
        update_profile(m, sectors=["ai", "fintech"], skills=[f"s{i}", "python"], interests=["x"])


@pytest.mark.parametrize("n", [3, 30])
def test_the_directory_page_runs_a_fixed_number_of_queries(
    member_client, django_assert_max_num_queries, n
):
    _seed(n)
    with django_assert_max_num_queries(10):
        response = member_client.get("/members/")
    assert response.status_code == 200
