"""The interface in Belarusian and Russian: chosen by the browser, the switch and the user's
stored choice; the report in the organisation's language; dates and plurals as read there."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from incidents import reports
from incidents.models import Detention, Raid, Sentence
from tests.english import english_left, typed_texts, visible_text
from tests.nightly_report_data import load_sample_as_entered
from tracker.dates import describe
from tracker.models import Preferences
from tracker.review import Status

JULY_15 = datetime.date(2021, 7, 15)
LANGUAGES = ["be", "ru"]


@pytest.fixture
def entered(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_sample_as_entered()


def admin_pages() -> list[str]:
    raid, detention = Raid.objects.earliest("pk"), Detention.objects.earliest("pk")
    in_review = Raid.objects.filter(status=Status.IN_REVIEW).earliest("pk")
    return [
        reverse("admin:index"),
        reverse("admin:incidents_raid_change", args=[raid.pk]),
        reverse("admin:incidents_raid_change", args=[in_review.pk]),
        reverse("admin:incidents_detention_change", args=[detention.pk]),
        reverse("review_queue"),
        reverse("admin:incidents_raid_add"),
        reverse("admin:incidents_detention_add"),
        reverse("admin:organisations_person_add"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_pages_keep_no_english_string_of_the_project(admin_client, entered, language):
    typed = typed_texts()
    for url in admin_pages():
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response["Content-Language"] == language
        text = visible_text(response.content.decode())
        assert english_left(text, language, typed) == [], url


def test_the_check_finds_the_english_of_an_english_page(admin_client, entered):
    url = reverse("admin:incidents_detention_change", args=[Detention.objects.earliest("pk").pk])
    text = visible_text(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content)
    assert {"place of custody", "legal track"} <= set(english_left(text, "be"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_in_report_language_keeps_no_english_string(entered, settings, language):
    settings.REPORT_LANGUAGE = language
    report = reports.make_report(day=JULY_15)
    html, typed = report.html.read().decode(), typed_texts()
    assert f'<html lang="{language}">' in html
    assert english_left(visible_text(html), language, typed) == []
    assert english_left(report.csv.read().decode(), language, typed) == []


def test_report_and_mail_use_report_language_not_the_active_one(
    entered, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REPORT_LANGUAGE, settings.REPORT_EMAILS = "be", ["staff@example.org"]
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        report = reports.make_report(day=JULY_15)
    assert "Штодзённая справаздача за 2021-07-15" in report.html.read().decode()
    assert mailoutbox[0].subject == "Штодзённая справаздача за 2021-07-15"


@pytest.mark.parametrize(
    ("language", "expected"), [("be", "Увядзіце дату і час"), ("ru", "Введите дату и время")]
)
def test_api_validation_error_is_in_the_accept_language(anon_client, language, expected):
    url = "/api/v1/raids/?updated_since=yesterday"
    response = anon_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["parameter"], error["message"][: len(expected)]) == ("updated_since", expected)
    assert english_left(response.content.decode(), language) == []


def test_api_schema_describes_in_the_accept_language(anon_client):
    response = anon_client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE="ru")
    schema = response.json()
    raids = schema["paths"]["/api/v1/raids/"]["get"]
    assert schema["info"]["description"].startswith("Обыски, задержания, люди")
    assert raids["description"] == "Обыски: в офисах, жилье и редакциях."
    assert "Формат ответа" in {p["name"]: p["description"] for p in raids["parameters"]}["format"]


def test_first_visit_follows_the_browser_else_the_default(client, db):
    assert client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="ru")["Content-Language"] == "ru"
    assert client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="de")["Content-Language"] == "en"


@pytest.mark.parametrize("two_factor", [False, True])
def test_login_page_has_the_switch(client, db, settings, two_factor):
    settings.REQUIRE_2FA = two_factor
    content = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="be").content.decode()
    assert 'id="language-switch"' in content
    assert ('id="id_otp_token"' in content) == two_factor


def test_switch_holds_for_the_session_and_the_next_login_anywhere(client, editor):
    client.force_login(editor)
    client.post(reverse("set_language"), {"language": "be", "next": "/admin/"})
    assert client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "be"
    client.logout()
    assert Preferences.objects.get(user=editor).language == "be"
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="ru")
    elsewhere.force_login(editor)
    assert elsewhere.get("/admin/")["Content-Language"] == "be"


def test_switch_is_on_every_admin_page_as_a_form(admin_client, entered):
    for url in admin_pages():
        content = admin_client.get(url).content.decode()
        assert f'<form id="language-switch" method="post" action="{reverse("set_language")}">' in (
            content
        )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "July 2021"), ("be", "ліпень 2021"), ("ru", "июль 2021 г.")],
)
def test_month_precision_date_reads_as_in_the_language(language, expected):
    with translation.override(language):
        assert describe(datetime.date(2021, 7, 1), "month") == expected


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("be", 1, "1 дзень"),
        ("be", 3, "3 дні"),
        ("be", 5, "5 дзён"),
        ("ru", 11, "11 дней"),
        ("ru", 21, "21 день"),
        ("ru", 22, "22 дня"),
        ("en", 1, "1 day"),
    ],
)
def test_terms_take_the_plural_form_of_the_language(language, days, expected):
    with translation.override(language):
        assert Sentence(term_days=days).term_display == expected
