"""allauth's password signals, connected in ``AccountsConfig.ready``."""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from seedbed.accounts.services import revoke_every_api_token


@receiver(password_changed)
@receiver(password_reset)
@receiver(password_set)
def revoke_tokens_with_the_old_password(sender: Any, user: Any, **kwargs: Any) -> None:
    revoke_every_api_token(user)
