from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class AccountsConfig(AppConfig):
    name = "seedbed.accounts"
    label = "accounts"

    def ready(self) -> None:
        """allauth keeps its rate limits in the default cache, which is per process without
        Redis: point them at the shared ``ratelimit`` cache instead."""
        from allauth.core.internal import ratelimit as allauth_ratelimit
        from django.core.cache import caches
        from django.utils.connection import ConnectionProxy

        from seedbed.accounts import signals  # noqa: F401  (connects the receivers)
        from seedbed.core.ratelimit import CACHE_ALIAS

        if not hasattr(allauth_ratelimit, "cache"):
            raise ImproperlyConfigured("allauth's rate limits no longer read a module `cache`")
        allauth_ratelimit.cache = ConnectionProxy(caches, CACHE_ALIAS)
