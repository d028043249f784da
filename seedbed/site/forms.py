"""The onboarding forms: the profile form's own fields (labels, choices, help), a few at a
time, so a field reads and validates the same in onboarding as on the profile page."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from seedbed.accounts.forms import ProfileForm, split_tags
from seedbed.accounts.models import User


class _ProfilePart(ProfileForm):
    keep: tuple[str, ...] = ()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        for name in list(self.fields):
            if name not in self.keep:
                del self.fields[name]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "interests" in data:
            data["interests"] = split_tags(data["interests"])
        return data


class InterestsForm(_ProfilePart):
    keep = ("roles", "sectors", "city", "interests")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["interests"].help_text = _(
            "Separate with commas, in English or Chinese: “fintech, 人工智能, climate”."
        )


class ProfileDetailsForm(_ProfilePart):
    keep = ("headline", "bio", "languages", "visibility")
