"""Cross-script name matching.

Trigram similarity cannot tell that "Беляцкий", "Бяляцкі" and "Bialiatski" are one name, so
each record stores a search key built from all its names: every word transliterated to
lower-case Latin, plus a consonant skeleton of it ("~blck") that survives the differences
between Russian, Belarusian and Latin spellings (vowels, soft signs, sz/sh, ts/c, g/h).
"""

import re
from collections.abc import Iterable

from django.db.models import Q
from unidecode import unidecode

_NOT_WORD = re.compile(r"[^a-z0-9\s]")
_DIGRAPHS = (
    ("sch", "s"), ("sz", "s"), ("sh", "s"), ("cz", "c"), ("ch", "c"), ("ts", "c"),
    ("tz", "c"), ("zh", "z"), ("kh", "h"), ("x", "ks"), ("w", "v"), ("g", "h"),
)  # fmt: skip
_VOWELS = re.compile(r"[aeiouyj]")
_REPEATS = re.compile(r"(.)\1+")
MIN_SKELETON = 3


def words(text: str) -> list[str]:
    """The words of ``text``, transliterated to lower-case Latin."""
    return _NOT_WORD.sub("", unidecode(text).lower().replace("'", "")).split()


def skeleton(word: str) -> str:
    for spelling, sound in _DIGRAPHS:
        word = word.replace(spelling, sound)
    return _REPEATS.sub(r"\1", _VOWELS.sub("", word))


def search_key(names: Iterable[str]) -> str:
    """The stored key: transliterated words, then their skeletons, each after a space."""
    tokens = dict.fromkeys(w for name in names for w in words(name))
    skeletons = dict.fromkeys("~" + skeleton(w) for w in tokens if len(skeleton(w)) > 1)
    return " " + " ".join([*tokens, *skeletons]) + " "


def search_q(query: str, field: str = "search_key") -> Q:
    """Rows whose names contain every word of ``query``, in any script or spelling."""
    condition = Q()
    for word in words(query):
        match = Q(**{f"{field}__contains": word})
        if len(skeleton(word)) >= MIN_SKELETON:
            match |= Q(**{f"{field}__contains": f" ~{skeleton(word)}"})
        condition &= match
    return condition
