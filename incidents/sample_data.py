"""The worked example: the July 2021 raids on Belarusian human-rights groups and media.

Facts as reported by the press (Euronews with AP material, 14 July 2021) and by Viasna.
Records come in every review state and visibility level, names in Latin and Cyrillic
scripts. Loading looks every record up by its natural key first, so a second load changes
nothing.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from organisations.models import Language, Membership, Organisation, Person
from tracker.dates import DatePrecision
from tracker.places import Region
from tracker.review import Status, Visibility

from .custody import settle_stays
from .models import (
    Charge,
    CustodyFact,
    CustodyStay,
    Detention,
    Hearing,
    PlaceOfCustody,
    Raid,
    SeizedItem,
    Sentence,
    Source,
    SourceLink,
)

PUBLISHED_PUBLIC = {"status": Status.PUBLISHED, "visibility": Visibility.PUBLIC}
D = datetime.date

ORGANISATIONS: dict[str, dict[str, Any]] = {
    "Viasna Human Rights Centre": {
        "kind": Organisation.Kind.HUMAN_RIGHTS,
        "city": "Minsk",
        "founded": D(1996, 1, 1),
        "founded_precision": DatePrecision.YEAR,
        "website": "https://spring96.org",
        "other_names": [
            ("Праваабарончы цэнтр «Вясна»", Language.BELARUSIAN),
            ("Правозащитный центр «Весна»", Language.RUSSIAN),
            ("Viasna-96", Language.ENGLISH),
        ],
        **PUBLISHED_PUBLIC,
    },
    "Lawtrend": {
        "kind": Organisation.Kind.HUMAN_RIGHTS,
        "city": "Minsk",
        "other_names": [("Цэнтр прававой трансфармацыі Lawtrend", Language.BELARUSIAN)],
        **PUBLISHED_PUBLIC,
    },
    "Belarusian Association of Journalists": {
        "kind": Organisation.Kind.OTHER,
        "city": "Minsk",
        "founded": D(1995, 1, 1),
        "other_names": [
            ("Беларуская асацыяцыя журналістаў", Language.BELARUSIAN),
            ("Белорусская ассоциация журналистов", Language.RUSSIAN),
            ("BAJ", Language.ENGLISH),
        ],
        **PUBLISHED_PUBLIC,
    },
    "European Expertise and Communication Office": {
        "kind": Organisation.Kind.OTHER,
        "city": "Minsk",
        "other_names": [("EECO", Language.ENGLISH)],
        "status": Status.IN_REVIEW,
        "visibility": Visibility.RESTRICTED,
    },
    "Nasha Niva": {
        "kind": Organisation.Kind.MEDIA,
        "city": "Minsk",
        "legal_status": Organisation.LegalStatus.EXTREMIST,
        "website": "https://nashaniva.com",
        "other_names": [("Наша Ніва", Language.BELARUSIAN), ("Наша Нива", Language.RUSSIAN)],
        **PUBLISHED_PUBLIC,
    },
    "orsha.eu": {
        "kind": Organisation.Kind.MEDIA,
        "city": "Orsha",
        "other_names": [("Аршанскі сайт orsha.eu", Language.BELARUSIAN)],
        **PUBLISHED_PUBLIC,
    },
    "State Security Committee (KGB)": {
        "kind": Organisation.Kind.STATE_AGENCY,
        "is_state_actor": True,
        "other_names": [("Камітэт дзяржаўнай бяспекі", Language.BELARUSIAN), ("КГБ", "ru")],
        **PUBLISHED_PUBLIC,
    },
    "State Control Committee": {
        "kind": Organisation.Kind.STATE_AGENCY,
        "is_state_actor": True,
        "other_names": [("Комитет государственного контроля", Language.RUSSIAN)],
        **PUBLISHED_PUBLIC,
    },
    "Financial Investigations Department": {
        "kind": Organisation.Kind.STATE_AGENCY,
        "is_state_actor": True,
        "parent": "State Control Committee",
        "other_names": [("Департамент финансовых расследований", Language.RUSSIAN)],
        **PUBLISHED_PUBLIC,
    },
    "Ministry of Information": {
        "kind": Organisation.Kind.STATE_AGENCY,
        "is_state_actor": True,
        "other_names": [("Министерство информации", Language.RUSSIAN)],
        **PUBLISHED_PUBLIC,
    },
    "Supreme Court of Belarus": {
        "kind": Organisation.Kind.COURT,
        "is_state_actor": True,
        "other_names": [("Верховный суд Республики Беларусь", Language.RUSSIAN)],
        **PUBLISHED_PUBLIC,
    },
}

PEOPLE: dict[str, dict[str, Any]] = {
    "Ales Bialiatski": {
        "may_be_named": True,
        "birth_year": 1962,
        "gender": Person.Gender.MALE,
        "occupation": "human-rights defender",
        "other_names": [
            ("Алесь Бяляцкі", Language.BELARUSIAN),
            ("Алесь Беляцкий", Language.RUSSIAN),
            ("Ales Byalyatski", Language.ENGLISH),
        ],
        "memberships": [("Viasna Human Rights Centre", Membership.Role.CHAIR)],
        **PUBLISHED_PUBLIC,
    },
    "Igor Kazmerchak": {
        "may_be_named": True,
        "gender": Person.Gender.MALE,
        "occupation": "editor, activist",
        "home_region": "Orsha",
        "other_names": [
            ("Ігар Казьмерчак", Language.BELARUSIAN),
            ("Игорь Казмерчак", Language.RUSSIAN),
            ("Ihar Kazmerchak", Language.BELARUSIAN_LATIN),
        ],
        "memberships": [("orsha.eu", Membership.Role.EDITOR)],
        "status": Status.IN_REVIEW,
        "visibility": Visibility.RESTRICTED,
    },
    "Viktor Babaryko": {
        "may_be_named": True,
        "birth_year": 1963,
        "gender": Person.Gender.MALE,
        "occupation": "banker, presidential hopeful",
        "other_names": [
            ("Віктар Бабарыка", Language.BELARUSIAN),
            ("Виктор Бабарико", Language.RUSSIAN),
            ("Viktar Babaryka", Language.BELARUSIAN_LATIN),
        ],
        **PUBLISHED_PUBLIC,
    },
    "Volha Smalianka": {
        "may_be_named": True,
        "gender": Person.Gender.FEMALE,
        "other_names": [("Вольга Смалянка", Language.BELARUSIAN)],
        "memberships": [("Lawtrend", Membership.Role.DIRECTOR)],
        **PUBLISHED_PUBLIC,
    },
    "Andrei Bastunets": {
        "may_be_named": True,
        "gender": Person.Gender.MALE,
        "other_names": [("Андрэй Бастунец", Language.BELARUSIAN)],
        "memberships": [("Belarusian Association of Journalists", Membership.Role.CHAIR)],
        **PUBLISHED_PUBLIC,
    },
    "Viasna member, Homel": {
        "may_be_named": False,
        "pseudonym": "Viasna member A",
        "home_region": "Homel region",
        "confidential_notes": "Asked not to be named: two children at home during the search.",
        "contact_details": "Reachable through the Homel branch coordinator only.",
        "memberships": [("Viasna Human Rights Centre", Membership.Role.VOLUNTEER)],
        "status": Status.PUBLISHED,
        "visibility": Visibility.CONFIDENTIAL,
    },
}

SOURCES: dict[str, dict[str, Any]] = {
    "Activists detained amid raids at human rights NGOs in Belarus": {
        "kind": Source.Kind.NEWS,
        "publisher": "Euronews (with AP)",
        "url": "https://www.euronews.com/2021/07/14/activists-detained-amid-raids-at-human-rights-ngos-in-belarus",
        "published_on": D(2021, 7, 14),
        "reliability": Source.Reliability.PROBABLE,
        **PUBLISHED_PUBLIC,
    },
    "Viasna statement on the searches of 14 July": {
        "kind": Source.Kind.NGO_STATEMENT,
        "publisher": "Viasna Human Rights Centre (Telegram)",
        "published_on": D(2021, 7, 14),
        "reliability": Source.Reliability.CONFIRMED,
        **PUBLISHED_PUBLIC,
    },
    "EECO director: our offices were searched": {
        "kind": Source.Kind.SOCIAL_MEDIA,
        "publisher": "Facebook post of the EECO director",
        "published_on": D(2021, 7, 14),
        "reliability": Source.Reliability.POSSIBLE,
        "status": Status.PUBLISHED,
        "visibility": Visibility.RESTRICTED,
    },
    "EU calls for the release of over 550 political prisoners": {
        "kind": Source.Kind.OFFICIAL,
        "publisher": "European Union",
        "published_on": D(2021, 7, 14),
        "reliability": Source.Reliability.CONFIRMED,
        **PUBLISHED_PUBLIC,
    },
}

ARTICLE = "Activists detained amid raids at human rights NGOs in Belarus"
STATEMENT = "Viasna statement on the searches of 14 July"
JULY_14 = D(2021, 7, 14)
MINSK = {"settlement": "Minsk", "region": Region.MINSK_CITY}

RAIDS: dict[str, dict[str, Any]] = {
    "viasna-office": {
        "key": {"date": JULY_14, "premises_type": Raid.Premises.OFFICE, **MINSK},
        "latitude": "53.90454",
        "longitude": "27.56152",
        "targets": ["Viasna Human Rights Centre"],
        "people": ["Ales Bialiatski"],
        "perpetrators": ["Financial Investigations Department"],
        "narrative": "Viasna's headquarters in Minsk searched; equipment, computers and "
        "cell phones seized.",
        "items": [
            (SeizedItem.Kind.EQUIPMENT, None, "office equipment"),
            (SeizedItem.Kind.COMPUTER, None, "computers"),
            (SeizedItem.Kind.PHONE, None, "cell phones"),
        ],
        "sources": [(ARTICLE, "equipment, computers, and cell phones"), (STATEMENT, "")],
        **PUBLISHED_PUBLIC,
    },
    "viasna-home": {
        "key": {
            "date": JULY_14,
            "premises_type": Raid.Premises.HOME,
            "settlement": "Homel",
            "region": Region.GOMEL,
        },
        "targets": ["Viasna Human Rights Centre"],
        "people": ["Viasna member, Homel"],
        "perpetrators": ["Financial Investigations Department"],
        "narrative": "Home of a Viasna member searched; phone and laptop taken.",
        "items": [(SeizedItem.Kind.PHONE, 1, ""), (SeizedItem.Kind.COMPUTER, 1, "laptop")],
        "sources": [(STATEMENT, "the homes of several of its members across the country")],
        "status": Status.PUBLISHED,
        "visibility": Visibility.RESTRICTED,
    },
    "lawtrend": {
        "key": {"date": JULY_14, "premises_type": Raid.Premises.HOME, **MINSK},
        "targets": ["Lawtrend"],
        "people": ["Volha Smalianka"],
        "narrative": "The apartment of Lawtrend's director searched, then the office.",
        "sources": [(ARTICLE, "Lawtrend ... also reported police raids")],
        **PUBLISHED_PUBLIC,
    },
    "baj": {
        "key": {"date": JULY_14, "premises_type": Raid.Premises.NEWSROOM, **MINSK},
        "targets": ["Belarusian Association of Journalists"],
        "people": ["Andrei Bastunets"],
        "narrative": "Officers broke the doors into the BAJ office without a warrant.",
        "items": [(SeizedItem.Kind.DOCUMENTS, None, "")],
        "sources": [(ARTICLE, "the Belarusian Association of Journalists also reported")],
        "status": Status.DRAFT,
        "visibility": Visibility.PUBLIC,
    },
    "eeco": {
        "key": {"date": JULY_14, "premises_type": Raid.Premises.OTHER, **MINSK},
        "targets": ["European Expertise and Communication Office"],
        "narrative": "The EECO director said on Facebook that their offices were searched.",
        "sources": [("EECO director: our offices were searched", "searched")],
        "status": Status.IN_REVIEW,
        "visibility": Visibility.CONFIDENTIAL,
    },
    "nasha-niva": {
        "key": {"date": D(2021, 7, 8), "premises_type": Raid.Premises.NEWSROOM, **MINSK},
        "targets": ["Nasha Niva"],
        "perpetrators": ["Ministry of Information"],
        "narrative": "Nasha Niva's website blocked by the Ministry of Information; its "
        "newsroom searched.",
        "items": [(SeizedItem.Kind.COMPUTER, None, "")],
        "sources": [(ARTICLE, "")],
        **PUBLISHED_PUBLIC,
    },
    "regional-media": {
        "key": {
            "date": D(2021, 7, 1),
            "date_precision": DatePrecision.MONTH,
            "premises_type": Raid.Premises.NEWSROOM,
            "settlement": "",
            "region": Region.UNKNOWN,
        },
        "narrative": "Independent and regional media searched; places not yet confirmed.",
        "sources": [(ARTICLE, "")],
        "status": Status.PUBLISHED,
        "visibility": Visibility.RESTRICTED,
    },
    "viasna-duplicate": {
        "key": {
            "date": JULY_14,
            "premises_type": Raid.Premises.OFFICE,
            **MINSK,
        },
        "targets": ["Viasna Human Rights Centre"],
        "narrative": "Second entry for the Viasna headquarters search.",
        "status": Status.REJECTED,
        "status_reason": "Duplicate of the Viasna headquarters raid of 14 July 2021.",
        "visibility": Visibility.PUBLIC,
    },
}

DETENTIONS: list[dict[str, Any]] = [
    {
        "key": {"person": "Ales Bialiatski", "date": JULY_14},
        **MINSK,
        "authority": "Financial Investigations Department",
        "raid": "viasna-office",
        "legal_track": Detention.LegalTrack.CRIMINAL,
        "stays": [("Pre-trial detention centre No. 1, Minsk", JULY_14, DatePrecision.DAY)],
        "facts": [
            (CustodyFact.Aspect.WHEREABOUTS, CustodyFact.State.ACKNOWLEDGED, D(2021, 7, 16)),
            (CustodyFact.Aspect.LAWYER, CustodyFact.State.GRANTED, D(2021, 7, 16)),
            (CustodyFact.Aspect.FAMILY, CustodyFact.State.REFUSED, D(2021, 7, 16)),
        ],
        "hearings": [
            ((2023, 1, 5, 10), "Lenin District Court of Minsk", Hearing.Kind.TRIAL, "adjourned"),
        ],
        "outcome": Detention.Outcome.CHARGED,
        "recognised_political_prisoner": True,
        "recognised_by": "Belarusian human-rights organisations",
        "charges": [("Criminal Code 243", "tax evasion")],
        "sources": [(ARTICLE, "Ales Bialiatski ... cannot be reached"), (STATEMENT, "")],
        **PUBLISHED_PUBLIC,
    },
    {
        "key": {"person": "Igor Kazmerchak", "date": JULY_14},
        "settlement": "Orsha",
        "region": Region.VITEBSK,
        "latitude": "54.50810",
        "longitude": "30.41720",
        "facts": [
            (CustodyFact.Aspect.WHEREABOUTS, CustodyFact.State.UNKNOWN, JULY_14),
            (CustodyFact.Aspect.LAWYER, CustodyFact.State.UNKNOWN, JULY_14),
            (CustodyFact.Aspect.INCOMMUNICADO, CustodyFact.State.YES, JULY_14),
        ],
        "outcome": Detention.Outcome.UNKNOWN,
        "sources": [(ARTICLE, "took the editor ... Igor Kazmerchak somewhere")],
        "status": Status.IN_REVIEW,
        "visibility": Visibility.RESTRICTED,
    },
    {
        "key": {"person": "Viktor Babaryko", "date": D(2020, 6, 18)},
        **MINSK,
        "authority": "State Control Committee",
        "legal_track": Detention.LegalTrack.CRIMINAL,
        "stays": [
            ("KGB pre-trial detention centre, Minsk", D(2020, 6, 18), DatePrecision.DAY),
            ("Penal colony No. 1, Novopolotsk", D(2021, 11, 1), DatePrecision.MONTH),
        ],
        "facts": [
            (CustodyFact.Aspect.WHEREABOUTS, CustodyFact.State.ACKNOWLEDGED, D(2020, 6, 18)),
            (CustodyFact.Aspect.LAWYER, CustodyFact.State.GRANTED, D(2020, 6, 25)),
        ],
        "hearings": [
            ((2021, 2, 17, 11), "Supreme Court of Belarus", Hearing.Kind.TRIAL, "trial opened"),
            (
                (2021, 7, 6, 10),
                "Supreme Court of Belarus",
                Hearing.Kind.VERDICT,
                "14 years in a colony",
            ),
        ],
        "outcome": Detention.Outcome.SENTENCED,
        "recognised_political_prisoner": True,
        "recognised_by": "Viasna Human Rights Centre",
        "charges": [
            ("Criminal Code 430", "bribery"),
            ("Criminal Code 235", "money laundering"),
        ],
        "sentence": {
            "court": "Supreme Court of Belarus",
            "date": D(2021, 7, 6),
            "kind": Sentence.Kind.COLONY,
            "term_months": 14 * 12,
        },
        "sources": [
            (ARTICLE, "sentenced to 14 years in prison"),
            ("EU calls for the release of over 550 political prisoners", "over 550"),
        ],
        **PUBLISHED_PUBLIC,
    },
]


PLACES: dict[str, dict[str, Any]] = {
    "Pre-trial detention centre No. 1, Minsk": {
        "kind": PlaceOfCustody.Kind.PRE_TRIAL,
        "region": Region.MINSK_CITY,
    },
    "KGB pre-trial detention centre, Minsk": {
        "kind": PlaceOfCustody.Kind.PRE_TRIAL,
        "region": Region.MINSK_CITY,
    },
    "Penal colony No. 1, Novopolotsk": {
        "kind": PlaceOfCustody.Kind.COLONY,
        "region": Region.VITEBSK,
    },
}


def _custody(detention: Detention, stays: list, facts: list, hearings: list) -> None:
    """A detention's stays (closed by the next one), facts and hearings."""
    for name, since, precision in stays:
        place, _ = PlaceOfCustody.objects.get_or_create(name=name, defaults=PLACES[name])
        CustodyStay.objects.get_or_create(
            detention=detention, place=place, since=since, defaults={"since_precision": precision}
        )
    settle_stays(detention)
    for aspect, state, since in facts:
        CustodyFact.objects.get_or_create(
            detention=detention, aspect=aspect, state=state, since=since
        )
    zone = timezone.get_default_timezone()
    for (year, month, day, hour), court, kind, outcome in hearings:
        Hearing.objects.get_or_create(
            detention=detention,
            starts_at=datetime.datetime(year, month, day, hour, tzinfo=zone),
            defaults={"court": court, "kind": kind, "outcome": outcome},
        )


