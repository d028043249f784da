import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from seedbed.communities import services
from seedbed.communities.models import (
    Ban,
    JoinRequest,
    Membership,
    Role,
)
from seedbed.notifications.models import Notification
from tests.communities.conftest import add_member, client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_member_creates_a_community_and_owns_it(owner):
    community = services.create_community(owner, name="AI 创业者联盟", description="# Hi")
    assert community.slug
    assert Membership.objects.get(community=community, user=owner).role == Role.OWNER
    assert "<h3>Hi</h3>" in community.description_html


def test_an_operator_setting_can_restrict_creation_to_operators(settings, owner):
    settings.COMMUNITY_CREATION = "operators"
    with pytest.raises(PermissionDenied):
        services.create_community(owner, name="Nope")
    staff = MemberFactory(is_staff=True)
    assert services.create_community(staff, name="Yes").pk


def test_joining_a_public_community_is_immediate(public, outsider):
    result = services.join_community(outsider, public.slug)
    assert isinstance(result, Membership)


def test_joining_a_private_community_asks_the_moderators(private, owner, outsider):
    result = services.join_community(outsider, private.slug, "I run a fintech startup")
    assert isinstance(result, JoinRequest)
    assert not Membership.objects.filter(community=private, user=outsider).exists()
    assert Notification.objects.filter(recipient=owner, kind="join_request").exists()
    assert services.join_community(outsider, private.slug) == result


def test_an_approved_request_makes_a_member_and_tells_them(private, owner, outsider):
    request = services.join_community(outsider, private.slug)
    services.decide_join_request(owner, private.slug, request.pk, "approve")
    assert Membership.objects.filter(community=private, user=outsider).exists()
    assert Notification.objects.filter(recipient=outsider, kind="request_approved").exists()
    with pytest.raises(ValidationError):
        services.decide_join_request(owner, private.slug, request.pk, "decline")


def test_a_declined_request_leaves_them_outside(private, owner, outsider):
    request = services.join_community(outsider, private.slug)
    services.decide_join_request(owner, private.slug, request.pk, "decline")
    assert not Membership.objects.filter(community=private, user=outsider).exists()


def test_plain_members_cannot_decide_requests(private, member_of_private, outsider):
    request = services.join_community(outsider, private.slug)
    with pytest.raises(PermissionDenied):
        services.decide_join_request(member_of_private, private.slug, request.pk, "approve")


def test_a_request_is_decided_only_under_its_own_communitys_address(
    private, public, owner, outsider
):
    request = services.join_community(outsider, private.slug)
    with pytest.raises(Http404):
        services.decide_join_request(owner, public.slug, request.pk, "approve")
    page = client_for(owner).post(f"/c/{public.slug}/requests/{request.pk}/approve/")
    api = client_for(owner).post(f"/api/v1/communities/{public.slug}/requests/{request.pk}/approve")
    assert (page.status_code, api.status_code) == (404, 404)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING


def test_a_decision_other_than_approve_or_decline_is_refused_and_changes_nothing(
    private, owner, outsider
):
    request = services.join_community(outsider, private.slug)
    with pytest.raises(ValidationError) as error:
        services.decide_join_request(owner, private.slug, request.pk, "maybe")
    assert "decision" in error.value.message_dict
    browser = client_for(owner)
    page = browser.post(f"/c/{private.slug}/requests/{request.pk}/approved/", follow=True)
    assert "Choose approve or decline." in page.content.decode()
    api = browser.post(f"/api/v1/communities/{private.slug}/requests/{request.pk}/yes")
    assert api.status_code == 422
    assert [e["field"] for e in api.json()["errors"]] == ["decision"]
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(community=private, user=outsider).exists()


