"""Who belongs: joining, join requests, invitations, leaving, roles, removals and bans."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.access import is_operator, member_by_handle
from seedbed.accounts.models import User
from seedbed.communities import access
from seedbed.communities import notifications as kinds
from seedbed.communities.access import CommunityAccess
from seedbed.communities.models import (
    Ban,
    Community,
    Invitation,
    JoinRequest,
    Membership,
    ModerationAction,
    Role,
    Visibility,
)
from seedbed.communities.services.moderation import log_action
from seedbed.communities.services.reading import (
    get_community,
    get_listed_community,
    require_moderator,
)
from seedbed.core.text import single_line
from seedbed.notifications.services import notify

INVITATION_DAYS = 14
DECISIONS = ("approve", "decline")
Action = ModerationAction.Action


def _check_not_banned(user: User, community: Community) -> None:
    if Ban.objects.filter(community=community, user=user).exists():
        raise PermissionDenied(_("You are banned from this community."))


def join_community(
    user: User | AnonymousUser, slug: str, message: str = ""
) -> Membership | JoinRequest:
    """Public: join at once. Private: ask the moderators. Hidden: only by invitation."""
    member = access.signed_in_member(user)
    community = get_listed_community(member, slug)
    with transaction.atomic():
        existing = Membership.objects.filter(community=community, user=member).first()
        if existing:
            return existing
        _check_not_banned(member, community)
        if community.visibility == Visibility.PUBLIC:
            return Membership.objects.create(community=community, user=member)
        if community.visibility == Visibility.HIDDEN:
            raise Http404
        pending = JoinRequest.objects.filter(
            community=community, user=member, status=JoinRequest.Status.PENDING
        ).first()
        if pending:
            return pending
        request = JoinRequest.objects.create(
            community=community, user=member, message=(message or "").strip()[:500]
        )
        notify(
            _moderators(community),
            kinds.JOIN_REQUEST,
            actor=member,
            community=community,
        )
        return request


def has_pending_request(user: User | AnonymousUser, community: Community) -> bool:
    return (
        user.is_authenticated
        and JoinRequest.objects.filter(
            community=community, user=user, status=JoinRequest.Status.PENDING
        ).exists()
    )


def _moderators(community: Community) -> list[int]:
    return list(
        Membership.objects.filter(
            community=community, role__in=[Role.OWNER, Role.MODERATOR]
        ).values_list("user_id", flat=True)
    )


def pending_requests(
    user: User | AnonymousUser, slug: str
) -> tuple[CommunityAccess, QuerySet[JoinRequest]]:
    found = require_moderator(user, slug)
    requests = JoinRequest.objects.filter(
        community=found.community, status=JoinRequest.Status.PENDING
    ).select_related("user")
    return found, requests


def decide_join_request(
    user: User | AnonymousUser, slug: str, request_id: int, decision: str
) -> JoinRequest:
    """Approve or decline one pending request of this community; any other word, or a request
    of another community, changes nothing."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose approve or decline.")]})
    found = require_moderator(user, slug)
    moderator = access.signed_in_member(user)
    approve = decision == "approve"
    with transaction.atomic():
        request = (
            JoinRequest.objects.select_for_update()
            .filter(pk=request_id, community=found.community)
            .first()
        )
        if request is None:
            raise Http404
        if request.status != JoinRequest.Status.PENDING:
            raise ValidationError(_("This request was already decided."))
        request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        request.decided_by = moderator
        request.decided_at = timezone.now()
        request.save()
        if approve:
            Ban.objects.filter(community=found.community, user_id=request.user_id).delete()
            Membership.objects.get_or_create(community=found.community, user_id=request.user_id)
            notify(
                [request.user_id],
                kinds.REQUEST_APPROVED,
                actor=moderator,
                community=found.community,
            )
        log_action(
            found.community,
            moderator,
            Action.APPROVE if approve else Action.DECLINE,
            target_user_id=request.user_id,
        )
    return request


