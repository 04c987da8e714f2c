"""Request ids for the logs, the limits of a session, no caching of private answers, and
gzip for the API."""

import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.middleware.gzip import GZipMiddleware

from tracker import audit

# A request id from a proxy is kept only when it cannot smuggle anything into a log line.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdMiddleware:
    """Gives every request an id (or keeps the proxy's ``X-Request-ID``) for the audit log."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = audit.current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            audit.current_request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class SessionLimitMiddleware:
    """Signs a user out after ``SESSION_IDLE_SECONDS`` idle or ``SESSION_MAX_SECONDS`` in all.

    A stolen or forgotten session on a shared computer then expires soon, whatever the
    cookie says.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault("started_at", now)
            seen = request.session.get("seen_at", now)
            if now - seen > settings.SESSION_IDLE_SECONDS or (
                now - started > settings.SESSION_MAX_SECONDS
            ):
                audit.log_event("session_expired", user_id=request.user.pk)
                logout(request)
            else:
                request.session["seen_at"] = now
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """``Cache-Control: private, no-store`` on every API answer and every signed-in page.

    API answers (errors included) may come from a token and staff downloads from a session;
    neither may stay in a shared proxy's cache or on the disk of a shared computer. A path
    that matches no view answers Django's plain 404 page, which holds nothing to keep.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        route = request.resolver_match
        if (route and "api" in route.namespaces) or request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class ApiGZipMiddleware(GZipMiddleware):
    """Gzip for API answers (lists, exports) when the client sends ``Accept-Encoding: gzip``.

    Only under ``/api/`` and never HTML: compressing a page that holds a CSRF token or other
    secret next to text an attacker controls would open it to BREACH. API answers hold no
    CSRF token. Files already gzipped (the full dumps) go out as stored, with their length.
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not request.path.startswith("/api/") or content_type.startswith(
            ("text/html", "application/gzip")
        ):
            return response
        return super().process_response(request, response)
