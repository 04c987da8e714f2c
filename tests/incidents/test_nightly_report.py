import datetime
import os
import signal
import subprocess
import sys
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from incidents import reports, tasks
from incidents.models import Detention, NightlyReport, PlaceOfCustody, Raid
from organisations.models import Person
from tests.nightly_report_data import generate, load_sample_as_entered
from tracker.places import Region

JULY_14 = datetime.date(2021, 7, 14)
JULY_15 = datetime.date(2021, 7, 15)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def entered_sample(db):
    load_sample_as_entered()


def test_sample_report_puts_kazmerchak_first_as_urgent(entered_sample):
    report = reports.make_report(day=JULY_15)
    assert report.figures["custody"] == {"in_custody": 3, "whereabouts_unknown": 1, "urgent": 1}
    html = report.html.read().decode()
    assert html.index("URGENT") < html.index("Igor Kazmerchak") < html.index("Viktor Babaryko")
    rows = report.csv.read().decode().splitlines()
    assert rows[rows.index("custody") + 2].startswith("True,")
    assert "Viktor Babaryko,2020-06-18,392,True" in rows[rows.index("custody") + 3]


def test_csv_cells_cannot_start_a_spreadsheet_formula(entered_sample):
    PlaceOfCustody.objects.filter(name__startswith="KGB").update(
        name='=HYPERLINK("http://evil.example")'
    )
    csv_text = reports.make_report(day=JULY_15).csv.read().decode()
    assert "'=HYPERLINK" in csv_text
    assert ',"=HYPERLINK' not in csv_text


def test_sample_report_counts_the_day_of_the_raids(entered_sample):
    figures = reports.make_report(day=JULY_14).figures
    assert figures["changes"] == {
        "raids": {"new": 8, "updated": 0},
        "detentions": {"new": 3, "updated": 0},
    }
    assert figures["custody"]["urgent"] == 0  # not yet 24 hours
    assert figures["by_month"][-1] == {"month": "2021-07", "raids": 7, "detentions": 2}
    assert sum(m["raids"] + m["detentions"] for m in figures["by_month"]) == 9
    assert figures["by_region"] == [
        {"region": "BY-HO", "raids": 1, "detentions": 0},
        {"region": "BY-HM", "raids": 5, "detentions": 1},
        {"region": "BY-VI", "raids": 0, "detentions": 1},
        {"region": "unknown", "raids": 1, "detentions": 0},
    ]


def test_sample_review_queue_ages_from_the_end_of_the_day(entered_sample):
    review = reports.make_report(day=JULY_15).figures["review"]
    waiting = {"day": 0, "week": 1, "month": 0, "older": 0}
    assert review["raids"] == review["detentions"] == review["people"] == waiting
    assert review["organisations"] == waiting
    assert review["sources"] == {"day": 0, "week": 0, "month": 0, "older": 0}


def test_sample_report_lists_babaryko_sentence_on_its_day(entered_sample):
    report = reports.make_report(day=datetime.date(2021, 7, 6))
    assert report.figures["events"] == {"recognised": 0, "released": 0, "sentenced": 1}
    assert "14 years" in report.html.read().decode()


