"""API tokens for researchers (django-rest-knox: stored hashed, with an expiry, revocable).

A token is shown once, when issued; revoking it is deleting it. Every token expires within
``API_TOKEN_MAX_DAYS``, and sees at most the researcher's view whoever holds it
(``tracker.access``).
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from knox.models import AuthToken, get_digest_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from tracker.access import RESEARCHER_GROUP


def default_days() -> int:
    return settings.REST_KNOX["TOKEN_TTL"].days


def issue_token(user: AbstractBaseUser, *, days: int | None = None) -> tuple[AuthToken, str]:
    """A new token for ``user``, valid ``days`` days; the key is returned, never stored."""
    days = days or default_days()
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValueError(f"A token lasts 1 to {settings.API_TOKEN_MAX_DAYS} days, not {days}.")
    return AuthToken.objects.create(user=user, expiry=datetime.timedelta(days=days))


class CappedTokenAuthentication(TokenAuthentication):
    """Knox's, refusing a token that never expires or outlives ``API_TOKEN_MAX_DAYS``: one
    issued before the cap, or before the cap was lowered."""

    def validate_user(self, auth_token: AuthToken):
        latest = auth_token.created + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)
        if auth_token.expiry is None or auth_token.expiry > latest:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().validate_user(auth_token)


class CappedTokenScheme(KnoxTokenScheme):
    """The schema documents the token header as for knox's own authentication."""

    target_class = CappedTokenAuthentication


class TokenForm(forms.ModelForm):
    """A token must expire, within ``API_TOKEN_MAX_DAYS``."""

    class Meta:
        model = AuthToken
        fields = ("user", "expiry")

    def clean_expiry(self) -> datetime.datetime:
        expiry = self.cleaned_data.get("expiry")
        now = timezone.now()
        latest = now + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)
        if expiry is None or not now < expiry <= latest:
            raise forms.ValidationError(
                _("Choose an expiry in the next %(days)d days."),
                params={"days": settings.API_TOKEN_MAX_DAYS},
            )
        return expiry


class TokenAdmin(admin.ModelAdmin):
    """Staff issue tokens to researchers here and revoke them by deleting them."""

    form = TokenForm
    list_display = ("token_key", "user", "created", "expiry")
    search_fields = ("user__username", "token_key")
    list_select_related = ("user",)
    fields = ("user", "expiry")
    readonly_fields = ("token_key", "created")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else ("token_key", "user", "created", "expiry")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                is_active=True, groups__name=RESEARCHER_GROUP
            ).order_by("username")
            kwargs["help_text"] = _("Only active users in the researcher group.")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request) -> dict:
        return {"expiry": timezone.now() + datetime.timedelta(days=default_days())}

    def save_model(self, request, obj, form, change) -> None:
        digest, token = get_digest_token()
        obj.digest, obj.token_key = digest, token[: CONSTANTS.TOKEN_KEY_LENGTH]
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            _("Token for %(user)s, shown only now: copy it and send it safely. %(token)s")
            % {"user": obj.user, "token": token},
            messages.WARNING,
        )
