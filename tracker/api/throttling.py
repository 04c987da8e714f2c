"""Request rates per anonymous address and per token, read from the settings when asked."""

from django.conf import settings
from rest_framework import throttling
from rest_framework.request import Request


class RateFromSettings:
    """Reads the rate when asked, so deployments and tests can change it (None: no limit)."""

    scope: str

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(RateFromSettings, throttling.AnonRateThrottle):
    scope = "anonymous"


class TokenThrottle(RateFromSettings, throttling.SimpleRateThrottle):
    """Per token for token callers, per user for session callers (staff in the browser)."""

    scope = "token"

    def get_cache_key(self, request: Request, view) -> str | None:
        if not request.user.is_authenticated:
            return None
        ident = getattr(request.auth, "token_key", None) or f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
