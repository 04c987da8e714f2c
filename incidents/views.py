"""Files for staff only: the nightly report's, and the archived files of sources.

Reports list people in custody by name, confidential records included, so anyone who may
not view them in the admin (staff with the view permission that every role has, verified by
a second factor where that is required) gets 404, as for any record they may not see.
"""

import datetime

from csp.decorators import csp_replace
from django.contrib import admin
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from tracker import audit

from .models import NightlyReport, Source

FILES = {
    "report.html": ("html", "text/html; charset=utf-8"),
    "report.csv": ("csv", "text/csv; charset=utf-8"),
    "by-month.svg": ("chart_by_month", "image/svg+xml"),
    "by-region.svg": ("chart_by_region", "image/svg+xml"),
}


# The page is self-contained: inline styles (its own and the charts'), no script. It is
# shown in a frame of its admin page.
REPORT_POLICY = {"style-src": ["'unsafe-inline'"], "frame-ancestors": ["'self'"]}


@require_GET
@xframe_options_sameorigin
@csp_replace(REPORT_POLICY)
def report_file(request: HttpRequest, day: str, name: str = "report.html") -> FileResponse:
    allowed = admin.site.has_permission(request) and request.user.has_perm(
        "incidents.view_nightlyreport"
    )
    if not allowed:
        audit.refused_access(request, "nightly_report", day)
        raise Http404
    if name not in FILES:
        raise Http404
    try:
        day_covered = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    report = get_object_or_404(NightlyReport, day=day_covered, made_at__isnull=False)
    field, content_type = FILES[name]
    response = FileResponse(getattr(report, field).open("rb"), content_type=content_type)
    if name.endswith(".csv"):
        response["Content-Disposition"] = f'attachment; filename="report-{day}.csv"'
    return response


def source_file(request: HttpRequest, name: str) -> FileResponse:
    """Download an archived file: staff only (verified by 2FA where required), else 404."""
    source = get_object_or_404(Source, file=name)
    if not admin.site.has_permission(request):
        audit.refused_access(request, "source", source.pk)
        raise Http404
    response = FileResponse(source.file.open("rb"), as_attachment=True)
    # Never let a browser render an uploaded HTML archive inside the site's origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