def invite_member(user: User | AnonymousUser, slug: str, invitee: int | str) -> Invitation:
    """Invite one member, by id (the API) or by @handle (the page); who may invite is
    :attr:`CommunityAccess.can_invite`."""
    found = get_community(user, slug)
    if not found.can_invite:
        raise PermissionDenied(
            _("Only moderators can invite to this community.")
            if found.is_member
            else _("Only members can invite.")
        )
    inviter = access.signed_in_member(user)
    if isinstance(invitee, str):
        person = member_by_handle(invitee)
        missing = _("No member has the handle @%(h)s.") % {"h": invitee.strip().lstrip("@")}
    else:
        person = User.objects.filter(pk=invitee, is_active=True).first()
        missing = _("No such member.")
    if person is None:
        raise ValidationError({"invitee": [missing]})
    if Membership.objects.filter(community=found.community, user=person).exists():
        raise ValidationError({"invitee": [_("Already a member.")]})
    with transaction.atomic():
        invitation = Invitation.objects.create(
            community=found.community,
            invited_by=inviter,
            invitee=person,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        notify([person.pk], kinds.INVITATION, actor=inviter, community=found.community)
    return invitation


def create_invite_link(user: User | AnonymousUser, slug: str, days: int = 7) -> Invitation:
    found = require_moderator(user, slug)
    if not found.can_invite:
        raise PermissionDenied(_("This community is archived."))
    if not 1 <= days <= 90:
        raise ValidationError({"days": [_("Choose between 1 and 90 days.")]})
    return Invitation.objects.create(
        community=found.community,
        invited_by=access.signed_in_member(user),
        expires_at=timezone.now() + timedelta(days=days),
    )


def get_invitation(user: User | AnonymousUser, token: str) -> Invitation:
    """A usable invitation for this user; anything else looks missing."""
    invitation = Invitation.objects.select_related("community").filter(token=token).first()
    if invitation is None or not invitation.is_usable() or invitation.community.archived_at:
        raise Http404
    if invitation.invitee_id and invitation.invitee_id != user.pk:
        raise Http404
    return invitation


def accept_invitation(user: User | AnonymousUser, token: str) -> Membership:
    member = access.signed_in_member(user)
    invitation = get_invitation(member, token)
    community = invitation.community
    with transaction.atomic():
        _check_not_banned(member, community)
        membership, _created = Membership.objects.get_or_create(community=community, user=member)
        if invitation.invitee_id:
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
        JoinRequest.objects.filter(
            community=community, user=member, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.APPROVED, decided_at=timezone.now())
    return membership


def _owner_count(community: Community) -> int:
    return Membership.objects.filter(community=community, role=Role.OWNER).count()


def leave_community(user: User | AnonymousUser, slug: str) -> None:
    found = get_community(user, slug)
    if found.membership is None:
        return
    with transaction.atomic():
        Community.objects.select_for_update().get(pk=found.community.pk)
        if found.is_owner and _owner_count(found.community) == 1:
            raise ValidationError(
                _("You are the last owner: make someone else an owner before you leave.")
            )
        found.membership.delete()


def set_member_role(user: User | AnonymousUser, slug: str, member_id: int, role: str) -> Membership:
    """Only owners grant roles; the last owner cannot be demoted."""
    found = get_community(user, slug)
    if not found.is_owner:
        raise PermissionDenied(_("Only owners can change roles."))
    owner = access.signed_in_member(user)
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose owner, moderator or member.")]})
    with transaction.atomic():
        Community.objects.select_for_update().get(pk=found.community.pk)
        target = Membership.objects.filter(community=found.community, user_id=member_id).first()
        if target is None:
            raise Http404
        if target.role == Role.OWNER and role != Role.OWNER and _owner_count(found.community) == 1:
            raise ValidationError({"role": [_("The last owner cannot be demoted.")]})
        target.role = role
        target.save(update_fields=["role"])
        log_action(found.community, owner, Action.SET_ROLE, target_user_id=member_id, note=role)
    return target


def remove_member(
    user: User | AnonymousUser,
    slug: str,
    member_id: int,
    *,
    ban: bool = False,
    reason: str = "",
) -> None:
    found = require_moderator(user, slug)
    moderator = access.signed_in_member(user)
    reason = single_line(reason)[:500]
    with transaction.atomic():
        target = Membership.objects.filter(community=found.community, user_id=member_id).first()
        if target and target.role == Role.OWNER:
            raise PermissionDenied(_("Owners cannot be removed; demote them first."))
        if target and target.role == Role.MODERATOR and not (found.is_owner or is_operator(user)):
            raise PermissionDenied(_("Only owners can remove a moderator."))
        if target is None and not ban:
            raise Http404
        if target:
            target.delete()
        if ban:
            if not User.objects.filter(pk=member_id).exists():
                raise Http404
            Ban.objects.get_or_create(
                community=found.community,
                user_id=member_id,
                defaults={"banned_by": moderator, "reason": reason},
            )
            JoinRequest.objects.filter(
                community=found.community, user_id=member_id, status=JoinRequest.Status.PENDING
            ).update(status=JoinRequest.Status.DECLINED, decided_at=timezone.now())
        log_action(
            found.community,
            moderator,
            Action.BAN if ban else Action.REMOVE_MEMBER,
            target_user_id=member_id,
            note=reason,
        )


def unban_member(user: User | AnonymousUser, slug: str, member_id: int) -> None:
    found = require_moderator(user, slug)
    deleted, _rows = Ban.objects.filter(community=found.community, user_id=member_id).delete()
    if not deleted:
        raise Http404
    log_action(
        found.community, access.signed_in_member(user), Action.UNBAN, target_user_id=member_id
    )
