"""Cross-script name matching: one key for every spelling of a name.

Each word of a name becomes two codes, both in lower-case Latin:

- its *spelling* ("balatki" for Бяляцкі): the sounds that Belarusian, Russian, ISO 9,
  BGN/PCGN, passport and Łacinka spellings write differently made one letter each (т ц ts tz
  c → t, ч ch cz č → c, х г kh ch g h → h, ш щ sh sz š → x, ж zh ż ž → j, дз → d, ў and the
  u of au/ou/eu → v, x → ks, w → v), and each run of vowels made one vowel: u; a for а о е
  э я, so that akanye and я/е/ia/ya/ja meet; i for і и ы й y j;
- its *sound* ("bltk"): the spelling without vowels but the first letter, so that Bialiatski,
  Belyatsky, Беляцкий and Bialacki meet, and so do Ivanov, Ivanou and Ivanova (but not
  Ivashov). Given names whose Belarusian, Russian and Polish forms no rule joins share one
  sound (Алесь and Aleksandr, Mikola and Nikolai).

A Latin "ch" may be ч (English) or х (Polish, Łacinka), and "c" may be ц or к: such words get
each reading. The stored key lists the spellings, then the sounds after a "~"; a query word
matches a record with a sound that starts with the word's sound (a word half typed matches
too). Results rank by the number of query words in the record's exact spelling, then (on
PostgreSQL) by trigram word similarity, so the closest spelling comes first. The key is plain
Latin, so that a pg_trgm GIN index reads it whatever the database's LC_CTYPE.

From Beider–Morse comes the idea of several readings of an ambiguous letter, from
Daitch–Mokotoff a consonant code that keeps the first letter; neither is used as it stands
(both read Latin only, and Daitch–Mokotoff's digits join too many names). Trigram similarity
alone cannot join scripts (Бяляцкі and Bialiatski share no trigram), so it only ranks.
"""

import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import Expression
from unidecode import unidecode

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ё": "o",
    "є": "e", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "j", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ў": "w", "ф": "f", "х": "kh", "ц": "ts", "ч": "cz", "ш": "sz", "щ": "szcz",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
    "č": "cz", "ć": "c", "š": "sz", "ś": "s", "ž": "zh", "ż": "zh", "ź": "z", "ŭ": "w",
    "ł": "l", "ń": "n",
}  # fmt: skip
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Longest first; a tuple is the readings of an ambiguous letter, the likelier first.
_SOUNDS = {
    "shch": "X", "szcz": "X", "tsch": "C", "dzh": "dJ", "sch": "X", "tch": "C",
    "sh": "X", "sz": "X", "zh": "J", "kh": "H", "cz": "C", "ts": "T", "tz": "T", "dz": "d",
    "ph": "f", "th": "T", "ch": ("C", "H"), "c": ("T", "K"), "t": "T", "g": "H", "h": "H",
    "k": "K", "q": "K", "x": "KS", "w": "V", "v": "V", "j": "i", "y": "i", "o": "a",
}  # fmt: skip
_TOKEN = re.compile("|".join(sorted(_SOUNDS, key=len, reverse=True)) + "|.")
_VOWELS = "aeiu"
# Forms of one given name that no spelling rule joins (Belarusian, Russian, Polish).
GIVEN_NAMES = (
    ("Аляксандр", "Алесь", "Александр", "Alexander", "Aleksandr", "Aliaksandr", "Aleś"),
    ("Андрэй", "Андрей", "Andrzej", "Andrii"),
    ("Кацярына", "Екатерина", "Katarzyna", "Yekaterina"),
    ("Дзмітрый", "Зміцер", "Дмитрий", "Dmitri"),
    ("Мікалай", "Мікола", "Николай", "Mikalaj", "Mikołaj"),
    ("Анастасія", "Наста", "Настя", "Anastasia"),
    ("Рыгор", "Григорий", "Hryhoryj"),
    ("Вольга", "Ольга", "Olha"),
    ("Ганна", "Анна"),
    ("Язэп", "Иосиф", "Józef", "Joseph"),
)


def _latin(word: str) -> str:
    word = _APOSTROPHES.sub("", unicodedata.normalize("NFC", word.lower()))
    word = "".join(_CYRILLIC.get(char, char) for char in word)
    return _NOT_WORD.sub(" ", unidecode(word).lower())


