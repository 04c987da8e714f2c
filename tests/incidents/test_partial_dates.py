"""A date known only to the month is shown and counted as what it is, never as the 1st."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from incidents import reports
from incidents.models import Detention
from tests.factories import DetentionFactory, PersonFactory, RaidFactory
from tracker.dates import DatePrecision, describe

JULY = datetime.date(2021, 7, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def july_detention(db):
    """Detained "in July 2021", whereabouts unknown: the day is not known."""
    person = PersonFactory(name="Ales Bialiatski")
    return DetentionFactory(
        person=person, date=JULY, date_precision=DatePrecision.MONTH, whereabouts_known=False
    )


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_default_timezone())


def report_on(day: datetime.date):
    """The report the nightly job makes at 02:00 the next day."""
    with time_machine.travel(at(day + datetime.timedelta(days=1), 2), tick=False):
        return reports.make_report(day=day)


@pytest.mark.parametrize(
    ("precision", "shown"),
    [
        ("day", "2021-07-01"),
        ("month", "July 2021"),
        ("year", "2021"),
        ("approximate", "about July 2021"),
    ],
)
def test_a_partial_date_is_described_as_far_as_it_is_known(precision, shown):
    assert describe(JULY, precision) == shown


def test_month_precision_detention_is_titled_july_2021_on_its_change_page(
    admin_client, july_detention
):
    page = admin_client.get(reverse("admin:incidents_detention_change", args=[july_detention.pk]))
    assert page.context["subtitle"] == "Ales Bialiatski detained July 2021"
    assert "July 1, 2021" not in page.content.decode()


def test_changelists_show_month_precision_as_july_2021(admin_client, july_detention):
    raid = RaidFactory(date=JULY, date_precision=DatePrecision.MONTH, settlement="Orsha")
    detentions = admin_client.get(reverse("admin:incidents_detention_changelist"))
    assert '<td class="field-when">July 2021</td>' in detentions.content.decode()
    raids = admin_client.get(reverse("admin:incidents_raid_changelist")).content.decode()
    raid_url = reverse("admin:incidents_raid_change", args=[raid.pk])
    assert f'<th class="field-when"><a href="{raid_url}">July 2021</a></th>' in raids
    assert "July 1, 2021" not in raids


def test_month_precision_detention_reads_at_least_n_days(july_detention):
    report = report_on(datetime.date(2021, 8, 14))
    html = report.html.read().decode()
    assert '<td>July 2021, Minsk</td><td class="n">at least 14 days</td>' in html
    assert "Ales Bialiatski,July 2021,at least 14 days,False" in report.csv.read().decode()


def test_inside_its_month_a_detention_has_no_day_count_and_is_not_urgent(july_detention):
    report = report_on(datetime.date(2021, 7, 20))
    html = report.html.read().decode()
    assert "detained July 2021, day unknown" in html
    assert "URGENT" not in html
    assert report.figures["custody"] == {"in_custody": 1, "whereabouts_unknown": 1, "urgent": 0}


def test_whereabouts_unknown_since_july_is_urgent_once_july_is_over(july_detention):
    assert report_on(datetime.date(2021, 8, 1)).figures["custody"]["urgent"] == 1


def test_the_reports_changes_show_month_precision_as_july_2021(july_detention):
    with time_machine.travel(at(datetime.date(2021, 7, 20), 14), tick=False):
        entered = at(datetime.date(2021, 7, 10), 9)
        Detention.objects.filter(pk=july_detention.pk).update(created_at=entered)
    html = report_on(datetime.date(2021, 7, 20)).html.read().decode()
    assert "<td>updated</td><td>July 2021</td><td>Ales Bialiatski</td>" in html