def test_members_invite_by_handle_and_an_unknown_handle_is_named(public, member_of_public):
    invitee = MemberFactory(handle="grace.h")
    browser = client_for(member_of_public)
    browser.post(f"/c/{public.slug}/invite/", {"handle": "@Grace.H"})
    assert Notification.objects.filter(recipient=invitee, kind="invitation").exists()
    page = browser.post(f"/c/{public.slug}/invite/", {"handle": "nobody"}, follow=True)
    assert "No member has the handle @nobody." in page.content.decode()


def test_a_hidden_community_cannot_be_found_or_joined_without_an_invitation(hidden, outsider):
    with pytest.raises(Http404):
        services.join_community(outsider, hidden.slug)


def test_an_invitation_link_lets_someone_join_a_hidden_community(hidden, owner, outsider):
    invitation = services.create_invite_link(owner, hidden.slug)
    services.accept_invitation(outsider, invitation.token)
    assert Membership.objects.filter(community=hidden, user=outsider).exists()


def test_a_personal_invitation_works_only_for_the_invitee(private, owner, outsider):
    invitation = services.invite_member(owner, private.slug, outsider.pk)
    assert Notification.objects.filter(recipient=outsider, kind="invitation").exists()
    stranger = MemberFactory()
    with pytest.raises(Http404):
        services.accept_invitation(stranger, invitation.token)
    services.accept_invitation(outsider, invitation.token)
    assert Membership.objects.filter(community=private, user=outsider).exists()


def test_the_last_owner_can_neither_leave_nor_be_demoted(public, owner):
    with pytest.raises(ValidationError):
        services.leave_community(owner, public.slug)
    with pytest.raises(ValidationError):
        services.set_member_role(owner, public.slug, owner.pk, Role.MEMBER)
    second = add_member(public, role=Role.OWNER)
    services.set_member_role(second, public.slug, owner.pk, Role.MEMBER)
    assert Membership.objects.get(community=public, user=owner).role == Role.MEMBER


def test_only_owners_grant_roles(public, member_of_public):
    moderator = add_member(public, role=Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        services.set_member_role(moderator, public.slug, member_of_public.pk, Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        services.set_member_role(member_of_public, public.slug, member_of_public.pk, Role.OWNER)


def test_a_member_leaves(public, member_of_public):
    services.leave_community(member_of_public, public.slug)
    assert not Membership.objects.filter(community=public, user=member_of_public).exists()


def test_a_banned_member_is_removed_cannot_rejoin_and_cannot_read(public, owner, member_of_public):
    services.remove_member(owner, public.slug, member_of_public.pk, ban=True, reason="spam")
    assert not Membership.objects.filter(community=public, user=member_of_public).exists()
    assert Ban.objects.filter(community=public, user=member_of_public).exists()
    with pytest.raises(PermissionDenied):
        services.join_community(member_of_public, public.slug)
    assert client_for(member_of_public).get(f"/c/{public.slug}/").status_code == 404
    services.unban_member(owner, public.slug, member_of_public.pk)
    assert isinstance(services.join_community(member_of_public, public.slug), Membership)


def test_moderators_cannot_remove_owners(public, owner):
    moderator = add_member(public, role=Role.MODERATOR)
    with pytest.raises(PermissionDenied):
        services.remove_member(moderator, public.slug, owner.pk)


def test_an_archived_community_disappears_from_the_directory(public, owner, outsider):
    services.archive_community(owner, public.slug)
    assert public.slug not in client_for(outsider).get("/c/").content.decode()
    assert client_for(outsider).get(f"/c/{public.slug}/").status_code == 404


def test_the_directory_shows_private_communities_but_not_their_member_counts(private, outsider):
    response = client_for(outsider).get("/c/")
    listed = {c.slug: c for c in response.context["page"].object_list}
    assert private.slug in listed
    assert listed[private.slug].visible_member_count is None


def test_bad_community_input_names_the_field(owner):
    with pytest.raises(ValidationError) as error:
        services.create_community(owner, name="", visibility="secret", sector="mars")
    assert {"name", "visibility", "sector"} <= set(error.value.message_dict)
