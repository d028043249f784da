import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from seedbed.accounts.models import Role
from seedbed.accounts.services import member_statistics
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client() -> Client:
    client = Client()
    client.force_login(MemberFactory(is_staff=True, roles=[Role.OPERATOR]))
    return client


def test_operators_see_membership_figures(operator_client):
    MemberFactory.create_batch(3, city="成都", roles=[Role.FOUNDER])
    MemberFactory(is_active=False, city="成都")
    response = operator_client.get("/operator/")
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats["total"] == 4
    assert {"city": "成都", "count": 3} in stats["by_city"]
    assert {r["role"]: r["count"] for r in stats["by_role"]}["founder"] == 3


def test_the_overview_leads_to_insights_and_the_recommendation_report(operator_client):
    body = operator_client.get("/operator/").content.decode()
    assert 'href="/operator/insights/"' in body and 'href="/operator/recommendations/"' in body


def test_members_who_are_not_operators_are_refused(member_client):
    assert member_client.get("/operator/").status_code == 403


def test_a_deactivated_staff_account_is_no_operator():
    former = MemberFactory(is_staff=True, is_active=False)
    assert not former.is_operator
    with pytest.raises(PermissionDenied):
        member_statistics(former)


def test_only_operators_see_the_operator_links_in_the_menu(member_client, operator_client):
    assert 'href="/operator/"' in operator_client.get("/").content.decode()
    assert 'href="/operator/"' not in member_client.get("/").content.decode()


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/operator/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_only_operators_reach_the_admin(member_client, operator_client):
    assert member_client.get("/admin/").status_code == 302
    assert operator_client.get("/admin/").status_code == 200


@pytest.mark.parametrize("n", [2, 40])
def test_the_overview_runs_a_fixed_number_of_queries(
    operator_client, django_assert_max_num_queries, n
):
    for i in range(n):
        MemberFactory(city=f"City {i % 12}", roles=[Role.FOUNDER, Role.MENTOR])
    with django_assert_max_num_queries(8):
        assert operator_client.get("/operator/").status_code == 200
