"""The project's own English strings left on a page that should be in another language."""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.db import models

# Shorter msgids ("role", "home") also occur inside names and data.
MIN_LENGTH = 8
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrifgeExXc]|\{\w*\}")


@cache
def phrases(language: str) -> tuple[str, ...]:
    """The catalogue's English phrases that the language translates differently."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    found = set()
    for entry in polib.pofile(str(path)).translated_entries():
        if entry.msgstr == entry.msgid:
            continue
        for text in filter(None, (entry.msgid, entry.msgid_plural)):
            parts = (p.strip(" .,:;()“”\"'") for p in PLACEHOLDER.split(text))
            found.update(p for p in parts if len(p) >= MIN_LENGTH)
    return tuple(sorted(found))


def typed_texts() -> list[str]:
    """What staff typed into the records (the sample case is in English), longest first."""
    texts = set()
    for label in ("organisations", "incidents"):
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField) and not f.choices
            ]
            for row in model.objects.values_list(*fields):
                texts.update(str(value) for value in row if value)
    return sorted(texts, key=len, reverse=True)


def english_left(text: str, language: str, typed: list[str] = ()) -> list[str]:
    """The catalogue's phrases in ``text``, once the records' own ``typed`` texts are out."""
    for value in typed:
        text = text.replace(value, " ")
    return [
        phrase
        for phrase in phrases(language)
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE)
    ]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.skipping += tag in ("script", "style")

    def handle_endtag(self, tag) -> None:
        self.skipping -= tag in ("script", "style")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str | bytes) -> str:
    parser = _Text()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return " ".join(parser.parts)
