from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from seedbed.communities.models import Community, Post
from seedbed.engagement.models import RewardKind


class AwardForm(forms.Form):
    amount = forms.IntegerField(
        label=_("points"),
        min_value=-10_000,
        max_value=10_000,
        help_text=_("A negative number takes points away."),
    )
    reason = forms.CharField(label=_("reason"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class RewardForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=RewardKind.choices)
    title = forms.CharField(label=_("title"), max_length=120)
    description = forms.CharField(
        label=_("description"), max_length=2000, required=False, widget=forms.Textarea
    )
    price = forms.IntegerField(label=_("price in points"), min_value=1, max_value=1_000_000)
    stock = forms.IntegerField(label=_("stock"), min_value=0, max_value=1_000_000)


class MoveForm(forms.Form):
    community = forms.ChoiceField(label=_("move to"))

    def __init__(self, user: Any, post: Post, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = (
            Community.objects.active()
            .filter(memberships__user=user)
            .exclude(pk=post.community_id)
            .order_by("name")
        )
        field = self.fields["community"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(c.slug, c.name) for c in targets]
