"""Receivers connected in TrackerConfig: sign-in audit lines and SQLite's secure delete."""

import time

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from tracker.audit import log_event
from tracker.clients import client_address


def _user_id(username: str) -> int | None:
    return get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()


@receiver(user_logged_in)
def _log_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        request.session["started_at"] = int(time.time())
    # django-otp's login form puts the verified device on the user it signs in.
    log_event("sign_in", user_id=user.pk, two_factor=getattr(user, "otp_device", None) is not None)


@receiver(user_login_failed)
def _log_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    # The typed username is not logged: it may be a name, or a password typed in the wrong box.
    log_event(
        "sign_in_failed",
        user_id=_user_id(credentials.get("username", "")),
        ip=client_address(request) if request is not None else None,
    )


@receiver(user_locked_out)
def _log_lockout(sender, request, username, ip_address, **kwargs) -> None:
    log_event("locked_out", user_id=_user_id(username), ip=ip_address)


@receiver(connection_created)
def _overwrite_deleted_sqlite_content(sender, connection, **kwargs) -> None:
    """SQLite (``make run``) zeroes what it deletes: a purged name stays in no freed page."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