def _tokens(word: str) -> list[tuple[str, ...]]:
    """The sound letters of a Latin word, each as the tuple of its readings."""
    letters: list[tuple[str, ...]] = []
    for token in _TOKEN.findall(word):
        sound = _SOUNDS.get(token, token)
        readings = sound if isinstance(sound, tuple) else (sound,)
        letters.extend((letter,) for letter in readings[0][:-1])  # "dJ", "KS": two letters
        letters.append(tuple(reading[-1] for reading in readings))
    for i, readings in enumerate(letters):
        after_a_or_e = i > 0 and letters[i - 1][0] in "ae"
        starts_before_consonant = i == 0 and len(letters) > 1 and letters[1][0] not in _VOWELS
        if readings == ("u",) and (after_a_or_e or starts_before_consonant):
            letters[i] = ("V",)  # Яўген/Yauhen, Ivanou, Уладзімір/Uladzimir
    return letters


def _readings(word: str) -> list[str]:
    """The sound sequences of a Latin word, the likeliest first (two ambiguities at most)."""
    letters = _tokens(word)
    ambiguous = [i for i, readings in enumerate(letters) if len(readings) > 1][:2]
    choices = [readings if i in ambiguous else readings[:1] for i, readings in enumerate(letters)]
    return ["".join(combination) for combination in itertools.product(*choices)]


def _vowel(run: str) -> str:
    return "u" if "u" in run else "a" if "a" in run or "e" in run else "i"


def _spelling(sounds: str) -> str:
    runs = re.findall(r"[aeiu]+|[^aeiu]", sounds)
    return "".join(_vowel(run) if run[0] in _VOWELS else run for run in runs).lower()


def _sound(spelling: str) -> str:
    deduplicated = re.sub(r"(.)\1+", r"\1", spelling)
    return deduplicated[:1] + re.sub("[aeiu]", "", deduplicated[1:])


def _spellings(latin_word: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_spelling(r) for r in _readings(latin_word)))


@functools.lru_cache(maxsize=65536)
def _codes(latin_word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    spellings = _spellings(latin_word)
    sounds = (_GIVEN.get(_sound(s), _sound(s)) for s in spellings)
    return spellings, tuple(dict.fromkeys(sounds))


def words(text: str) -> list[str]:
    """The words of ``text`` in Latin letters ("Бяляцкі" → "bjaljatski")."""
    return _latin(text).split()


def sounds(word: str) -> tuple[str, ...]:
    """The sounds of one Latin word: what every spelling of the name shares."""
    return _codes(word)[1]


def _given_names() -> dict[str, str]:
    table = {}
    for forms in GIVEN_NAMES:
        group = [_sound(s) for form in forms for w in words(form) for s in _spellings(w)]
        table.update(dict.fromkeys(group, group[0]))
    return table


_GIVEN = _given_names()


def search_key(names: Iterable[str]) -> str:
    """The stored key: every word's spellings, then its sounds, each after a space."""
    spelled, sounded = {}, {}
    for word in (w for name in names for w in words(name)):
        word_spellings, word_sounds = _codes(word)
        spelled.update(dict.fromkeys(word_spellings))
        sounded.update(dict.fromkeys("~" + s for s in word_sounds))
    return " " + " ".join([*spelled, *sounded]) + " "


def _looks_like_patronymic(spelling: str) -> bool:
    return spelling.endswith(("vic", "vna", "icna"))


def _word_q(word: str, field: str) -> Q:
    """Rows with a word that sounds like ``word``, or starts so (while typing)."""
    return functools.reduce(
        operator.or_, (Q(**{f"{field}__contains": f" ~{sound}"}) for sound in sounds(word))
    )


def search_q(query: str, field: str = "search_key") -> Q:
    """Rows with a name matching every word of ``query`` in any script or spelling.

    In a query of three words or more, one patronymic may be missing from the record.
    """
    query_words = words(query)
    optional = [
        w for w in query_words if len(query_words) > 2 and _looks_like_patronymic(_codes(w)[0][0])
    ]
    condition = Q()
    for word in query_words:
        if word not in optional:
            condition &= _word_q(word, field)
    if optional:
        condition &= functools.reduce(
            operator.or_,
            (
                functools.reduce(operator.and_, [_word_q(w, field) for w in others], Q())
                for others in itertools.combinations(optional, len(optional) - 1)
            ),
        )
    return condition


def spelling(word: str) -> str:
    """The stored spelling of one Latin word, as ``exact_words`` looks for it."""
    return _codes(word)[0][0]


def query_spelling(query: str) -> str:
    """The query as spellings, for trigram similarity against the key."""
    return " ".join(_codes(w)[0][0] for w in words(query))


def exact_words(query: str) -> Expression:
    """How many words of ``query`` a row has in exactly the query's spelling."""
    return functools.reduce(
        operator.add,
        [
            Case(
                When(search_key__contains=f" {_codes(w)[0][0]} ", then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for w in words(query)
        ],
        Value(0, output_field=IntegerField()),
    )
