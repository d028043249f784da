import pytest
from django.test import Client

from seedbed.accounts.models import Role, Visibility
from seedbed.accounts.services import create_api_token, update_profile
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(member) -> Client:
    _token, secret = create_api_token(member, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_visitors_list_only_public_profiles(client):
    public = MemberFactory(visibility=Visibility.PUBLIC)
    hidden = MemberFactory(visibility=Visibility.MEMBERS)
    body = client.get("/api/v1/members").json()
    ids = [m["id"] for m in body["items"]]
    assert public.pk in ids and hidden.pk not in ids
    assert body["count"] == 1
    assert client.get(f"/api/v1/members/{hidden.pk}").status_code == 404
    assert client.get(f"/api/v1/members/{public.pk}").status_code == 200


def test_members_see_members_only_profiles(api):
    hidden = MemberFactory(visibility=Visibility.MEMBERS, display_name="Hidden Hu")
    assert api.get(f"/api/v1/members/{hidden.pk}").json()["display_name"] == "Hidden Hu"


def test_a_missing_member_is_404_json(api):
    response = api.get("/api/v1/members/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_the_member_api_never_exposes_email_addresses(client, api):
    MemberFactory(email="secret-address@example.org")
    assert "secret-address" not in client.get("/api/v1/members").content.decode()
    assert "secret-address" not in api.get("/api/v1/members").content.decode()


def test_the_directory_endpoint_filters_and_paginates(api):
    for i in range(5):
        m = MemberFactory(city="Shenzhen", roles=[Role.TALENT])
        update_profile(m, skills=["rust"] if i % 2 else ["go"], sectors=["hardware"])
    MemberFactory(city="Berlin", roles=[Role.INVESTOR])
    body = api.get("/api/v1/members?role=talent&skill=Rust&city=shenzhen").json()
    assert body["count"] == 2
    page = api.get("/api/v1/members?sector=hardware&page_size=2&page=3").json()
    assert page["count"] == 5 and len(page["items"]) == 1


def test_an_unknown_role_filter_is_422_naming_the_field(api):
    response = api.get("/api/v1/members?role=astronaut")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"


@pytest.mark.parametrize("n", [3, 30])
def test_the_directory_endpoint_runs_a_fixed_number_of_queries(
    api, django_assert_max_num_queries, n
):
    for i in range(n):
        m = MemberFactory(roles=[Role.FOUNDER, Role.MENTOR])
        update_profile(m, sectors=["ai"], skills=[f"s{i}"], interests=["x"])
    with django_assert_max_num_queries(9):
        response = api.get("/api/v1/members?page_size=50")
    assert response.status_code == 200
    assert len(response.json()["items"]) == n + 1
