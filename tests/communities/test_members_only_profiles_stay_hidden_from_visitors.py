"""A public community's member list follows the member directory's rule: a visitor sees only
public profiles; signed-in members see every active one. The counts follow the list."""

import pytest

from seedbed.accounts.models import Visibility as ProfileVisibility
from tests.communities.conftest import add_member, client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shy(public):
    """A member of the public community whose profile is for signed-in members only."""
    return add_member(
        public,
        MemberFactory(
            display_name="Sasha Shy", handle="sashashy", visibility=ProfileVisibility.MEMBERS
        ),
    )


@pytest.fixture
def open_member(public):
    return add_member(public, MemberFactory(display_name="Paula Public", handle="paulapublic"))


def test_a_visitor_does_not_see_a_members_only_profile_on_the_members_page(
    public, shy, open_member
):
    page = client_for(None).get(f"/c/{public.slug}/members/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Paula Public" in body
    assert "Sasha Shy" not in body and "sashashy" not in body
    assert f"/members/{shy.pk}/" not in body


def test_a_signed_in_member_sees_the_members_only_profile(public, shy, open_member, outsider):
    body = client_for(outsider).get(f"/c/{public.slug}/members/").content.decode()
    assert "Sasha Shy" in body and "Paula Public" in body


def test_the_members_api_leaves_members_only_profiles_out_of_the_list_and_the_count(
    public, owner, shy, open_member
):
    body = client_for(None).get(f"/api/v1/communities/{public.slug}/members").json()
    ids = {row["user"]["id"] for row in body["items"]}
    assert ids == {owner.pk, open_member.pk}
    assert body["count"] == 2


def test_the_members_api_lists_everyone_to_a_signed_in_member(
    public, owner, shy, open_member, outsider
):
    body = client_for(outsider).get(f"/api/v1/communities/{public.slug}/members").json()
    assert {row["user"]["id"] for row in body["items"]} == {owner.pk, shy.pk, open_member.pk}
    assert body["count"] == 3


def test_the_directory_count_a_visitor_sees_leaves_members_only_profiles_out(
    public, shy, open_member, outsider
):
    listed = client_for(None).get("/api/v1/communities").json()["items"]
    assert [c["member_count"] for c in listed if c["slug"] == public.slug] == [2]
    page = client_for(None).get("/c/").content.decode()
    assert "2 members" in page and "3 members" not in page
    signed_in = client_for(outsider).get("/api/v1/communities").json()["items"]
    assert [c["member_count"] for c in signed_in if c["slug"] == public.slug] == [3]


def test_the_members_page_and_api_keep_a_fixed_query_budget(public, django_assert_max_num_queries):
    for _ in range(12):
        add_member(public, MemberFactory(visibility=ProfileVisibility.MEMBERS))
        add_member(public)
    for who in (None, MemberFactory()):
        browser = client_for(who)
        with django_assert_max_num_queries(10):
            assert browser.get(f"/c/{public.slug}/members/").status_code == 200
        with django_assert_max_num_queries(8):
            assert browser.get(f"/api/v1/communities/{public.slug}/members").status_code == 200
