from datetime import datetime

from django import template
from django.utils.timesince import timesince

from seedbed.core.markdown import plain_text

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    """ "3 hours" rather than "3 hours, 14 minutes": lists read faster with one unit."""
    return timesince(value, depth=1) if value else ""


@register.filter
def summary(markdown: str, length: int = 140) -> str:
    """Markdown reduced to plain text and shortened, for cards and previews."""
    return plain_text(markdown or "", limit=int(length))
