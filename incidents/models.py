"""Raids, detentions and the sources behind them (after HURIDOCS events and acts)."""

import datetime
import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from incidents.files import validate_source_file
from organisations.models import Organisation, Person
from tracker.dates import DatePrecision, describe, in_words, partial_date_errors
from tracker.models import RecordQuerySet, ReviewedRecord
from tracker.places import Place, Region


class Incident(ReviewedRecord, Place):
    """Abstract: something that happened on a (partial) date at a place."""

    date = models.DateField(_("date"), db_index=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=12,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_('For "July 2021" enter 2021-07-01 with precision "month".'),
    )
    external_ref = models.CharField(
        _("external reference"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("The organisation's own number for the record; an import can update by it."),
    )

    class Meta:
        abstract = True

    def incident_errors(self) -> dict[str, ValidationError]:
        return {
            **self.place_errors(),
            **partial_date_errors(self.date, self.date_precision, "date"),
        }

    @property
    def when(self) -> str:
        return describe(self.date, self.date_precision)

    @property
    def place_label(self) -> str:
        """The settlement, else the region, else "place unknown"."""
        if self.settlement:
            return self.settlement
        return self.get_region_display() if self.region != Region.UNKNOWN else _("place unknown")

    @property
    def when_in_words(self) -> str:
        return in_words(self.date, self.date_precision)


class RaidQuerySet(RecordQuerySet):
    def for_listing(self) -> "RaidQuerySet":
        """The targets that ``str()`` names, two queries for any number of raids."""
        return self.prefetch_related("target_organisations", "target_people")


class Raid(Incident):
    """A search of premises."""

    class Premises(models.TextChoices):
        OFFICE = "office", _("office")
        HOME = "home", _("home")
        NEWSROOM = "newsroom", _("newsroom")
        OTHER = "other", _("other")

    premises_type = models.CharField(_("premises"), max_length=10, choices=Premises.choices)
    target_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("targeted organisations"), blank=True, related_name="raids"
    )
    target_people = models.ManyToManyField(
        Person, verbose_name=_("targeted people"), blank=True, related_name="raids"
    )
    perpetrators = models.ManyToManyField(
        Organisation,
        verbose_name=_("perpetrator agencies"),
        blank=True,
        related_name="raids_carried_out",
        limit_choices_to={"is_state_actor": True},
    )
    case_reference = models.CharField(_("criminal case reference"), max_length=200, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)

    # Changes to who was targeted or raided are part of the record's history too.
    _history_m2m_fields = ("target_organisations", "target_people", "perpetrators")
    TARGETS_NAMED = 2  # in the label; more are counted

    objects = RaidQuerySet.as_manager()

    class Meta:
        verbose_name = _("raid")
        verbose_name_plural = _("raids")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["status", "visibility"]),
            models.Index(fields=["date", "id"], name="incidents_raid_date_id_idx"),
            # Which of many ids are visible, from the index alone (the sources' links).
            models.Index(fields=["status", "visibility", "id"], name="incidents_raid_visible_idx"),
            models.Index(Upper("settlement"), name="incidents_raid_settlement_idx"),
        ]

    def __str__(self) -> str:
        """Told apart by targets and premises: "Viasna office, Minsk, 14 July 2021".

        Lists load the targets with ``Raid.objects.for_listing()`` (no query per raid).
        """
        names = {
            "premises": self.get_premises_type_display(),
            "place": self.place_label,
            "when": self.when_in_words,
        }
        targets = self.target_names()
        if not targets:
            return capfirst(_("%(premises)s raid, %(place)s, %(when)s") % names)
        shown = ", ".join(targets[: self.TARGETS_NAMED])
        if len(targets) > self.TARGETS_NAMED:
            shown += f" +{len(targets) - self.TARGETS_NAMED}"
        return _("%(targets)s %(premises)s, %(place)s, %(when)s") % {**names, "targets": shown}

    def target_names(self) -> list[str]:
        if self.pk is None:
            return []
        organisations = sorted(o.name for o in self.target_organisations.all())
        return [*organisations, *sorted(p.name for p in self.target_people.all())]

    def clean(self) -> None:
        if errors := self.incident_errors():
            raise ValidationError(errors)


