import re

import pytest

from incidents.models import Raid
from organisations.models import Person
from tests.factories import RaidFactory
from tracker.review import Visibility

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>")
INLINE_HANDLER = re.compile(r"\son[a-z]+=\"", re.IGNORECASE)


def admin_pages() -> list[str]:
    return [
        "/admin/",
        "/admin/incidents/raid/",
        "/admin/incidents/raid/add/",
        f"/admin/incidents/raid/{Raid.objects.first().pk}/change/",
        f"/admin/organisations/person/{Person.objects.first().pk}/change/",
        "/admin/otp_totp/totpdevice/add/",
    ]


@pytest.mark.usefixtures("sample")
def test_admin_pages_render_under_a_policy_without_inline_code(admin_client):
    for url in admin_pages():
        response = admin_client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), url
        assert "<style" not in html
        assert ' style="' not in html, url


def test_admin_scripts_come_from_the_site_itself(admin_client):
    html = admin_client.get("/admin/incidents/raid/add/").content.decode()
    sources = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert sources
    assert "/static/admin/js/vendor/jquery/jquery.min.js" in sources
    assert all(src.startswith("/") and not src.startswith("//") for src in sources)


def test_responses_carry_the_security_headers(client, db):
    response = client.get("/admin/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/raids/", 200),
        ("/api/v1/raids/{pk}/", 200),
        ("/api/v1/raids/{pk}/?format=csv", 200),
        ("/api/v1/export/raids/?format=csv", 200),
        ("/api/v1/raids/?date_from=yesterday", 400),
        ("/api/v1/raids/0/", 404),
        ("/api/v1/export/users/", 404),
    ],
)
def test_api_answers_are_never_stored_by_a_cache(researcher_client, path, status):
    """A researcher's answers must not stay in a shared proxy or on a shared computer."""
    raid = RaidFactory(visibility=Visibility.RESTRICTED)
    response = researcher_client.get(path.format(pk=raid.pk))
    assert response.status_code == status
    assert response["Cache-Control"] == "private, no-store"
