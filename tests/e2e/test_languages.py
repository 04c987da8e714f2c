"""A Belarusian and a Russian browser see the admin, the review queue and the report in their
language, without a word of the project's English; the switch changes it."""

import datetime

import pytest
from django.urls import reverse

from incidents import reports
from incidents.models import Detention, Raid
from tests.english import english_left, typed_texts
from tests.nightly_report_data import load_sample_as_entered

PASSWORD = "x" * 16  # the persona fixtures' password
OTHER = {"be": "ru", "ru": "be"}
SWITCH_LABEL = {"be": "Мова", "ru": "Язык"}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["be", "ru"])
def test_admin_and_report_read_in_the_browser_language(
    browser, live_server, screenshots, superuser, settings, tmp_path, language
):
    settings.MEDIA_ROOT, settings.REPORT_LANGUAGE = tmp_path, language
    load_sample_as_entered()
    report = reports.make_report(day=datetime.date(2021, 7, 15))
    typed = typed_texts()
    page = browser.new_context(locale=language).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.screenshot(path=screenshots / "00-login.png", full_page=True)
    assert english_left(page.inner_text("body"), language) == []
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    pages = {
        "01-home": reverse("admin:index"),
        "02-raid": reverse("admin:incidents_raid_change", args=[Raid.objects.earliest("pk").pk]),
        "03-detention": reverse(
            "admin:incidents_detention_change", args=[Detention.objects.earliest("pk").pk]
        ),
        "04-review-queue": reverse("review_queue"),
        "05-report-in-admin": reverse("admin:incidents_nightlyreport_change", args=[report.pk]),
        "06-report-page": reverse("nightly-report", args=["2021-07-15"]),
    }
    for name, url in pages.items():
        page.goto(live_server.url + url)
        page.screenshot(path=screenshots / f"{name}.png", full_page=True)
        assert page.get_attribute("html", "lang") == language, name
        assert english_left(page.inner_text("body"), language, typed) == [], name

    page.goto(live_server.url + pages["01-home"])
    page.select_option("#language-select", OTHER[language])
    page.click("#language-switch button")
    page.wait_for_selector(f"html[lang={OTHER[language]}]")
    page.screenshot(path=screenshots / "07-switched.png", full_page=True)
    assert page.inner_text("#language-switch label") == SWITCH_LABEL[OTHER[language]]
