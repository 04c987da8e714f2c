"""A raid goes from a data-entry user's browser to publication by a reviewer."""

import pytest

from incidents.models import Raid, Source
from tracker.review import Status

PASSWORD = "x" * 16  # the persona fixtures' password


def log_in(browser, live_server, username: str):
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return page


@pytest.mark.browser
def test_data_entry_records_and_submits_a_raid_a_reviewer_publishes_it(
    browser, live_server, screenshots, editor, reviewer
):
    admin = f"{live_server.url}/admin"
    page = log_in(browser, live_server, "editor")
    page.screenshot(path=screenshots / "01-editor-logged-in.png", full_page=True)

    page.goto(f"{admin}/incidents/source/add/")
    page.select_option("#id_kind", "news")
    page.fill("#id_title", "Searches at Viasna and other rights groups")
    page.fill("#id_publisher", "Euronews")
    page.select_option("#id_visibility", "public")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{admin}/incidents/raid/add/")
    page.fill("#id_date", "2021-07-14")
    page.fill("#id_settlement", "Minsk")
    page.select_option("#id_region", "BY-HM")
    page.select_option("#id_premises_type", "office")
    page.fill("#id_narrative", "Equipment, computers and cell phones were seized.")
    page.select_option("#id_visibility", "public")
    page.select_option("#id_seized_items-0-kind", "computer")
    page.fill("#id_seized_items-0-count", "3")
    page.click("#id_source_links-0-source + .select2")
    page.fill(".select2-dropdown .select2-search__field", "Viasna")
    page.click(".select2-results__option >> text=Searches at Viasna")
    page.fill("#id_source_links-0-quote", "equipment, computers, and cell phones")
    page.screenshot(path=screenshots / "02-raid-form.png", full_page=True)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    raid = Raid.objects.get(settlement="Minsk")
    page.goto(f"{admin}/incidents/raid/{raid.pk}/change/")
    page.click("#workflow-submit")
    page.wait_for_selector(".messagelist .success")
    assert page.inner_text("#record-status") == "in review"
    page.screenshot(path=screenshots / "03-submitted.png", full_page=True)

    review = log_in(browser, live_server, "reviewer")
    review.goto(f"{admin}/review-queue/")
    review.screenshot(path=screenshots / "04-review-queue.png", full_page=True)
    review.click(f"#review-queue a[href$='/incidents/raid/{raid.pk}/change/']")
    review.click("#workflow-publish")
    review.wait_for_selector(".messagelist .success")
    assert review.inner_text("#record-status") == "published"
    review.screenshot(path=screenshots / "05-published.png", full_page=True)

    raid.refresh_from_db()
    assert (raid.status, raid.created_by, raid.updated_by) == (Status.PUBLISHED, editor, editor)
    assert raid.seized_items.get().count == 3
    assert raid.source_links.get().source == Source.objects.get(publisher="Euronews")

    anonymous = browser.new_context().new_page()
    answer = anonymous.goto(f"{live_server.url}/api/v1/raids/{raid.pk}/?format=json")
    assert answer.status == 200
    assert answer.json()["id"] == raid.pk
    listed = anonymous.goto(f"{live_server.url}/api/v1/incidents/?format=json").json()
    assert [row["id"] for row in listed["results"] if row["kind"] == "raid"] == [raid.pk]
    anonymous.goto(f"{live_server.url}/api/v1/raids/{raid.pk}/")
    anonymous.screenshot(path=screenshots / "06-anonymous-api.png", full_page=True)
