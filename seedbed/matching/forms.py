"""Forms of the matching pages. They only parse what the browser sends into the shapes the
services take; the services validate (ranges, lengths, known choices) and their
``ValidationError`` is put back onto the fields by ``seedbed.core.pages.attempt``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from seedbed.accounts.models import Stage
from seedbed.core.sectors import SECTORS
from seedbed.matching.models import (
    Availability,
    Instrument,
    Offer,
    OfferKind,
    PriceBand,
    Project,
    ProjectStatus,
    ServiceType,
)
from seedbed.matching.templatetags.matching_tags import sector_label

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DOLLARS = _("Whole US dollars, without separators (e.g. 500000).")
COMMAS = _("Separate with commas.")


def sector_choices() -> list[tuple[str, str]]:
    """The fixed taxonomy in the active language, without a query (a callable, so the
    language is the request's)."""
    return [(slug, sector_label(slug)) for slug, _en, _zh in SECTORS]


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


def _tag_text(tags) -> str:
    return ", ".join(t.name for t in tags)


def _multiple(label, choices, help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"))
    one_liner = forms.CharField(label=_("One-liner"), help_text=_("What you do, in one line."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    sectors = _multiple(_("Sectors"), sector_choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=_blank(Stage.choices))
    city = forms.CharField(label=_("City"), required=False)
    traction = forms.CharField(
        label=_("Traction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Users, revenue, pilots, growth."),
    )
    has_paying_customers = forms.BooleanField(label=_("We have paying customers"), required=False)
    has_working_product = forms.BooleanField(label=_("We have a working product"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)

    needs_funding = forms.BooleanField(label=_("We are raising funding"), required=False)
    funding_min = forms.IntegerField(label=_("Raising at least"), required=False, help_text=DOLLARS)
    funding_max = forms.IntegerField(label=_("Raising at most"), required=False, help_text=DOLLARS)
    funding_instrument = forms.ChoiceField(
        label=_("Instrument"), required=False, choices=_blank(Instrument.choices)
    )
    funding_notes = forms.CharField(
        label=_("Funding details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Valuation, use of funds, current investors. Like the amounts, only your team, "
            "operators and investors whose intro you accepted see this."
        ),
    )
    needs_talent = forms.BooleanField(label=_("We are hiring"), required=False)
    roles_sought = forms.CharField(label=_("Roles sought"), required=False)
    skills_sought = forms.CharField(label=_("Skills sought"), required=False, help_text=COMMAS)
    needs_mentoring = forms.BooleanField(
        label=_("We are looking for mentors or technology"), required=False
    )
    topics_sought = forms.CharField(label=_("Mentoring topics"), required=False, help_text=COMMAS)
    needs_services = forms.BooleanField(label=_("We are looking for services"), required=False)
    services_sought = _multiple(_("Services sought"), ServiceType.choices)
    intro_limit = forms.IntegerField(
        label=_("Matches per round"),
        required=False,
        initial=3,
        help_text=_("How many matches this project can take in one matching round."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["status"]

    def service_fields(self) -> dict:
        """Every field, empty ones as "" so that clearing a value on edit clears it."""
        return {name: ("" if value is None else value) for name, value in self.cleaned_data.items()}

    @staticmethod
    def initial_for(project: Project) -> dict:
        """For the edit form, which only the team (who may read the deal data) opens."""
        names = [name for name in ProjectForm.base_fields if name not in ("sectors",)]
        initial = {name: getattr(project, name) for name in names}
        initial["sectors"] = [s.slug for s in project.sectors.all()]
        initial["skills_sought"] = _tag_text(project.skills_sought.all())
        initial["topics_sought"] = _tag_text(project.topics_sought.all())
        return initial


KIND_FIELDS: dict[str, tuple[str, ...]] = {
    OfferKind.INVESTOR: (
        "title",
        "description",
        "sectors",
        "stages",
        "ticket_min",
        "ticket_max",
        "regions",
        "excluded_sectors",
        "capacity",
    ),
    OfferKind.TALENT: (
        "title",
        "description",
        "skills",
        "role_sought",
        "availability",
        "city",
        "remote",
    ),
    OfferKind.MENTOR: ("title", "description", "sectors", "topics", "capacity"),
    OfferKind.SERVICE: (
        "title",
        "description",
        "sectors",
        "service_type",
        "price_band",
        "topics",
        "capacity",
    ),
}
DESCRIPTION_LABELS: dict[str, StrOrPromise] = {
    OfferKind.INVESTOR: _("Investment thesis"),
    OfferKind.TALENT: _("About you"),
    OfferKind.MENTOR: _("Expertise"),
    OfferKind.SERVICE: _("The service"),
}
CAPACITY_HELP: dict[str, StrOrPromise] = {
    OfferKind.INVESTOR: _("Meetings per round."),
    OfferKind.MENTOR: _("Office hours per month."),
    OfferKind.SERVICE: _("Clients per round."),
}
TAG_FIELDS = ("skills", "topics")


class OfferForm(forms.Form):
    """One form for the four kinds; only the kind's own fields are kept."""

    title = forms.CharField(label=_("Title"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    sectors = _multiple(_("Sectors"), sector_choices)
    stages = _multiple(_("Stages"), Stage.choices)
    ticket_min = forms.IntegerField(label=_("Smallest ticket"), required=False, help_text=DOLLARS)
    ticket_max = forms.IntegerField(label=_("Largest ticket"), required=False, help_text=DOLLARS)
    regions = forms.CharField(
        label=_("Geography"),
        required=False,
        help_text=_("Cities or regions you invest in, separated with commas."),
    )
    excluded_sectors = _multiple(_("Sectors you do not invest in"), sector_choices)
    skills = forms.CharField(label=_("Skills"), required=False, help_text=COMMAS)
    role_sought = forms.CharField(label=_("Role sought"), required=False)
    availability = forms.ChoiceField(
        label=_("Availability"), required=False, choices=_blank(Availability.choices)
    )
    city = forms.CharField(label=_("City"), required=False)
    remote = forms.BooleanField(label=_("Open to remote work"), required=False)
    service_type = forms.ChoiceField(
        label=_("Service type"), required=False, choices=_blank(ServiceType.choices)
    )
    price_band = forms.ChoiceField(
        label=_("Price band"), required=False, choices=_blank(PriceBand.choices)
    )
    topics = forms.CharField(label=_("Topics"), required=False, help_text=COMMAS)
    capacity = forms.IntegerField(label=_("Capacity"), required=False)
    active = forms.BooleanField(label=_("Open to intros"), required=False)

    def __init__(self, *args, kind: str, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = set(KIND_FIELDS[kind]) | ({"active"} if editing else set())
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["description"].label = DESCRIPTION_LABELS[kind]
        if "capacity" in self.fields:
            self.fields["capacity"].help_text = CAPACITY_HELP[kind]

    def service_fields(self) -> dict:
        return {name: ("" if value is None else value) for name, value in self.cleaned_data.items()}

    @staticmethod
    def initial_for(offer: Offer) -> dict:
        initial = {
            name: getattr(offer, name)
            for name in (*KIND_FIELDS[offer.kind], "active")
            if name not in ("sectors", "excluded_sectors", *TAG_FIELDS, "regions")
        }
        initial["sectors"] = [s.slug for s in offer.sectors.all()]
        initial["excluded_sectors"] = [s.slug for s in offer.excluded_sectors.all()]
        initial["skills"] = _tag_text(offer.skills.all())
        initial["topics"] = _tag_text(offer.topics.all())
        initial["regions"] = ", ".join(offer.regions)
        return initial


class TeamMemberForm(forms.Form):
    handle = forms.CharField(label=_("Handle"), max_length=80, help_text=_("For example @mei."))
