"""The nightly report: raids named by targets and premises, incidents of the day entered
later, empty charts with a zero axis, the page at full height in the admin."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents import charts, reports
from incidents.models import NightlyReport, Raid
from organisations.models import Organisation

JULY_14 = datetime.date(2021, 7, 14)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_report_of_14_july_2021_lists_the_raids_of_that_day_entered_later(sample):
    content = reports.gather(day=JULY_14)
    assert content.tables["changes"] == []  # nothing was entered on 14 July 2021
    raids = [row for row in content.tables["on_the_day"] if row["kind"] == "raids"]
    names = {row["name"] for row in raids}
    assert "Viasna Human Rights Centre, Ales Bialiatski office" in names
    assert "Belarusian Association of Journalists, Andrei Bastunets newsroom" in names
    assert len(raids) == 5  # the rejected duplicate is no fact
    assert {row["change"] for row in content.tables["on_the_day"]} == {"later"}
    figures = content.figures["on_the_day"]
    assert figures == {"raids": 5, "detentions": 2, "entered_later": 7}


def test_report_page_names_raids_and_uses_pseudonyms_when_mailed(sample):
    content = reports.gather(day=JULY_14)
    staff = reports.render_html(content, {}, public_names=False)
    public = reports.render_html(content, {}, public_names=True)
    assert "Viasna Human Rights Centre, Viasna member, Homel home" in staff
    assert "Viasna member, Homel" not in public
    assert "Viasna Human Rights Centre, Viasna member A home" in public
    assert "entered later" in staff


def test_raids_are_named_in_the_same_queries_whatever_their_number(sample):
    with CaptureQueriesContext(connection) as before:
        reports.gather(day=JULY_14)
    viasna = Organisation.objects.get(name="Viasna Human Rights Centre")
    for _ in range(5):
        Raid.objects.create(date=JULY_14, premises_type="home").target_organisations.add(viasna)
    with CaptureQueriesContext(connection) as after:
        content = reports.gather(day=JULY_14)
    assert len(after) == len(before)
    assert len(content.tables["on_the_day"]) >= 5


def test_empty_charts_have_a_zero_axis_and_say_so():
    month = charts.by_month([{"month": "2021-07", "raids": 0, "detentions": 0}])
    region = charts.by_region([])
    for svg in (month, region):
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert "No incidents in this period" in texts
        assert {"0", "1"} <= set(texts)
        assert "−0.05" not in texts


def test_report_page_in_the_admin_is_fitted_to_its_height(admin_client, sample, media):
    report = reports.make_report(day=JULY_14)
    page = admin_client.get(reverse("admin:incidents_nightlyreport_change", args=[report.pk]))
    assert "incidents/nightly_report_admin.js" in page.content.decode()
    assert NightlyReport.objects.get().is_complete
