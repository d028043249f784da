from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from seedbed.accounts.forms import split_tags
from seedbed.communities.models import COLOURS, Visibility
from seedbed.core.models import Sector


class CommunityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and dashes; leave empty to derive it from the name."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea,
        help_text=_("Markdown is supported."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.PUBLIC,
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[])
    colour = forms.ChoiceField(
        label=_("Colour"),
        required=False,
        choices=[(c, c) for c in COLOURS],
        widget=forms.RadioSelect(attrs={"class": "swatches"}),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=300, help_text=_("Separate with commas.")
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sector"]).choices = [
            ("", "—"),
            *((s.slug, s.label) for s in Sector.objects.all()),
        ]
        if editing:
            del self.fields["slug"]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = split_tags(data["tags"])
        return data


class PostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Post"),
        max_length=20_000,
        widget=forms.Textarea,
        help_text=_("Markdown is supported; mention people with @handle."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Up to 5, separated by commas."),
    )

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["tags"] = split_tags(data["tags"])
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown is supported; mention people with @handle."),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class InviteForm(forms.Form):
    handle = forms.CharField(label=_("Member's @handle"), max_length=31)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("A note for the moderators (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
