"""An archived community: read-only for its members, gone for everyone else, and the one
reading rule (``can_read`` for one community, ``readable_communities`` as a query) agrees
everywhere, archived or not."""

import pytest
from django.core.exceptions import PermissionDenied

from seedbed.communities import access, services
from seedbed.communities.models import Ban, Visibility
from tests.communities.conftest import add_member, client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_reading_one_community_and_listing_readable_ones_agree_for_everyone(owner):
    member, banned, outsider = MemberFactory(), MemberFactory(), MemberFactory()
    operator = MemberFactory(is_staff=True)
    communities = []
    for visibility in Visibility.values:
        for archived in (False, True):
            community = services.create_community(
                owner, name=f"{visibility} {archived}", visibility=visibility
            )
            add_member(community, member)
            Ban.objects.create(community=community, user=banned, banned_by=owner)
            if archived:
                services.archive_community(owner, community.slug)
            communities.append(community)
    for user in (None, member, banned, outsider, operator, owner):
        readable = set(access.readable_communities(user).values_list("pk", flat=True))
        for community in communities:
            community.refresh_from_db()
            one = access.can_read(user, community, access.membership_of(user, community))
            assert one == (community.pk in readable), (user, community.name)


@pytest.fixture
def archived(public, owner, member_of_public):
    post = services.create_post(member_of_public, public.slug, title="Old news", body="b")
    services.archive_community(owner, public.slug)
    public.refresh_from_db()
    return post


def test_members_still_read_an_archived_community(public, member_of_public, archived):
    assert public in access.readable_communities(member_of_public)
    page = client_for(member_of_public).get(f"/c/{public.slug}/")
    assert page.status_code == 200 and "Old news" in page.content.decode()
    assert client_for(member_of_public).get(f"/p/{archived.pk}/").status_code == 200


def test_outsiders_and_visitors_no_longer_read_it(public, outsider, archived):
    assert public not in access.readable_communities(outsider)
    assert client_for(outsider).get(f"/c/{public.slug}/").status_code == 404
    assert client_for(None).get(f"/p/{archived.pk}/").status_code == 404


def test_an_archived_community_is_read_only_and_its_pages_offer_no_writing(
    public, owner, member_of_public, archived
):
    for write in (
        lambda: services.create_post(member_of_public, public.slug, title="t", body="b"),
        lambda: services.create_reply(member_of_public, archived.pk, body="b"),
        lambda: services.toggle_reaction(member_of_public, kind="like", post_id=archived.pk),
        lambda: services.edit_post(member_of_public, archived.pk, title="New"),
        lambda: services.set_pinned(owner, archived.pk, True),
        lambda: services.update_community(owner, public.slug, name="Renamed"),
    ):
        with pytest.raises(PermissionDenied):
            write()
    page = client_for(member_of_public).get(f"/p/{archived.pk}/").content.decode()
    assert f"/p/{archived.pk}/edit/" not in page
    assert f"/p/{archived.pk}/react/" not in page
    assert f"/p/{archived.pk}/replies/" not in page
    owners_page = client_for(owner).get(f"/c/{public.slug}/").content.decode()
    assert f"/c/{public.slug}/edit/" not in owners_page
    assert f"/c/{public.slug}/posts/" not in owners_page
