"""The Insights pages' query forms: the date range and the member filters. Bad values are form
errors, answered 400 with the message, never a 500."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedbed.accounts.models import Role as ProfileRole
from seedbed.communities.models import Community
from seedbed.insights.models import Level
from seedbed.insights.services import Period

PRESETS = (
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
    ("365", _("Last 12 months")),
    ("custom", _("From and to")),
)
MAX_DAYS = 366
DATE = forms.DateInput({"type": "date"})


class RangeForm(forms.Form):
    range = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def clean(self) -> dict:
        data = super().clean() or {}
        today = timezone.localdate()
        choice = data.get("range") or ("custom" if data.get("start") else "30")
        if choice == "custom":
            start, end = data.get("start"), data.get("end") or today
            if start is None:
                raise forms.ValidationError({"start": _("Choose the first day.")})
            if end < start:
                raise forms.ValidationError({"end": _("The last day comes before the first.")})
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(_("Choose at most %(days)d days.") % {"days": MAX_DAYS})
        else:
            end = today
            start = today - timedelta(days=int(choice) - 1)
        data["period"] = Period(start, end)
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]


def default_period(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(today - timedelta(days=29), today)


class MemberFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("Any level")), *Level.choices], required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Any role")), *ProfileRole.choices], required=False
    )
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("The whole platform"),
        to_field_name="slug",
    )
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args, platform: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if platform:
            self.fields["community"].queryset = Community.objects.order_by("name")  # type: ignore[attr-defined]
        else:
            del self.fields["community"]