class SeizedItem(models.Model):
    class Kind(models.TextChoices):
        COMPUTER = "computer", _("computer")
        PHONE = "phone", _("mobile phone")
        STORAGE = "storage", _("storage media")
        EQUIPMENT = "equipment", _("other equipment")
        DOCUMENTS = "documents", _("documents")
        PRINTED = "printed", _("printed matter")
        MONEY = "money", _("money")
        OTHER = "other", _("other")

    raid = models.ForeignKey(Raid, on_delete=models.CASCADE, related_name="seized_items")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    count = models.PositiveIntegerField(
        _("count"), null=True, blank=True, help_text=_("Leave empty when unknown.")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seized item")
        verbose_name_plural = _("seized items")

    def __str__(self) -> str:
        count = "?" if self.count is None else self.count
        return f"{count} × {self.get_kind_display()}"


def still_held_q() -> models.Q:
    """The rule for "in custody": no release date, and not marked released."""
    return models.Q(release_date__isnull=True) & ~models.Q(outcome=Detention.Outcome.RELEASED)


def latest_start(day: datetime.date) -> models.Q:
    """Detentions whose partial date (``date``, ``date_precision``) is over by ``day``.

    A date known to the month counts once the whole month is over: on 10 July nobody knows
    whether someone detained "in July" was already held.
    """
    after = day + datetime.timedelta(days=1)
    return (
        models.Q(date__lte=day)
        & ~models.Q(date_precision__in=(DatePrecision.MONTH, DatePrecision.YEAR))
        | models.Q(date_precision=DatePrecision.MONTH, date__lt=after.replace(day=1))
        | models.Q(date_precision=DatePrecision.YEAR, date__lt=after.replace(month=1, day=1))
    )


def latest_fact(aspect: str, column: str = "state", on: datetime.date | None = None):
    """A column of the outer detention's latest fact of one aspect (whereabouts, lawyer...),
    as known at the end of ``on`` if given."""
    facts = CustodyFact.objects.filter(detention=models.OuterRef("pk"), aspect=aspect)
    if on is not None:
        facts = facts.filter(since__lte=on)
    return models.Subquery(facts.order_by("-since", "-id").values(column)[:1])


class DetentionQuerySet(RecordQuerySet):
    def in_custody(self) -> "DetentionQuerySet":
        return self.filter(still_held_q())

    def in_custody_on(self, day: datetime.date) -> "DetentionQuerySet":
        """People certainly held at some time of ``day``: detained by then, not released before.

        A release with no date known does not say until when the person was held: such a
        detention is left out of past days.
        """
        return self.filter(latest_start(day) & (still_held_q() | models.Q(release_date__gte=day)))

    def with_whereabouts(self, on: datetime.date | None = None) -> "DetentionQuerySet":
        """Annotate the latest whereabouts fact (at the end of ``on``, if given):
        ``whereabouts`` (its state), ``whereabouts_since`` and ``..._precision``."""
        aspect = CustodyFact.Aspect.WHEREABOUTS
        return self.annotate(
            whereabouts=latest_fact(aspect, on=on),
            whereabouts_since=latest_fact(aspect, "since", on=on),
            whereabouts_precision=latest_fact(aspect, "since_precision", on=on),
        )

    def with_current_place(self, on: datetime.date | None = None) -> "DetentionQuerySet":
        """Annotate the place of the open stay (or of the stay at the end of ``on``):
        ``current_place`` (its name) and ``current_place_id``."""
        stays = CustodyStay.objects.filter(detention=models.OuterRef("pk"))
        if on is None:
            stays = stays.filter(until=None)
        else:
            stays = stays.filter(models.Q(until=None) | models.Q(until__gt=on), since__lte=on)
        latest = stays.order_by("-since", "-id")
        return self.annotate(
            current_place=models.Subquery(latest.values("place__name")[:1]),
            current_place_id=models.Subquery(latest.values("place_id")[:1]),
        )

    def whereabouts_unknown(self) -> "DetentionQuerySet":
        """Held, and the latest whereabouts fact says unknown or denied by the authorities."""
        return (
            self.in_custody()
            .with_whereabouts()
            .filter(whereabouts__in=CustodyFact.WHEREABOUTS_MISSING)
        )

    def for_listing(self) -> "DetentionQuerySet":
        return self.select_related("person")


class Detention(Incident):
    class LegalTrack(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("administrative")
        CRIMINAL = "criminal", _("criminal")
        UNKNOWN = "unknown", _("unknown")

    class Outcome(models.TextChoices):
        IN_CUSTODY = "in_custody", _("in custody")
        RELEASED = "released", _("released")
        CHARGED = "charged", _("charged")
        SENTENCED = "sentenced", _("sentenced")
        UNKNOWN = "unknown", _("unknown")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="detentions",
        error_messages={
            "null": _("A detention needs the person detained."),
            "blank": _("A detention needs the person detained."),
        },
    )
    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("detaining authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="detentions_carried_out",
        limit_choices_to={"is_state_actor": True},
    )
    raid = models.ForeignKey(
        Raid,
        verbose_name=_("during raid"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="detentions",
    )
    legal_track = models.CharField(
        _("legal track"), max_length=14, choices=LegalTrack.choices, default=LegalTrack.UNKNOWN
    )
    release_date = models.DateField(_("release date"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.IN_CUSTODY
    )
    recognised_political_prisoner = models.BooleanField(
        _("recognised as political prisoner"), default=False
    )
    recognised_by = models.CharField(_("recognised by"), max_length=200, blank=True)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)

    objects = DetentionQuerySet.as_manager()

    class Meta:
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["status", "visibility"]),
            models.Index(fields=["date", "id"], name="incidents_det_date_id_idx"),
            models.Index(fields=["status", "visibility", "id"], name="incidents_det_visible_idx"),
            models.Index(Upper("settlement"), name="incidents_det_settlement_idx"),
            # The few still held (``still_held_q``), found without reading the released.
            models.Index(
                fields=["id"],
                condition=models.Q(release_date__isnull=True) & ~models.Q(outcome="released"),
                name="incidents_det_held_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(release_date__isnull=True)
                | models.Q(release_date__gte=models.F("date")),
                name="detention_release_after_detention",
            )
        ]

    def __str__(self) -> str:
        return _("%(person)s detained %(when)s") % {
            "person": self.person,
            "when": self.when_in_words,
        }

    def clean(self) -> None:
        errors = self.incident_errors()
        errors.update(partial_date_errors(self.release_date, DatePrecision.DAY, "release_date"))
        if self.release_date and self.date and self.release_date < self.date:
            errors["release_date"] = ValidationError(
                _("The release date is before the detention date."), code="release_before"
            )
        if self.release_date and self.outcome == self.Outcome.IN_CUSTODY:
            errors["outcome"] = ValidationError(
                _('A released person is not "in custody": choose another outcome.')
            )
        if self.recognised_political_prisoner and not self.recognised_by.strip():
            errors["recognised_by"] = ValidationError(
                _("Say who recognised the person as a political prisoner.")
            )
        if self.recognised_on:
            errors.update(
                partial_date_errors(self.recognised_on, DatePrecision.DAY, "recognised_on")
            )
        if errors:
            raise ValidationError(errors)


