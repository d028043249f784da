"""Every rule and every write about communities, memberships, posts, replies, reactions and
moderation (notifications belong to the notifications app). Views and API handlers parse, call
one function, render.

Conventions: something the caller may not see raises Http404 (exactly like a missing object);
something visible that the caller may not do raises PermissionDenied; bad input raises
ValidationError naming the field; too many posts raises RateLimited. Who may do what is
asked of :class:`seedbed.communities.access.CommunityAccess`.

The modules: ``reading`` (directory, a community, posts, replies, members, search, feed),
``managing`` (create, settings, archive), ``membership`` (join, requests, invitations, roles,
bans), ``posting`` (posts, replies, reactions, mentions), ``moderation`` (reports, queue,
audit log), ``counts`` (stored counters).
Everything public is importable from here.
"""

from seedbed.communities.access import CommunityAccess
from seedbed.communities.services.managing import (
    archive_community,
    community_for_editing,
    create_community,
    update_community,
)
from seedbed.communities.services.membership import (
    accept_invitation,
    create_invite_link,
    decide_join_request,
    get_invitation,
    has_pending_request,
    invite_member,
    join_community,
    leave_community,
    pending_requests,
    remove_member,
    set_member_role,
    unban_member,
)
from seedbed.communities.services.moderation import (
    audit_log,
    dismiss_report,
    get_reportable,
    moderate,
    moderation_queue,
    report_content,
)
from seedbed.communities.services.posting import (
    MAX_BODY,
    MAX_POST_TAGS,
    MAX_TITLE,
    create_post,
    create_reply,
    delete_post,
    delete_reply,
    edit_post,
    edit_reply,
    set_pinned,
    toggle_reaction,
)
from seedbed.communities.services.reading import (
    FEED_PAGE,
    community_directory,
    community_members,
    community_posts,
    get_community,
    get_listed_community,
    get_post,
    get_reply,
    home_feed,
    post_replies,
    reaction_counts,
    reactions_by,
    require_moderator,
)

__all__ = [
    "FEED_PAGE",
    "MAX_BODY",
    "MAX_POST_TAGS",
    "MAX_TITLE",
    "CommunityAccess",
    "accept_invitation",
    "archive_community",
    "audit_log",
    "community_directory",
    "community_for_editing",
    "community_members",
    "community_posts",
    "create_community",
    "create_invite_link",
    "create_post",
    "create_reply",
    "decide_join_request",
    "delete_post",
    "delete_reply",
    "dismiss_report",
    "edit_post",
    "edit_reply",
    "get_community",
    "get_invitation",
    "get_listed_community",
    "get_post",
    "get_reply",
    "get_reportable",
    "has_pending_request",
    "home_feed",
    "invite_member",
    "join_community",
    "leave_community",
    "moderate",
    "moderation_queue",
    "pending_requests",
    "post_replies",
    "reaction_counts",
    "reactions_by",
    "remove_member",
    "report_content",
    "require_moderator",
    "set_member_role",
    "set_pinned",
    "toggle_reaction",
    "unban_member",
    "update_community",
]
