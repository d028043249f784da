from django import forms
from django.utils.translation import gettext_lazy as _


class DigestPreferenceForm(forms.Form):
    in_digest = forms.BooleanField(
        label=_("Include suggestions in my e-mail digest"), required=False
    )
