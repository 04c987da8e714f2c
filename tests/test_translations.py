"""Translations cannot rot: every string marked in the sources has a Belarusian and a Russian
translation, with the same placeholders, and the committed .mo files say the same.

The sources are extracted afresh into a copy of the catalogues (what ``make messages``
does), so a string added without a translation fails here, not in front of a user.
"""

import contextlib
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LANGUAGES = ("be", "ru")
SOURCES = ("tracker", "organisations", "incidents", "templates", "locale")
# %(name)s, %d, %.1f, {name}; "%%" is a literal per cent sign.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrifgeExXc]|\{\w*\}")


def catalogue(root: Path, language: str) -> polib.POFile:
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


def extract(root: Path) -> None:
    """Run makemessages over the copy in ``root``, as ``make messages`` does."""
    with override_settings(LOCALE_PATHS=[root / "locale"]), contextlib.chdir(root):
        call_command("makemessages", locale=list(LANGUAGES), no_obsolete=True, verbosity=0)


def copy_sources(root: Path) -> Path:
    for name in SOURCES:
        ignore = shutil.ignore_patterns("__pycache__", "*.mo")
        shutil.copytree(Path(settings.BASE_DIR) / name, root / name, ignore=ignore)
    return root


def untranslated(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and not e.translated() and not e.fuzzy]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    root = copy_sources(tmp_path_factory.mktemp("messages"))
    extract(root)
    return root


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(extracted, language):
    po = catalogue(extracted, language)
    assert len(po) > 400
    assert untranslated(po) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_fuzzy(extracted, language):
    assert [e.msgid for e in catalogue(extracted, language).fuzzy_entries()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_original(extracted, language):
    wrong = []
    for entry in catalogue(extracted, language).translated_entries():
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, form) for form in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        wrong += [(o, t) for o, t in pairs if placeholders(o) != placeholders(t)]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_the_three_plural_forms_of_the_language(language):
    po = catalogue(Path(settings.BASE_DIR), language)
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")


def test_a_string_added_without_translation_fails_the_check(tmp_path):
    root = copy_sources(tmp_path)
    (root / "tracker" / "added.py").write_text(
        'from django.utils.translation import gettext as _\n\n_("A sentence nobody translated")\n'
    )
    extract(root)
    assert untranslated(catalogue(root, "be")) == ["A sentence nobody translated"]


def translations(entries) -> dict:
    return {
        (e.msgctxt, e.msgid): e.msgstr_plural if e.msgid_plural else e.msgstr
        for e in entries
        if e.msgid
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_mo_files_match_the_po_files(language):
    folder = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = polib.mofile(str(folder / "django.mo"))
    assert translations(mo) == translations(po.translated_entries())
    assert mo.metadata["Plural-Forms"] == po.metadata["Plural-Forms"]
