"""The lists fit a 1366 px screen in Belarusian and Russian, status and visibility in view."""

import pytest
from django.urls import reverse

from incidents import sample_data

PASSWORD = "x" * 16  # the persona fixtures' password
LISTS = {
    "raids": "admin:incidents_raid_changelist",
    "detentions": "admin:incidents_detention_changelist",
    "people": "admin:organisations_person_changelist",
    "organisations": "admin:organisations_organisation_changelist",
    "sources": "admin:incidents_source_changelist",
}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["be", "ru"])
def test_lists_fit_1366_pixels_with_status_and_visibility(
    browser, live_server, screenshots, editor, language
):
    sample_data.load()
    page = browser.new_context(locale=language, viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#dashboard")
    page.screenshot(path=screenshots / "00-home.png", full_page=True)
    for name, url in LISTS.items():
        page.goto(live_server.url + reverse(url))
        page.screenshot(path=screenshots / f"{name}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, (name, width)
        scrolled = page.evaluate(
            "(() => { const r = document.querySelector('#changelist-form .results');"
            " return r.scrollWidth - r.clientWidth; })()"
        )
        assert scrolled <= 0, (name, scrolled)  # no column hidden behind a scroll bar
        filters = page.locator("#changelist-filter").bounding_box()
        for column in ("status", "visibility"):
            box = page.locator(f"#result_list th.column-{column}").bounding_box()
            assert box is not None, (name, column)
            assert box["x"] + box["width"] <= filters["x"], (name, column, box)
