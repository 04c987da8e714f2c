"""A documentation worker enters a whole case on one page; a reviewer publishes it with the
records it names. Page loads are counted: navigations of every window, popups included."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from incidents import sample_data
from incidents.models import Detention, Raid, Source
from organisations.models import Person
from tracker.review import Status

PASSWORD = "x" * 16  # the persona fixtures' password
SCREEN = {"width": 1366, "height": 768}


class PageLoads:
    """Counts the page loads of every window of a context, popups included.

    A load is a navigation request of a page's main frame; the GET that follows a redirect
    is the same load (a form's POST and the page it leads to).
    """

    def __init__(self, context) -> None:
        self.urls: list[str] = []
        context.on("request", self.seen)

    def seen(self, request) -> None:
        new_load = request.is_navigation_request() and request.redirected_from is None
        if new_load and self.main_frame(request):
            self.urls.append(f"{request.method} {request.url}")

    @staticmethod
    def main_frame(request) -> bool:
        try:
            return request.frame.parent_frame is None
        except PlaywrightError:  # a popup's first load, requested before its page exists
            return True


def logged_in(browser, live_server, username: str):
    context = browser.new_context(locale="en-US", viewport=SCREEN)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#dashboard")
    return context, page


def choose(page, select_id: str, typed: str, option: str) -> None:
    """Pick ``option`` in an autocomplete (select2) after typing ``typed``."""
    page.click(f"#{select_id} + .select2")
    page.fill(".select2-container--open .select2-search__field", typed)
    page.click(f".select2-container--open .select2-results__option >> text={option}")


@pytest.fixture
def case_without_the_office_raid(transactional_db):
    """The sample case, less the Viasna office raid and Ales Bialiatski's detention."""
    sample_data.load()
    Detention.objects.filter(person__name="Ales Bialiatski").delete()
    Raid.objects.filter(premises_type="office", settlement="Minsk").delete()


@pytest.mark.browser
def test_enter_the_viasna_office_raid_in_five_page_loads_and_publish_it_in_two(
    browser, live_server, screenshots, editor, reviewer, case_without_the_office_raid
):
    context, page = logged_in(browser, live_server, "editor")
    page.screenshot(path=screenshots / "01-editor-home.png", full_page=True)
    loads = PageLoads(context)

    page.click("#panel-add a[href$='/incidents/raid/add/']")
    page.fill("#id_date", "2021-07-14")
    page.fill("#id_settlement", "Minsk")
    page.select_option("#id_region", "BY-HM")
    page.select_option("#id_premises_type", "office")
    choose(page, "id_target_organisations", "Viasna", "Viasna Human Rights Centre")
    choose(page, "id_target_people", "Бяляцкі", "Ales Bialiatski")
    choose(page, "id_perpetrators", "Financial", "Financial Investigations Department")
    page.fill("#id_narrative", "Viasna's headquarters searched; equipment, computers seized.")
    page.select_option("#id_visibility", "public")

    # The first detention: a person already recorded, found by a Belarusian spelling.
    choose(page, "id_detentions-0-person", "Бяляцкі", "Ales Bialiatski")
    page.fill("#id_detentions-0-date", "2021-07-14")
    choose(page, "id_detentions-0-authority", "Financial", "Financial Investigations Department")
    page.fill("#id_detentions-0-custody_place", "Pre-trial detention centre No. 1, Minsk")
    page.select_option("#id_detentions-0-visibility", "public")

    # The second: a person not recorded yet, added in the popup.
    page.click("#detentions-group .add-row a")
    with page.expect_popup() as opened:
        page.click("#add_id_detentions-1-person")
    popup = opened.value
    popup.wait_for_selector("#id_name")
    popup.fill("#id_name", "Valiantsin Stefanovich")
    popup.check("#id_may_be_named")
    popup.select_option("#id_visibility", "public")
    popup.screenshot(path=screenshots / "02-new-person-popup.png", full_page=True)
    with popup.expect_event("close"):
        popup.click("input[name=_save]")
    page.fill("#id_detentions-1-date", "2021-07-14")
    page.uncheck("#id_detentions-1-whereabouts_known")
    page.select_option("#id_detentions-1-visibility", "public")

    page.select_option("#id_seized_items-0-kind", "equipment")
    page.fill("#id_seized_items-0-description", "office equipment, computers, cell phones")
    choose(page, "id_source_links-0-source", "Activists", "Activists detained")
    page.fill("#id_source_links-0-quote", "equipment, computers, and cell phones")
    page.screenshot(path=screenshots / "03-raid-form-filled.png", full_page=True)
    page.click("#save-and-submit")
    page.wait_for_selector(".messagelist .success")
    page.screenshot(path=screenshots / "04-submitted.png", full_page=True)
    entered = len(loads.urls)
    assert entered <= 5, loads.urls
    assert page.inner_text("#record-status") == "in review"

    raid = Raid.objects.get(premises_type="office", settlement="Minsk", status=Status.IN_REVIEW)
    stefanovich = Person.objects.get(name="Valiantsin Stefanovich")
    detentions = list(raid.detentions.order_by("person__name"))
    assert [d.person.name for d in detentions] == ["Ales Bialiatski", "Valiantsin Stefanovich"]
    assert [d.status for d in detentions] == [Status.IN_REVIEW, Status.IN_REVIEW]
    assert stefanovich.status == Status.IN_REVIEW
    assert raid.seized_items.get().kind == "equipment"
    assert raid.source_links.get().source == Source.objects.get(title=sample_data.ARTICLE)
    assert str(raid) == ("Viasna Human Rights Centre, Ales Bialiatski office, Minsk, 14 July 2021")

    context, review = logged_in(browser, live_server, "reviewer")
    review.screenshot(path=screenshots / "05-reviewer-home.png", full_page=True)
    loads = PageLoads(context)
    review.click("#panel-work a[href$='/review-queue/']")
    preview = f"#preview-incidentsraid{raid.pk}"
    review.wait_for_selector(preview)
    review.screenshot(path=screenshots / "06-review-queue.png", full_page=True)
    assert "3 linked records are not published yet" in review.inner_text(preview)
    review.click(f"#publish-incidentsraid{raid.pk}")
    review.wait_for_selector(".messagelist .success")
    review.screenshot(path=screenshots / "07-published.png", full_page=True)
    assert len(loads.urls) <= 2, loads.urls
    assert "4 records published" in review.inner_text(".messagelist")

    for record in (raid, stefanovich, *detentions):
        record.refresh_from_db()
        assert record.status == Status.PUBLISHED
    print(f"page loads: {entered} to enter and submit, {len(loads.urls)} to publish")


@pytest.mark.browser
def test_duplicate_warning_while_typing_a_name(browser, live_server, screenshots, editor, sample):
    _context, page = logged_in(browser, live_server, "editor")
    page.goto(f"{live_server.url}/admin/organisations/person/add/")
    page.type("#id_name", "Алесь Бяляцкі", delay=20)
    warning = page.wait_for_selector("#duplicate-warning .duplicate-candidate")
    text = page.inner_text("#duplicate-warning")
    page.screenshot(path=screenshots / "01-duplicate-warning.png", full_page=True)
    assert "Ales Bialiatski" in text
    assert "detained 14 July 2021, Minsk" in text
    assert "Алесь Беляцкий" in text  # other names
    warning.query_selector(".duplicate-other").click()
    page.check("#id_may_be_named")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    ales = Person.objects.get(name="Ales Bialiatski")
    created = Person.objects.get(name="Алесь Бяляцкі")
    note = created.history.get().history_change_reason
    assert note == f"Checked: not the same person as #{ales.pk} Ales Bialiatski"

    page.goto(f"{live_server.url}/admin/organisations/person/add/")
    page.type("#id_name", "Bialiatski", delay=20)
    page.wait_for_selector("#duplicate-warning .duplicate-use")
    page.click(f"#duplicate-warning li[data-person='{ales.pk}'] .duplicate-use")
    page.wait_for_url(f"**/organisations/person/{ales.pk}/change/")
