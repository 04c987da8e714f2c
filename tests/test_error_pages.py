"""No staff page ends on a bare error page: each says what happened and links back."""

from django.urls import reverse
from django.views.defaults import server_error

BACK = 'href="/admin/">Back to the start page</a>'


def test_a_forbidden_admin_page_explains_and_links_back(admin_client):
    response = admin_client.get(reverse("admin:incidents_nightlyreport_add"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Not allowed</h1>" in page
    assert BACK in page
    assert "admin/css/base.css" in page


def test_a_missing_page_explains_and_links_back(admin_client):
    response = admin_client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert BACK in page


def test_the_server_error_page_renders_without_a_request_context_and_links_back(rf):
    response = server_error(rf.get("/admin/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on the server" in page
    assert BACK in page