class Charge(models.Model):
    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="charges")
    code_article = models.CharField(
        _("code article"), max_length=100, help_text=_('For example "Criminal Code 342".')
    )
    text = models.CharField(_("charge"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")

    def __str__(self) -> str:
        return f"{self.code_article} {self.text}".strip()


class Sentence(models.Model):
    class Kind(models.TextChoices):
        PRISON = "prison", _("imprisonment")
        COLONY = "colony", _("penal colony")
        RESTRICTED_FREEDOM = "restricted", _("restricted freedom")
        ADMINISTRATIVE_ARREST = "arrest", _("administrative arrest")
        FINE = "fine", _("fine")
        OTHER = "other", _("other")

    detention = models.OneToOneField(Detention, on_delete=models.CASCADE, related_name="sentence")
    court = models.CharField(_("court"), max_length=300)
    date = models.DateField(
        _("date of sentence"),
        null=True,
        blank=True,
        error_messages={"null": _("A sentence needs the date of the court's decision.")},
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    term_months = models.PositiveIntegerField(_("term (months)"), null=True, blank=True)
    term_days = models.PositiveIntegerField(_("term (days)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.term_display}, {self.court} {self.date}"

    @property
    def term_display(self) -> str:
        years, months = divmod(self.term_months or 0, 12)
        days = self.term_days or 0
        parts = [
            ngettext("%(n)d year", "%(n)d years", years) % {"n": years} if years else "",
            ngettext("%(n)d month", "%(n)d months", months) % {"n": months} if months else "",
            ngettext("%(n)d day", "%(n)d days", days) % {"n": days} if days else "",
        ]
        return " ".join(p for p in parts if p) or "—"

    def clean(self) -> None:
        if self.date is None:
            raise ValidationError({"date": _("A sentence needs the date of the court's decision.")})
        errors = partial_date_errors(self.date, DatePrecision.DAY, "date")
        cached = self.detention_id or Sentence.detention.is_cached(self)
        detention_date = self.detention.date if cached else None
        if not errors and detention_date and self.date < detention_date:
            errors["date"] = ValidationError(_("The sentence is dated before the detention."))
        if errors:
            raise ValidationError(errors)


class PlaceOfCustody(models.Model):
    """A place where people are held, from the list kept by staff."""

    class Kind(models.TextChoices):
        TEMPORARY = "temporary", _("temporary detention centre")
        PRE_TRIAL = "pre_trial", _("pre-trial detention centre")
        COLONY = "colony", _("colony")
        PRISON = "prison", _("prison")
        HOSPITAL = "hospital", _("hospital")
        UNKNOWN = "unknown", _("unknown")

    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.UNKNOWN)
    region = models.CharField(
        _("region"), max_length=8, choices=Region.choices, default=Region.UNKNOWN
    )
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("An unofficial or secret place: its name is shown to staff only."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place of custody")
        verbose_name_plural = _("places of custody")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _order_errors(first, first_field, last, last_field, message) -> dict[str, ValidationError]:
    if first and last and last < first:
        return {last_field: ValidationError(message, code="before")}
    return {}


class DetentionRow(models.Model):
    """Abstract: a row of a detention's record, checked against the detention's dates."""

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE)

    class Meta:
        abstract = True

    @property
    def parent(self) -> "Detention | None":
        cached = self.detention_id or type(self).detention.is_cached(self)
        return self.detention if cached else None

    def not_before_detention(self, day: datetime.date | None, field: str) -> dict:
        parent = self.parent
        if day is None or parent is None or parent.date is None:
            return {}
        return _order_errors(
            parent.date, "date", day, field, _("This date is before the detention.")
        )


class CustodyStay(DetentionRow):
    """A stay in one place of custody; a transfer starts a new stay.

    The open stay (no end) is where the person is now; a stay is closed by the next one and
    by the release (``incidents.custody.settle_stays``).
    """

    place = models.ForeignKey(
        PlaceOfCustody,
        verbose_name=_("place of custody"),
        on_delete=models.PROTECT,
        related_name="stays",
    )
    since = models.DateField(_("from"))
    since_precision = models.CharField(
        _("precision"), max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    until = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty while held there."))
    until_precision = models.CharField(
        _("precision"), max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stay in custody")
        verbose_name_plural = _("stays in custody")
        ordering = ["since", "id"]
        default_related_name = "stays"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="custody_stay_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.place}, {self.when}"

    @property
    def when(self) -> str:
        since = describe(self.since, self.since_precision)
        until = describe(self.until, self.until_precision) if self.until else "…"
        return f"{since} – {until}"

    def clean(self) -> None:
        errors = {
            **partial_date_errors(self.since, self.since_precision, "since"),
            **partial_date_errors(self.until, self.until_precision, "until"),
        }
        errors = errors or {
            **self.not_before_detention(self.since, "since"),
            **_order_errors(
                self.since, "since", self.until, "until", _("The stay ends before it starts.")
            ),
        }
        parent = self.parent
        if not errors and parent and parent.release_date and self.since > parent.release_date:
            errors["since"] = ValidationError(_("The stay starts after the release."))
        if errors:
            raise ValidationError(errors)


class CustodyFact(DetentionRow):
    """What was known from a date on: whereabouts, access to a lawyer, family, incommunicado.

    The latest fact of each aspect holds; older ones stay as the record of what happened.
    """

    class Aspect(models.TextChoices):
        WHEREABOUTS = "whereabouts", _("whereabouts")
        LAWYER = "lawyer", _("access to a lawyer")
        FAMILY = "family", _("family contact")
        INCOMMUNICADO = "incommunicado", _("incommunicado")

    class State(models.TextChoices):
        KNOWN = "known", _("known")
        UNKNOWN = "unknown", _("unknown")
        ACKNOWLEDGED = "acknowledged", _("acknowledged by the authorities")
        DENIED = "denied", _("denied by the authorities")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")
        YES = "yes", _("yes")
        NO = "no", _("no")

    STATES = {
        Aspect.WHEREABOUTS: (State.KNOWN, State.UNKNOWN, State.ACKNOWLEDGED, State.DENIED),
        Aspect.LAWYER: (State.GRANTED, State.REFUSED, State.UNKNOWN),
        Aspect.FAMILY: (State.GRANTED, State.REFUSED, State.UNKNOWN),
        Aspect.INCOMMUNICADO: (State.YES, State.NO, State.UNKNOWN),
    }
    # Whereabouts that nobody outside the authorities can confirm: the urgent cases.
    WHEREABOUTS_MISSING = (State.UNKNOWN, State.DENIED)

    aspect = models.CharField(_("aspect"), max_length=14, choices=Aspect.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    since = models.DateField(_("since"))
    since_precision = models.CharField(
        _("precision"), max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    source = models.ForeignKey(
        "Source",
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="custody_facts",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("whereabouts or contact fact")
        verbose_name_plural = _("whereabouts and contact")
        ordering = ["aspect", "since", "id"]
        default_related_name = "custody_facts"
        indexes = [models.Index(fields=["detention", "aspect", "-since", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_aspect_display()}: {self.get_state_display()} ({self.when})"

    @property
    def when(self) -> str:
        return describe(self.since, self.since_precision)

    def clean(self) -> None:
        errors = partial_date_errors(self.since, self.since_precision, "since")
        errors = errors or self.not_before_detention(self.since, "since")
        allowed = self.STATES.get(self.aspect, ())
        if self.aspect and self.state and self.state not in allowed:
            labels = ", ".join(str(self.State(s).label) for s in allowed)
            errors["state"] = ValidationError(
                _("For %(aspect)s choose one of: %(states)s.")
                % {"aspect": self.get_aspect_display(), "states": labels},
                code="state_of_aspect",
            )
        if errors:
            raise ValidationError(errors)


class Hearing(DetentionRow):
    class Kind(models.TextChoices):
        PRELIMINARY = "preliminary", _("preliminary hearing")
        TRIAL = "trial", _("trial session")
        VERDICT = "verdict", _("verdict")
        APPEAL = "appeal", _("appeal")
        ADMINISTRATIVE = "administrative", _("administrative hearing")

    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    court = models.CharField(_("court"), max_length=300)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    outcome = models.CharField(
        _("outcome"), max_length=500, blank=True, help_text=_("Empty until the hearing is held.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_at", "id"]
        default_related_name = "hearings"

    def __str__(self) -> str:
        moment = timezone.localtime(self.starts_at)
        return f"{self.get_kind_display()}, {self.court}, {moment:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        parent = self.parent
        day = timezone.localtime(self.starts_at).date() if self.starts_at else None
        if day and parent and parent.date and day < parent.date:
            raise ValidationError(
                {"starts_at": ValidationError(_("This date is before the detention."))}
            )


class Source(ReviewedRecord):
    class Kind(models.TextChoices):
        NEWS = "news", _("news article")
        NGO_STATEMENT = "ngo_statement", _("NGO statement")
        SOCIAL_MEDIA = "social_media", _("social-media post")
        WITNESS = "witness", _("witness account")
        OFFICIAL = "official", _("court or official document")

    class Reliability(models.TextChoices):
        CONFIRMED = "A", _("A: confirmed by several independent sources")
        PROBABLE = "B", _("B: probably true")
        POSSIBLE = "C", _("C: possibly true")
        DOUBTFUL = "D", _("D: doubtful")
        UNKNOWN = "U", _("unknown")

    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    reliability = models.CharField(
        _("reliability"), max_length=1, choices=Reliability.choices, default=Reliability.UNKNOWN
    )
    file = models.FileField(_("archived file"), upload_to="sources/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["status", "visibility"]),
            models.Index(fields=["published_on", "id"], name="incidents_src_published_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def clean(self) -> None:
        errors = partial_date_errors(self.published_on, DatePrecision.DAY, "published_on")
        if self.file and not self.file._committed:
            try:
                validate_source_file(self.file)
            except ValidationError as error:
                errors["file"] = error
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.file and not self.file._committed:
            # The uploaded name may name a person; the stored name says nothing.
            self.file.name = uuid.uuid4().hex + PurePath(self.file.name).suffix.lower()
            digest = hashlib.sha256()
            for chunk in self.file.chunks():
                digest.update(chunk)
            self.sha256 = digest.hexdigest()
        elif not self.file:
            self.sha256 = ""
        super().save(*args, **kwargs)


class SourceLink(models.Model):
    """One source supporting one record, with the quote that supports it."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="links"
    )
    raid = models.ForeignKey(
        Raid, on_delete=models.CASCADE, null=True, blank=True, related_name="source_links"
    )
    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, null=True, blank=True, related_name="source_links"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="source_links"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="source_links",
    )
    quote = models.TextField(_("supporting quote"), blank=True)
    history = HistoricalRecords()

    TARGETS = ("raid", "detention", "person", "organisation")

    class Meta:
        verbose_name = _("source link")
        verbose_name_plural = _("source links")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(raid__isnull=False, detention=None, person=None, organisation=None)
                    | models.Q(raid=None, detention__isnull=False, person=None, organisation=None)
                    | models.Q(raid=None, detention=None, person__isnull=False, organisation=None)
                    | models.Q(raid=None, detention=None, person=None, organisation__isnull=False)
                ),
                name="source_link_has_one_target",
            )
        ]

    def __str__(self) -> str:
        return str(self.source)

    def clean(self) -> None:
        # On a new record's page the inline row points at the record before it has an id.
        targets = [
            name
            for name in self.TARGETS
            if getattr(self, f"{name}_id")
            or self._meta.get_field(name).get_cached_value(self, None)
        ]
        if len(targets) != 1:
            raise ValidationError(
                _("Link the source to exactly one raid, detention, person or organisation.")
            )


def report_path(report: "NightlyReport", filename: str) -> str:
    return f"reports/{report.day:%Y/%m/%d}/{filename}"


class NightlyReport(models.Model):
    """One report per day covered; ``made_at`` is set only once every file is written.

    A row without ``made_at`` is a report whose making was interrupted: the next run of the
    job completes it. Reports name people in custody, so they are for staff only.
    """

    day = models.DateField(_("day covered"), unique=True)
    made_at = models.DateTimeField(_("made at"), null=True, blank=True, editable=False)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    html = models.FileField(_("HTML page"), upload_to=report_path, blank=True, editable=False)
    csv = models.FileField(_("CSV tables"), upload_to=report_path, blank=True, editable=False)
    chart_by_month = models.FileField(
        _("chart: incidents per month"), upload_to=report_path, blank=True, editable=False
    )
    chart_by_region = models.FileField(
        _("chart: incidents per region"), upload_to=report_path, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("nightly report")
        verbose_name_plural = _("nightly reports")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(_("Report for %(day)s") % {"day": self.day.isoformat()})

    @property
    def is_complete(self) -> bool:
        return self.made_at is not None


NOT_URGENT = {"everything_urgent": False}


class Follow(models.Model):
    """What a staff member follows: a person, an organisation, a region, or everything urgent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, null=True, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Detentions of its members and by it."),
    )
    region = models.CharField(_("region"), max_length=8, choices=Region.choices, blank=True)
    everything_urgent = models.BooleanField(
        _("everything urgent"),
        default=False,
        help_text=_("Whereabouts unknown, transfers and hearings within 48 hours, everywhere."),
    )

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        default_related_name = "follows"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, organisation=None, region="", **NOT_URGENT)
                    | models.Q(person=None, organisation__isnull=False, region="", **NOT_URGENT)
                    | models.Q(person=None, organisation=None, **NOT_URGENT) & ~models.Q(region="")
                    | models.Q(person=None, organisation=None, region="", everything_urgent=True)
                ),
                name="follow_follows_one_thing",
            )
        ]

    def __str__(self) -> str:
        if self.everything_urgent:
            return str(_("everything urgent"))
        return str(self.person or self.organisation or self.get_region_display())

    def clean(self) -> None:
        chosen = [self.person_id, self.organisation_id, self.region, self.everything_urgent]
        if sum(bool(c) for c in chosen) != 1:
            raise ValidationError(
                _("Follow one thing: a person, an organisation, a region, or everything urgent.")
            )


class CustodyEvent(models.Model):
    """Something staff following it must hear of at once, written with the change itself.

    ``key`` names the event (``whereabouts:<fact id>``...) so that it is stored once
    whatever the retries; ``fanned_out_at`` is set once a notice exists for every follower.
    """

    class Kind(models.TextChoices):
        WHEREABOUTS_UNKNOWN = "whereabouts", _("whereabouts unknown")
        TRANSFERRED = "transferred", _("transferred")
        HEARING_SOON = "hearing", _("hearing within 48 hours")
        CHANGED = "changed", _("record changed")

    URGENT = (Kind.WHEREABOUTS_UNKNOWN, Kind.TRANSFERRED, Kind.HEARING_SOON)

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    detention = models.ForeignKey(
        Detention, verbose_name=_("detention"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        indexes = [
            models.Index(
                fields=["at"], name="event_pending", condition=models.Q(fanned_out_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.detention_id}"


class NoticeQuerySet(models.QuerySet):
    def unread(self) -> "NoticeQuerySet":
        return self.filter(read_at=None)


class Notice(models.Model):
    """One event told to one staff member: listed on their dashboard, mailed once.

    Stored before the mail is sent (``sent_at`` empty): a worker that dies before sending
    leaves it for the sweep; (event, user) is unique, so nobody hears of an event twice.
    """

    event = models.ForeignKey(CustodyEvent, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    sent_at = models.DateTimeField(_("mailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="notice_once_per_event_and_user")
        ]
        indexes = [
            models.Index(
                fields=["created_at"], name="notice_unsent", condition=models.Q(sent_at=None)
            )
        ]

    def __str__(self) -> str:
        return str(self.event)