def _split(spec: dict[str, Any], *keys: str) -> tuple[dict[str, Any], ...]:
    spec = dict(spec)
    related = tuple(spec.pop(key, None) or [] for key in keys)
    return spec, *related


@transaction.atomic
def load() -> dict[str, int]:
    """Load the sample case; return how many records each model holds afterwards."""
    organisations = {}
    for name, spec in ORGANISATIONS.items():
        fields, other_names = _split(spec, "other_names")
        if parent := fields.pop("parent", None):
            fields["parent"] = organisations[parent]
        organisations[name], _ = Organisation.objects.get_or_create(name=name, defaults=fields)
        for other, language in other_names:
            organisations[name].other_names.get_or_create(name=other, language=language)

    people = {}
    for name, spec in PEOPLE.items():
        fields, other_names, memberships = _split(spec, "other_names", "memberships")
        people[name], _ = Person.objects.get_or_create(name=name, defaults=fields)
        for other, language in other_names:
            people[name].other_names.get_or_create(name=other, language=language)
        for organisation, role in memberships:
            Membership.objects.get_or_create(
                person=people[name], organisation=organisations[organisation], role=role
            )

    sources = {
        title: Source.objects.get_or_create(title=title, defaults=spec)[0]
        for title, spec in SOURCES.items()
    }

    raids = {}
    for label, spec in RAIDS.items():
        fields, targets, targeted, perpetrators, items, links = _split(
            spec, "targets", "people", "perpetrators", "items", "sources"
        )
        key = {**fields.pop("key"), "narrative": fields.pop("narrative")}
        raid, created = Raid.objects.get_or_create(**key, defaults=fields)
        raids[label] = raid
        if created:
            raid.target_organisations.set(organisations[n] for n in targets)
            raid.target_people.set(people[n] for n in targeted)
            raid.perpetrators.set(organisations[n] for n in perpetrators)
        for kind, count, description in items:
            raid.seized_items.get_or_create(kind=kind, count=count, description=description)
        for title, quote in links:
            SourceLink.objects.get_or_create(source=sources[title], raid=raid, quote=quote)

    for spec in DETENTIONS:
        fields, charges, links, stays, facts, hearings = _split(
            spec, "charges", "sources", "stays", "facts", "hearings"
        )
        key = fields.pop("key")
        sentence = fields.pop("sentence", None)
        if authority := fields.pop("authority", None):
            fields["authority"] = organisations[authority]
        if raid := fields.pop("raid", None):
            fields["raid"] = raids[raid]
        detention, _ = Detention.objects.get_or_create(
            person=people[key["person"]], date=key["date"], defaults=fields
        )
        _custody(detention, stays, facts, hearings)
        for article, text in charges:
            Charge.objects.get_or_create(detention=detention, code_article=article, text=text)
        if sentence:
            Sentence.objects.get_or_create(detention=detention, defaults=sentence)
        for title, quote in links:
            SourceLink.objects.get_or_create(
                source=sources[title], detention=detention, quote=quote
            )

    for name in ("Ales Bialiatski", "Igor Kazmerchak"):
        SourceLink.objects.get_or_create(source=sources[ARTICLE], person=people[name], quote="")
    SourceLink.objects.get_or_create(
        source=sources[STATEMENT],
        organisation=organisations["Viasna Human Rights Centre"],
        quote="We will not stop our human rights activities",
    )

    models = (
        Organisation, Person, Membership, Source, SourceLink, Raid, SeizedItem, Detention,
        PlaceOfCustody, CustodyStay, CustodyFact, Hearing,
    )  # fmt: skip
    return {str(m._meta.verbose_name_plural): m.objects.count() for m in models}
