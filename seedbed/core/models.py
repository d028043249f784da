import re

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_SPACES = re.compile(r"\s+")


def normalise_tag(name: str) -> str:
    """One spelling per tag: trimmed, single-spaced and case-folded, so "Machine  Learning" and
    "machine learning" are the same tag (case-folding leaves Chinese untouched)."""
    return _SPACES.sub(" ", name).strip().casefold()


class Tag(models.Model):
    """A free-form label shared by profiles (skills, interests), posts and projects."""

    MAX_LENGTH = 40

    name = models.CharField(_("name"), max_length=MAX_LENGTH, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """A fixed taxonomy of industry sectors, named in both interface languages."""

    slug = models.SlugField(_("slug"), unique=True)
    name_en = models.CharField(_("English name"), max_length=60)
    name_zh = models.CharField(_("Chinese name"), max_length=60)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en
