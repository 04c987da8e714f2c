"""Real public names, each stored under one spelling and searched under others; a crowd.

Shared by tests/test_name_search.py and bench/names.py. The people are political prisoners,
journalists and public figures of Belarus; the searched spellings are the forms their names
take in Belarusian and Russian Cyrillic, the official Belarusian romanisation, passports and
the press (BGN/PCGN, English, Polish) and Łacinka, alone (the surname) or in full.
"""

import random

from tracker import names

# (stored name, [searched spellings])
REAL_PEOPLE = [
    ("Алесь Бяляцкі", ["Беляцкий", "Bialiatski", "Byalyatski", "Belyatsky", "Bialacki",
                       "Ales Bialiatski", "Алесь Беляцкий", "Aleś Bialacki",
                       "Александр Беляцкий"]),
    ("Марыя Калеснікава", ["Мария Колесникова", "Maria Kolesnikova", "Maryja Kalesnikava",
                           "Kalesnikava", "Колесникова", "Maryia Kalesnikava"]),
    ("Святлана Ціханоўская", ["Светлана Тихановская", "Svetlana Tikhanovskaya",
                              "Sviatlana Tsikhanouskaya", "Swiatłana Cichanoŭskaja",
                              "Tsikhanouskaya", "Тихановская"]),
    ("Siarhei Tsikhanouski", ["Сергей Тихановский", "Sergei Tikhanovsky",
                              "Сяргей Ціханоўскі", "Siarhiej Cichanoŭski",
                              "Sergey Tikhanovskiy"]),
    ("Viktar Babaryka", ["Виктор Бабарико", "Viktor Babariko", "Віктар Бабарыка",
                         "Wiktar Babaryka", "Victor Babaryko"]),
    ("Эдуард Бабарико", ["Eduard Babaryka", "Эдуард Бабарыка", "Eduard Babariko"]),
    ("Ihar Losik", ["Игорь Лосик", "Ігар Лосік", "Igor Losik", "Ihar Łosik"]),
    ("Раман Пратасевіч", ["Roman Protasevich", "Роман Протасевич", "Raman Pratasevich",
                          "Pratasevič", "Protasiewicz"]),
    ("Мікола Статкевіч", ["Николай Статкевич", "Mikola Statkevich", "Mikalai Statkevich",
                          "Mikoła Statkievič", "Nikolai Statkevich",
                          "Статкевич Николай Викентьевич"]),
    ("Maksim Znak", ["Максим Знак", "Максім Знак", "Maxim Znak"]),
    ("Andrei Aliaksandrau", ["Андрей Александров", "Андрэй Аляксандраў",
                             "Andrey Aleksandrov", "Andrej Alaksandraŭ"]),
    ("Кацярына Андрэева", ["Katsiaryna Andreyeva", "Екатерина Андреева",
                           "Katerina Andreeva", "Kaciaryna Andrejeva"]),
    ("Katsiaryna Bakhvalava", ["Екатерина Бахвалова", "Кацярына Бахвалава",
                               "Kaciaryna Bachvalava", "Ekaterina Bakhvalova"]),
    ("Ігар Ільяш", ["Ihar Ilyash", "Игорь Ильяш", "Igor Ilyash", "Ihar Iljaš"]),
    ("Andrzej Poczobut", ["Андрей Почобут", "Андрэй Пачобут", "Andrei Pachobut",
                          "Andrey Pochobut"]),
    ("Павел Севярынец", ["Pavel Sevyarynets", "Павел Северинец", "Paval Sieviaryniec",
                         "Pavel Severinets"]),
    ("Valiantsin Stefanovich", ["Валентин Стефанович", "Валянцін Стэфановіч",
                                "Valentin Stefanovich", "Walancin Stefanovič"]),
    ("Марфа Рабкова", ["Marfa Rabkova", "Rabkova", "Marfa Rabkowa"]),
    ("Nasta Loika", ["Анастасия Лойко", "Наста Лойка", "Nasta Lojka", "Anastasia Loyko"]),
    ("Ales Pushkin", ["Алесь Пушкин", "Алесь Пушкін", "Aleś Puškin", "Ales Puszkin"]),
    ("Уладзімір Някляеў", ["Владимир Некляев", "Vladimir Neklyaev", "Uladzimir Niakliajeu",
                           "Uładzimir Niaklajeŭ"]),
    ("Зміцер Дашкевіч", ["Дмитрий Дашкевич", "Zmitser Dashkevich", "Dzmitry Dashkevich",
                         "Zmicier Daškievič"]),
    ("Павел Латушка", ["Павел Латушко", "Pavel Latushko", "Paweł Łatuszka"]),
    ("Ірына Халіп", ["Ирина Халип", "Iryna Khalip", "Irina Khalip", "Iryna Chalip"]),
    ("Андрэй Саннікаў", ["Андрей Санников", "Andrei Sannikov", "Andrej Sannikaŭ"]),
    ("Ihar Karnei", ["Игорь Карней", "Igor Karnei", "Ihar Karniej"]),
    ("Ксенія Луцкіна", ["Ксения Луцкина", "Ksenia Lutskina", "Ksienija Luckina",
                        "Kseniya Lutskina"]),
    ("Dzianis Ivashin", ["Денис Ивашин", "Dzianis Ivashyn", "Denis Ivashin"]),
    ("Ёсіф Сярэдзіч", ["Иосиф Середич", "Iosif Siaredzich", "Josif Seredich"]),
    ("Mikola Dziadok", ["Николай Дедок", "Nikolai Dedok", "Mikałaj Dziadok"]),
    ("Ігар Аліневіч", ["Игорь Олиневич", "Ihar Alinevich", "Igor Olinevich"]),
    ("Паліна Шарэнда-Панасюк", ["Полина Шаренда-Панасюк", "Palina Sharenda-Panasiuk",
                                "Polina Sharenda-Panasyuk"]),
    ("Ірына Слаўнікава", ["Ирина Славникова", "Iryna Slaunikava", "Irina Slavnikova"]),
    ("Eduard Palchys", ["Эдуард Пальчис", "Eduard Palchis", "Eduard Palczys"]),
    ("Аляксандр Лукашэнка", ["Александр Лукашенко", "Alexander Lukashenko",
                             "Aliaksandr Lukashenka", "Łukaszenka"]),
    ("Святлана Алексіевіч", ["Светлана Алексиевич", "Svetlana Alexievich",
                             "Sviatlana Aleksijevič", "Swiatłana Aleksijewicz"]),
    ("Uladzimir Labkovich", ["Владимир Лобкович", "Vladimir Labkovich",
                             "Uładzimir Labkovič"]),
    ("Леанід Судаленка", ["Леонид Судаленко", "Leonid Sudalenko", "Leanid Sudalenka"]),
    ("Ryhor Kastusiou", ["Григорий Костусев", "Рыгор Кастусёў", "Grigory Kostusev"]),
    ("Міхаіл Марыніч", ["Михаил Маринич", "Mikhail Marinich", "Michaił Marynič"]),
    ("Павел Мажэйка", ["Павел Можейко", "Pavel Mazheika", "Paweł Mażejka"]),
    ("Дар'я Лосік", ["Дарья Лосик", "Darya Losik", "Daria Losik", "Dar'ja Losik"]),
    ("Яўген Афнагель", ["Евгений Афнагель", "Yevgeny Afnagel", "Jaŭhien Afnahiel"]),
    ("Міхаіл Жамчужны", ["Михаил Жемчужный", "Mikhail Zhemchuzhny",
                         "Michał Żamczużny"]),
]  # fmt: skip

