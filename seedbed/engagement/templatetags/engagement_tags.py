from typing import Any

from django import template

from seedbed.engagement import badges
from seedbed.engagement.models import HelpfulMark
from seedbed.engagement.trust import level_of

register = template.Library()


@register.inclusion_tag("engagement/_standing.html", takes_context=True)
def member_standing(context: dict[str, Any], member: Any) -> dict[str, Any]:
    """A profile's trust level and badges (two queries); the member's own profile links to
    what the next level needs."""
    user = context.get("user")
    return {
        "level": level_of(member),
        "badges": badges.badges_of(member.pk),
        "mine": user is not None and getattr(user, "pk", None) == member.pk,
    }


@register.simple_tag
def helpful_reply_ids(post: Any) -> set[int]:
    """The post's replies its asker marked helpful: one query per page, kept on the post."""
    if not hasattr(post, "_helpful_reply_ids"):
        post._helpful_reply_ids = set(
            HelpfulMark.objects.filter(post=post).values_list("reply_id", flat=True)
        )
    return post._helpful_reply_ids
