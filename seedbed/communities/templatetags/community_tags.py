from django import template

register = template.Library()


@register.simple_tag
def reaction_state(counts: dict, mine: dict, target: str, pk: int, kind: str) -> dict:
    """How many reacted with `kind`, and whether the viewer did, for one post or reply."""
    key = (target, pk)
    return {"count": counts.get(key, {}).get(kind, 0), "mine": kind in mine.get(key, ())}
