from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seedbed.core.models import Sector
from seedbed.library.models import Level, ResourceKind, ResourceLanguage


class ResourceForm(forms.Form):
    """The fields of ``services.add_resource``; the service checks them again (and the file's
    content), so the form only parses."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown."),
    )
    link = forms.CharField(label=_("Link"), max_length=500, required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF or slides (PowerPoint or OpenDocument), at most 20 MB."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=ResourceLanguage.choices)
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *Level.choices], required=False)
    topics = forms.CharField(
        label=_("Topics"),
        max_length=400,
        required=False,
        help_text=_("Separated by commas, e.g. fundraising, 机器学习."),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["upload"] = data.pop("file", None)
        data["topics"] = [t for t in data.get("topics", "").replace("，", ",").split(",") if t]
        data["sectors"] = [s.slug for s in data.get("sectors") or []]
        return data


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Stars"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)]
    )
    review = forms.CharField(
        label=_("Review"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TrackForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
