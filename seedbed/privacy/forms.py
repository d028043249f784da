from django import forms
from django.utils.translation import gettext_lazy as _

KEEP = "keep"
REMOVE = "remove"


class DeleteAccountForm(forms.Form):
    content = forms.ChoiceField(
        label=_("My posts and replies"),
        choices=[
            (KEEP, _('Keep them, shown as written by "Deleted member"')),
            (REMOVE, _("Remove them (others' replies under my posts stay)")),
        ],
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput, max_length=256
    )
