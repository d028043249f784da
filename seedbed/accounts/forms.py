import re
from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import Language, Role, Stage, User, Visibility
from seedbed.core.models import Sector

_TAG_SEPARATORS = re.compile(r"[,，、;；\n]")


def split_tags(text: str) -> list[str]:
    """Tags typed in one box, separated by commas in either script (, ，、) or semicolons."""
    return [part.strip() for part in _TAG_SEPARATORS.split(text or "") if part.strip()]


class SignupDetailsForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80)

    def signup(self, request: HttpRequest, user: User) -> None:
        """allauth's hook after the account is saved; the adapter already stored the name."""


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    handle = forms.CharField(
        label=_("Handle"),
        max_length=30,
        help_text=_("Others mention you as @handle: 2 to 30 letters, digits, dots, dashes."),
    )
    headline = forms.CharField(
        label=_("Headline"),
        max_length=140,
        required=False,
        help_text=_("One line about you, e.g. “Founder building AI tools for clinics”."),
    )
    bio = forms.CharField(label=_("Bio"), max_length=4000, required=False, widget=forms.Textarea)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )
    city = forms.CharField(label=_("City"), max_length=80, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ChoiceField(
        label=_("Startup stage"), choices=[("", "—"), *Stage.choices], required=False
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )
    skills = forms.CharField(
        label=_("Skills"), required=False, help_text=_("Separate with commas."), max_length=1000
    )
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        help_text=_("Separate with commas."),
        max_length=1000,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see my profile"), choices=Visibility.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["roles"]).choices = [
            (value, label)
            for value, label in Role.choices
            if value != Role.OPERATOR or is_operator(user)
        ]
        cast(forms.ChoiceField, self.fields["sectors"]).choices = [
            (s.slug, s.label) for s in Sector.objects.all()
        ]

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        return {
            "display_name": user.display_name,
            "handle": user.handle,
            "headline": user.headline,
            "bio": user.bio,
            "roles": user.roles,
            "city": user.city,
            "languages": user.languages,
            "stage": user.stage,
            "sectors": [s.slug for s in user.sectors.all()],
            "skills": ", ".join(t.name for t in user.skills.all()),
            "interests": ", ".join(t.name for t in user.interests.all()),
            "visibility": user.visibility,
        }

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["skills"] = split_tags(data["skills"])
        data["interests"] = split_tags(data["interests"])
        return data


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=80)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[])
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[])
    skill = forms.CharField(label=_("Skill"), required=False, max_length=40)
    city = forms.CharField(label=_("City"), required=False, max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [("", _("Any role")), *Role.choices]
        cast(forms.ChoiceField, self.fields["sector"]).choices = [
            ("", _("Any sector")),
            *((s.slug, s.label) for s in Sector.objects.all()),
        ]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80)
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires"),
        choices=[
            ("", _("Never (until revoked)")),
            (7, _("In 7 days")),
            (30, _("In 30 days")),
            (90, _("In 90 days")),
            (365, _("In a year")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data.get("expires_in_days")
        return timezone.now() + timedelta(days=days) if days else None
