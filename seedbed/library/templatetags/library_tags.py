"""``{% load library_tags %}{% resources_for event %}`` (or ``post``): the resources attached
to an event or a post that the reader may see, with the attach form for those who may attach.
The caller's page already checked that the reader may see the event or post."""

from typing import Any

from django import template

from seedbed.communities.models import Post
from seedbed.events.models import Event
from seedbed.library import services

register = template.Library()


@register.inclusion_tag("library/_attached.html", takes_context=True)
def resources_for(context: template.Context, obj: Event | Post) -> dict[str, Any]:
    user = context.get("user")
    request = context.get("request")
    if isinstance(obj, Event):
        target = "event"
        resources = services.attached(user, event=obj)
        can_attach = services.may_attach_to_event(user, obj)
    else:
        target = "post"
        resources = services.attached(user, post=obj)
        can_attach = services.may_attach_to_post(user, obj)
    attachable = services.attachable_resources(user, obj.community_id)[:200] if can_attach else []
    return {
        "resources": list(resources),
        "can_attach": can_attach,
        "attachable": attachable,
        "target": target,
        "object_id": obj.pk,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
