"""In the browser, what staff type reaches the server: unreadable numbers are refused."""

import datetime
from decimal import Decimal

import pytest

from incidents.models import Sentence
from tests.e2e.test_review_flow import log_in
from tests.factories import DetentionFactory, RaidFactory, SeizedItemFactory
from tracker import workflow
from tracker.review import Status


def save(page) -> None:
    page.click("input[name=_save]")
    page.wait_for_selector(".errornote, .messagelist .success")


@pytest.mark.browser
def test_numbers_typed_as_words_are_refused_and_a_decimal_comma_is_read(
    browser, live_server, screenshots, editor
):
    raid = SeizedItemFactory(raid=RaidFactory(status=Status.DRAFT), count=2).raid
    page = log_in(browser, live_server, "editor")
    page.goto(f"{live_server.url}/admin/incidents/raid/{raid.pk}/change/")
    page.fill("#id_seized_items-0-count", "abc")
    save(page)
    page.screenshot(path=screenshots / "01-count-in-letters-refused.png", full_page=True)
    assert "Enter how many in digits" in page.inner_text(".field-count .errorlist")
    assert raid.seized_items.get().count == 2

    page.fill("#id_seized_items-0-count", "3")
    page.select_option("#id_region", "BY-HR")
    page.fill("#id_latitude", "53,68")
    page.fill("#id_longitude", "23,83")
    save(page)
    page.screenshot(path=screenshots / "02-decimal-comma-saved.png", full_page=True)
    raid.refresh_from_db()
    assert (raid.latitude, raid.longitude) == (Decimal("53.68"), Decimal("23.83"))
    assert raid.seized_items.get().count == 3


@pytest.mark.browser
def test_a_term_typed_in_years_is_refused_and_saves_nothing(
    browser, live_server, screenshots, editor
):
    detention = DetentionFactory(status=Status.DRAFT)
    Sentence.objects.create(
        detention=detention, court="Court", date=datetime.date(2021, 7, 20), kind="colony"
    )
    page = log_in(browser, live_server, "editor")
    page.goto(f"{live_server.url}/admin/incidents/detention/{detention.pk}/change/")
    page.fill("#id_sentence-0-term_months", "14 years")
    save(page)
    page.screenshot(path=screenshots / "01-term-in-years-refused.png", full_page=True)
    error = page.inner_text(".field-term_months .errorlist")
    assert error == "Enter a whole number of months, e.g. 168 for 14 years."
    assert page.input_value("#id_sentence-0-term_months") == "14 years"
    assert Sentence.objects.get().term_months is None


@pytest.mark.browser
def test_saving_a_record_published_meanwhile_keeps_what_was_typed(
    browser, live_server, screenshots, editor, reviewer
):
    raid = RaidFactory(status=Status.IN_REVIEW, created_by=editor, narrative="Searched.")
    page = log_in(browser, live_server, "editor")
    page.goto(f"{live_server.url}/admin/incidents/raid/{raid.pk}/change/")
    page.fill("#id_narrative", "Searched; three laptops and a phone were taken.")
    workflow.publish(raid, by=reviewer)
    save(page)
    page.screenshot(path=screenshots / "01-refused-published-meanwhile.png", full_page=True)
    assert "published by reviewer" in page.inner_text(".errorlist.nonfield")
    assert page.input_value("#id_narrative").startswith("Searched; three laptops")
    raid.refresh_from_db()
    assert raid.narrative == "Searched."