PAIRS = [(stored, searched) for stored, spellings in REAL_PEOPLE for searched in spellings]

# Distinct people whose names look like the real ones: each must not come first.
LOOK_ALIKES = [
    "Іван Болотко", "Алена Бялецкая", "Мікола Ціханаў", "Ганна Калеснік", "Пётр Бабарыкін",
    "Ігар Лосеў", "Сяргей Статкоў", "Вольга Знакава", "Максім Пратасаў", "Алесь Пушкароў",
    "Марына Лойка", "Павел Ліцвін", "Ivan Ivanov", "Iryna Ivanova", "Ivan Ivashov",
    "Аляксей Іваноў", "Siarhei Bialiatski", "Mikola Statkou", "Nasta Lukashenka",
]  # fmt: skip

_GIVEN = (
    "Аляксандр Андрэй Сяргей Дзмітрый Ігар Уладзімір Мікалай Павел Віктар Юрый Васіль Раман "
    "Максім Аляксей Яўген Антон Ілля Кірыл Арцём Вадзім Ганна Вольга Алена Наталля Тацяна "
    "Ірына Святлана Юлія Марына Людміла Кацярына Ксенія Дар'я Анастасія Ала Ніна Галіна "
    "Александр Андрей Сергей Дмитрий Игорь Владимир Николай Виктор Юрий Василий Роман Максим "
    "Алексей Евгений Антон Илья Кирилл Артём Вадим Анна Ольга Елена Наталья Татьяна Ирина "
    "Светлана Юлия Марина Людмила Екатерина Ксения Дарья Анастасия Алла Нина Галина"
)
_ROOTS = (
    "Бел Кав Мак Кар Шар Ган Жук Мар Дуд Гур Саб Пан Кан Рак Вішн Гарб Сін Пят Шаў Кузьм "
    "Мароз Лысен Зай Вал Грыб Сцеп Дам Ліс Каваль Клім Ярош Садоўн Сав Барыс Тар Хадк Цыб Шыл "
    "Гаўр Міхал Навум Юрч Ахрэм Карпен Кот Бурак Скуратов Сідар Радзів Лявон Чарн Бык Прыход "
    "Кашк Мінк Шамк Стрыж Зуб Латыш Зайц Шэўч Пракоп Рудз Куз Трух Адам Вярбіц Дубр Крыв"
)
_ENDINGS = "оў ова ев ева ін іна скі ская енка евіч овіч чык ук юк ёнак ко іч ец ашка ейка"
_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "д": "d", "е": "ie", "ё": "io", "ж": "zh",
    "з": "z", "і": "i", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "'": "", "ъ": "", "щ": "shch",
}  # fmt: skip


def romanised(name: str) -> str:
    """A plain Latin form of a Cyrillic name (close to the official Belarusian one)."""
    return "".join(_LATIN.get(c.lower(), c) if c.islower() else
                   _LATIN.get(c.lower(), c).capitalize() for c in name)  # fmt: skip


def crowd(count: int, seed: int = 17) -> list[str]:
    """``count`` generated full names, a third of them in Latin letters."""
    pick = random.Random(seed)
    given, roots, endings = _GIVEN.split(), _ROOTS.split(), _ENDINGS.split()
    people = []
    for _ in range(count):
        name = f"{pick.choice(given)} {pick.choice(roots)}{pick.choice(endings)}"
        people.append(romanised(name) if pick.random() < 0.33 else name)
    return people


def everyone(count: int, seed: int = 17) -> list[str]:
    """The real people, the look-alikes, then a crowd of ``count``."""
    return [stored for stored, _ in REAL_PEOPLE] + LOOK_ALIKES + crowd(count, seed)


def people_rows(model, names_: list[str]) -> list:
    """Unsaved ``model`` rows of ``names_`` (named publicly), their keys computed."""
    return [
        model(name=name, may_be_named=True, search_key=names.search_key([name])) for name in names_
    ]
