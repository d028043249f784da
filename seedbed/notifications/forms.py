from django import forms
from django.utils.translation import gettext_lazy as _

from seedbed.notifications.models import DigestFrequency


class NotificationSettingsForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("E-mail digest"), choices=DigestFrequency.choices, widget=forms.RadioSelect
    )
