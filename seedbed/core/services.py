from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from seedbed.core.models import Tag, normalise_tag


def tags_named(names: Iterable[str]) -> list[Tag]:
    """The Tag rows for the given names, creating the missing ones in one bulk insert."""
    wanted = list(dict.fromkeys(n for n in (normalise_tag(x) for x in names) if n))
    if not wanted:
        return []
    Tag.objects.bulk_create([Tag(name=n) for n in wanted], ignore_conflicts=True)
    by_name = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    return [by_name[n] for n in wanted]


def clean_text(field: str, value, *, required: bool, limit: int) -> str:
    """A trimmed text input, or a ValidationError naming ``field``: NUL characters (which
    PostgreSQL refuses), empty when required, longer than ``limit``."""
    value = str(value or "").strip()
    if "\x00" in value:
        raise ValidationError({field: [_("This contains a NUL character.")]})
    if required and not value:
        raise ValidationError({field: [_("This cannot be empty.")]})
    if len(value) > limit:
        raise ValidationError(
            {
                field: [
                    _("At most %(n)s characters (this has %(m)s).")
                    % {"n": f"{limit:,}", "m": f"{len(value):,}"}
                ]
            }
        )
    return value
