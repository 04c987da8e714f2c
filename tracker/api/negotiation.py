"""Choosing the format of an answer: an explicit ``?format=`` wins over ``Accept``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request


def unknown_format(renderers) -> exceptions.ValidationError:
    formats = ", ".join(renderer.format for renderer in renderers)
    message = _("Unknown format: use one of %(formats)s.") % {"formats": formats}
    return exceptions.ValidationError({"format": [message]})


class FormatFirstNegotiation(DefaultContentNegotiation):
    """``?format=csv`` answers CSV whatever ``Accept`` says (``ogrinfo`` and generated clients
    send their own); without it, ``Accept`` chooses. An empty or unknown format is a 400."""

    def select_renderer(self, request: Request, renderers, format_suffix=None):
        name = self.settings.URL_FORMAT_OVERRIDE
        if format_suffix is None and name not in request.query_params:
            return super().select_renderer(request, renderers)
        wanted = format_suffix or request.query_params[name]
        for renderer in renderers:
            if renderer.format == wanted:
                return renderer, renderer.media_type
        raise unknown_format(renderers)
