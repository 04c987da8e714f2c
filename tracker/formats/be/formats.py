"""Belarusian dates and numbers, as in Belarus: "14 ліпеня 2021 г.", "ліпень 2021", "53,9".

Django has Belarusian translations but no Belarusian formats, so without this file a
Belarusian page reads "ліпеня 14, 2021, 5 папаўдні" (the English order). The day and month
formats follow Django's Russian ones; "F" is the month standing alone (see
``tracker.dates.STANDALONE_MONTHS``), "E" the month after a day.
"""

DATE_FORMAT = "j E Y г."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y г., H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# Django also reads ISO dates (2021-07-14) whatever the language.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M:%S.%f",
    "%d.%m.%y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
