"""The report names people in custody, confidential records included: staff only, else 404."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from incidents import reports, tasks
from incidents.models import NightlyReport
from tests.nightly_report_data import load_sample_as_entered

URL = "/reports/2021-07-15/"


@pytest.fixture
def report(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_sample_as_entered()
    return reports.make_report(day=datetime.date(2021, 7, 15))


@pytest.mark.parametrize("name", ["", "report.csv", "by-month.svg", "by-region.svg"])
def test_staff_get_every_report_file(client, editor, report, name):
    client.force_login(editor)
    response = client.get(URL + name)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"Igor Kazmerchak" in b"".join(response.streaming_content) or name.endswith(".svg")


@pytest.mark.parametrize("name", ["", "report.csv", "by-month.svg"])
def test_researchers_and_anonymous_get_404(client, researcher, report, name):
    assert client.get(URL + name).status_code == 404
    client.force_login(researcher)
    assert client.get(URL + name).status_code == 404


def test_staff_outside_every_role_get_404(client, django_user_model, report):
    outsider = django_user_model.objects.create_user("outsider", is_staff=True)
    client.force_login(outsider)
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_every_staff_role_sees_the_report_in_the_admin(client, request, report, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:incidents_nightlyreport_change", args=[report.pk]))
    assert response.status_code == 200


def test_unfinished_or_unknown_report_is_404_for_staff(client, editor, report):
    NightlyReport.objects.create(day=datetime.date(2021, 7, 16))
    client.force_login(editor)
    assert client.get("/reports/2021-07-16/").status_code == 404
    assert client.get("/reports/2021-02-30/").status_code == 404
    assert client.get(URL + "../../settings.py").status_code == 404


def test_admin_shows_the_report_page_read_only(admin_client, report):
    response = admin_client.get(reverse("admin:incidents_nightlyreport_change", args=[report.pk]))
    assert response.status_code == 200
    assert f'<iframe class="nightly-report-page" src="{URL}"'.encode() in response.content
    assert b'href="/reports/2021-07-15/report.csv"' in response.content
    assert b'name="_save"' not in response.content
    assert "frame-src 'self'" in response["Content-Security-Policy"]
    assert admin_client.get(reverse("admin:incidents_nightlyreport_add")).status_code == 403


def test_report_page_may_be_framed_by_the_admin_and_runs_no_script(client, editor, report):
    client.force_login(editor)
    policy = client.get(URL)["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "script-src 'self'" in policy
    assert b"<script" not in report.html.read()


def test_admin_list_runs_a_fixed_number_of_queries(admin_client, report):
    url = reverse("admin:incidents_nightlyreport_changelist")
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url)
    for day in range(1, 10):
        NightlyReport.objects.create(day=datetime.date(2021, 6, day), figures=report.figures)
    with CaptureQueriesContext(connection) as ten:
        response = admin_client.get(url)
    assert response.content.count(b"2021-06-0") >= 9
    assert len(ten) == len(one)


def test_nightly_schedule_runs_the_report_task_at_two(db, settings):
    scheduled = PeriodicTask.objects.get(name="Nightly report")
    assert scheduled.task == tasks.make_nightly_reports.name
    assert (scheduled.crontab.hour, scheduled.crontab.minute) == ("2", "0")
    assert str(scheduled.crontab.timezone) == settings.TIME_ZONE
    assert scheduled.enabled


def test_staff_without_a_second_factor_get_404_where_it_is_required(
    client, editor, report, settings
):
    settings.REQUIRE_2FA = True
    client.force_login(editor)
    assert client.get(URL).status_code == 404
