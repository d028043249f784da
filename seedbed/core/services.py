from collections.abc import Iterable

from seedbed.core.models import Tag, normalise_tag


def tags_named(names: Iterable[str]) -> list[Tag]:
    """The Tag rows for the given names, creating the missing ones in one bulk insert."""
    wanted = list(dict.fromkeys(n for n in (normalise_tag(x) for x in names) if n))
    if not wanted:
        return []
    Tag.objects.bulk_create([Tag(name=n) for n in wanted], ignore_conflicts=True)
    by_name = {t.name: t for t in Tag.objects.filter(name__in=wanted)}
    return [by_name[n] for n in wanted]
