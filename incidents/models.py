"""Raids, detentions and the sources behind them (after HURIDOCS events and acts)."""

import hashlib
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
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
        indexes = [models.Index(fields=["status", "visibility"])]

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


class DetentionQuerySet(RecordQuerySet):
    def in_custody(self) -> "DetentionQuerySet":
        return self.filter(still_held_q())

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
    whereabouts_known = models.BooleanField(_("whereabouts known"), default=True)
    legal_track = models.CharField(
        _("legal track"), max_length=14, choices=LegalTrack.choices, default=LegalTrack.UNKNOWN
    )
    custody_place = models.CharField(_("place of custody"), max_length=300, blank=True)
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
        indexes = [models.Index(fields=["status", "visibility"])]
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
        indexes = [models.Index(fields=["status", "visibility"])]

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
