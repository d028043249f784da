from django import template

from seedbed.communities.access import CommunityAccess
from seedbed.communities.models import Post, Reply

register = template.Library()


@register.simple_tag
def reaction_state(counts: dict, mine: dict, target: str, pk: int, kind: str) -> dict:
    """How many reacted with `kind`, and whether the viewer did, for one post or reply."""
    key = (target, pk)
    return {"count": counts.get(key, {}).get(kind, 0), "mine": kind in mine.get(key, ())}


@register.filter
def can_edit(access: CommunityAccess, content: Post | Reply) -> bool:
    """``{% if access|can_edit:post %}``: the service's own rule, asked by the template."""
    return access.can_edit(content)


@register.filter
def can_report(access: CommunityAccess, content: Post | Reply) -> bool:
    return access.can_report(content)


@register.filter
def wrote(access: CommunityAccess, content: Post | Reply) -> bool:
    return access.wrote(content)
