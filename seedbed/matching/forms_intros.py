"""Forms of the intro and operator pages. They draw the fields; the rules (which reason, which
outcome, how long a message, which scores a round may use) are checked by the services, so the
views hand them the raw values and show the services' messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from seedbed.matching.models import DeclineReason, OfferKind, Outcome


class IntroRequestForm(forms.Form):
    offer_id = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this intro? The other side reads it before answering."),
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("Optional; the other side reads it."),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)

    LIKELY = {"investor": "invested", "talent": "hired", "mentor": "mentored", "service": "engaged"}

    @classmethod
    def for_kind(cls, kind: str) -> "OutcomeForm":
        """Preselect the outcome an intro of this kind of offer usually leads to."""
        return cls(initial={"outcome": cls.LIKELY.get(kind, "")})


class IntroMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Offers"), choices=OfferKind.choices, initial=OfferKind.MENTOR)
    fair = forms.BooleanField(
        label=_("Every project gets a match where possible"), required=False, initial=True
    )
    min_score = forms.FloatField(
        label=_("Lowest score proposed"),
        initial=0.05,
        widget=forms.NumberInput(attrs={"min": "0", "max": "1", "step": "0.01"}),
        help_text=_("Between 0 and 1."),
    )

    @classmethod
    def retyped(cls, data) -> "RoundForm":
        """An unbound form showing what was typed, for the page that explains the refusal."""
        return cls(
            initial={
                "name": data.get("name", "")[:120],
                "kind": data.get("kind", OfferKind.MENTOR),
                "fair": bool(data.get("fair")),
                "min_score": data.get("min_score", "")[:20],
            }
        )
