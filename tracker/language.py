"""The interface language: the user's stored choice, else the cookie, else Accept-Language.

Django's ``LocaleMiddleware`` picks the language from the cookie or the browser. A signed-in
user's choice is stored in ``Preferences`` and copied into the session at sign-in, so it
follows them to every browser and survives logout, without a query per request. The API
authenticates by token inside the view, so it answers in the ``Accept-Language`` language.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views import i18n
from django.views.decorators.http import require_POST

from tracker.models import Preferences

SESSION_KEY = "language"


class UserLanguageMiddleware:
    """After authentication: the signed-in user's language wins over cookie and browser."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (cookie and redirect), also remembered for the user."""
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
    if language in dict(settings.LANGUAGES) and request.user.is_authenticated:
        Preferences.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_KEY] = language
    return response


@receiver(user_logged_in)
def _restore_language(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    stored = Preferences.objects.filter(user=user).values_list("language", flat=True).first()
    if stored:
        request.session[SESSION_KEY] = stored
