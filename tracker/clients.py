"""The client's address: the one the lockout, the API throttle and the audit log count.

Each of our ``TRUSTED_PROXY_COUNT`` reverse proxies appends the address it was connected
from to ``X-Forwarded-For``. Everything left of what our own proxies wrote is whatever the
client chose to send, so the client is the right-most entry our proxies did not add.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address the outermost trusted proxy saw (``REMOTE_ADDR`` without proxies)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    hops.append(request.META.get("REMOTE_ADDR", ""))
    address = hops[max(len(hops) - settings.TRUSTED_PROXY_COUNT - 1, 0)]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class ClientAddressMiddleware:
    """Puts the client's address in ``REMOTE_ADDR`` and drops ``X-Forwarded-For``.

    Everything after it (django-axes, the API throttle in tracker/api/throttling.py, the audit log)
    then sees one address, computed once, and no header a client could forge.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.META["REMOTE_ADDR"] = client_address(request) or ""
        request.META.pop("HTTP_X_FORWARDED_FOR", None)
        return self.get_response(request)