def expected_figures(day: datetime.date) -> dict:
    """The report's figures counted in Python over every row, without the report's SQL."""
    start, end = reports.day_window(day)
    first = reports.first_month(day)
    detentions = list(Detention.objects.select_related("sentence"))
    facts = [d for d in detentions if d.status != "rejected"]
    changes = {}
    for key, rows in (("raids", list(Raid.objects.all())), ("detentions", detentions)):
        changes[key] = {
            "new": sum(start <= r.created_at < end for r in rows),
            "updated": sum(start <= r.updated_at < end and r.created_at < start for r in rows),
        }
    held = [
        d
        for d in facts
        if d.date <= day
        and ((d.release_date is None and d.outcome != "released") or (d.release_date or day) > day)
    ]
    sentenced = [d for d in facts if hasattr(d, "sentence") and d.sentence.date == day]
    months = sorted({(first + datetime.timedelta(days=n)).strftime("%Y-%m") for n in range(400)})
    months = [m for m in months if m <= day.strftime("%Y-%m")]
    by_month = {m: {"month": m, "raids": 0, "detentions": 0} for m in months}
    by_region = {}
    for key, rows in (("raids", Raid.objects.exclude(status="rejected")), ("detentions", facts)):
        for r in rows:
            if first <= r.date <= day:
                by_month[r.date.strftime("%Y-%m")][key] += 1
                region = by_region.setdefault(
                    r.region, {"region": r.region, "raids": 0, "detentions": 0}
                )
                region[key] += 1
    review = {}
    for key, model in reports.REVIEWED_MODELS.items():
        ages = [end - r.updated_at for r in model.objects.filter(status="in_review")]
        day_, week, month = (datetime.timedelta(days=n) for n in (1, 7, 30))
        review[key] = {
            "day": sum(a <= day_ for a in ages),
            "week": sum(day_ < a <= week for a in ages),
            "month": sum(week < a <= month for a in ages),
            "older": sum(a > month for a in ages),
        }
    order = list(Region.values)
    on_the_day = {
        key: [r for r in rows if r.date == day and r.date_precision == "day"]
        for key, rows in (("raids", Raid.objects.exclude(status="rejected")), ("detentions", facts))
    }
    return {
        "day": day.isoformat(),
        "window": {"start": start.isoformat(), "end": end.isoformat()},
        "changes": changes,
        "on_the_day": {
            **{key: len(rows) for key, rows in on_the_day.items()},
            "entered_later": sum(r.created_at >= end for rows in on_the_day.values() for r in rows),
        },
        "custody": {
            "in_custody": len(held),
            "whereabouts_unknown": sum(missing_since(d, day) is not None for d in held),
            "urgent": sum((missing_since(d, day) or day) < day for d in held),
        },
        "hearings": 0,
        "events": {
            "recognised": sum(
                d.recognised_political_prisoner and d.recognised_on == day for d in facts
            ),
            "released": sum(d.release_date == day for d in facts),
            "sentenced": len(sentenced),
        },
        "review": review,
        "by_month": list(by_month.values())[-12:],
        "by_region": sorted(by_region.values(), key=lambda r: order.index(r["region"])),
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_report_matches_an_independent_count(db, seed):
    day = datetime.date(2024, 3, 10)
    generate(day, seed=seed)
    report = reports.make_report(day=day)
    report.refresh_from_db()
    assert report.figures == expected_figures(day)


def missing_since(detention: Detention, day: datetime.date) -> datetime.date | None:
    """Since when the whereabouts are unknown at the end of ``day``, by the latest fact."""
    facts = detention.custody_facts.filter(aspect="whereabouts", since__lte=day)
    latest = facts.order_by("since", "id").last()
    return latest.since if latest and latest.state in ("unknown", "denied") else None


def test_generated_report_lists_every_person_in_custody(db):
    day = datetime.date(2024, 3, 10)
    generate(day, seed=4)
    content = reports.gather(day=day)
    held = Detention.objects.exclude(status="rejected").filter(reports.custody_q(day))
    assert sorted(r["id"] for r in content.tables["custody"]) == sorted(
        held.values_list("id", flat=True)
    )
    assert [r["urgent"] for r in content.tables["custody"]] == sorted(
        (r["urgent"] for r in content.tables["custody"]), reverse=True
    )


def test_report_queries_do_not_grow_with_the_data(db):
    day = datetime.date(2024, 3, 10)
    generate(day, seed=5, raids=5, detentions=5)
    with CaptureQueriesContext(connection) as few:
        reports.gather(day=day)
    generate(day, seed=6, raids=60, detentions=80)
    with CaptureQueriesContext(connection) as many:
        reports.gather(day=day)
    assert len(many) == len(few) < 30


def test_task_run_twice_leaves_one_report(entered_sample, media):
    tasks.make_nightly_reports.delay("2021-07-15")
    first = NightlyReport.objects.get()
    tasks.make_nightly_reports.delay("2021-07-15")
    again = NightlyReport.objects.get()
    assert (again.pk, again.made_at, again.html.name) == (first.pk, first.made_at, first.html.name)
    assert len(list((media / "reports/2021/07/15").iterdir())) == 4


def test_interrupted_report_is_completed_by_the_next_run(entered_sample, media, monkeypatch):
    written = []

    def write_then_die(report, name, filename, text):
        written.append(name)
        if len(written) == 3:
            raise KeyboardInterrupt("worker killed")
        write(report, name, filename, text)

    write = reports._write
    monkeypatch.setattr(reports, "_write", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        reports.make_report(day=JULY_15)
    left = NightlyReport.objects.get(day=JULY_15)
    assert (left.made_at, left.figures, left.html.name) == (None, {}, "")
    monkeypatch.setattr(reports, "_write", write)
    assert reports.make_report(day=JULY_15).figures["custody"]["urgent"] == 1
    assert sorted(p.name for p in (media / "reports/2021/07/15").iterdir()) == [
        "by-month.svg",
        "by-region.svg",
        "report.csv",
        "report.html",
    ]


def test_task_retries_when_the_database_is_unreachable(entered_sample, monkeypatch):
    make = reports.make_report
    calls = []

    def flaky(*, day):
        calls.append(day)
        if len(calls) == 1:
            raise OperationalError("connection refused")
        return make(day=day)

    monkeypatch.setattr(reports, "make_report", flaky)
    assert tasks.make_nightly_reports.apply(args=["2021-07-15"], throw=False).get() == [
        "2021-07-15"
    ]
    assert calls == [JULY_15, JULY_15]
    assert tasks.make_nightly_reports.acks_late is True


def test_scheduled_run_catches_up_missed_and_unfinished_days(db, settings):
    settings.REPORT_CATCH_UP_DAYS = 3
    NightlyReport.objects.create(day=datetime.date(2024, 3, 8))  # interrupted
    reports.make_report(day=datetime.date(2024, 3, 9))
    with time_machine.travel(datetime.datetime(2024, 3, 11, 2, tzinfo=datetime.UTC)):
        assert tasks.make_nightly_reports.delay().get() == ["2024-03-08", "2024-03-10"]
    assert NightlyReport.objects.filter(made_at__isnull=False).count() == 3


def test_report_is_mailed_with_pseudonyms(
    entered_sample, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_EMAILS = ["board@example.org"]
    hidden = Person.objects.get(may_be_named=False)
    Detention.objects.create(person=hidden, date=JULY_15, region="BY-HO")
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.make_report(day=JULY_15)
    (message,) = mail.outbox
    html = message.alternatives[0].content
    assert message.to == ["board@example.org"]
    assert "2021-07-15" in message.subject
    assert hidden.pseudonym in html
    assert hidden.name not in html
    assert hidden.name in report.html.read().decode()


def test_command_rejects_a_malformed_date(db):
    with pytest.raises(CommandError, match="--date"):
        call_command("nightly_report", "--date", "15.07.2021")
    assert not NightlyReport.objects.exists()


@pytest.mark.parametrize("day", ["2024-03-10", "2024-03-11"])
def test_command_refuses_a_day_that_is_not_over(db, day):
    noon = datetime.datetime(2024, 3, 10, 9, tzinfo=datetime.UTC)
    with time_machine.travel(noon), pytest.raises(CommandError, match="not over yet"):
        call_command("nightly_report", "--date", day)
    assert not NightlyReport.objects.exists()


def test_command_makes_the_report(entered_sample, capsys):
    call_command("nightly_report", "--date", "2021-07-15")
    assert "3 in custody, 1 urgent" in capsys.readouterr().out
    assert NightlyReport.objects.get().is_complete


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_make_one_report(monkeypatch):
    load_sample_as_entered()
    gather = reports.gather
    runs, results, barrier = [], [], threading.Barrier(2)

    def slow_gather(*, day):
        runs.append(day)
        threading.Event().wait(0.3)
        return gather(day=day)

    def worker():
        barrier.wait()
        try:
            results.append(reports.make_report(day=JULY_15).pk)
        finally:
            connection.close()

    monkeypatch.setattr(reports, "gather", slow_gather)
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(runs) == 1
    assert results == [results[0]] * 2
    assert NightlyReport.objects.get().is_complete


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_report_leaves_it_unfinished_until_the_next_run(settings, media):
    load_sample_as_entered()
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(media),
        "CELERY_BROKER_URL": "",
    }
    command = [sys.executable, "manage.py", "nightly_report", "--date", "2021-07-15"]
    with transaction.atomic(), connection.cursor() as cursor:
        # Hold the report up in the middle: it waits for this lock while computing.
        cursor.execute("LOCK TABLE incidents_sentence IN ACCESS EXCLUSIVE MODE")
        worker = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
        try:
            for _ in range(300):
                # Activity is read once per transaction unless the snapshot is cleared.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.1)
            else:
                pytest.fail("The report never reached the locked table.")
        finally:
            worker.kill()
            worker.wait(timeout=10)
        assert worker.returncode == -signal.SIGKILL
    assert NightlyReport.objects.get(day=JULY_15).made_at is None
    assert reports.make_report(day=JULY_15).figures["custody"]["urgent"] == 1
