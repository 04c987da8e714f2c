"""Organisations, people and their memberships (after Popolo)."""

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from tracker import names
from tracker.dates import DatePrecision, partial_date_errors
from tracker.fields import EncryptedTextField
from tracker.models import RecordQuerySet, ReviewedRecord


class Language(models.TextChoices):
    BELARUSIAN = "be", _("Belarusian")
    BELARUSIAN_LATIN = "be-Latn", _("Belarusian (Łacinka)")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    POLISH = "pl", _("Polish")
    OTHER = "other", _("other")


class NamedQuerySet(RecordQuerySet):
    def matching(self, query: str) -> "NamedQuerySet":
        """Records with a name matching every word of ``query`` in any script, closest first."""
        return self.filter(names.search_q(query)).ranked_by(query)

    def similar_to(self, record: "NamedRecord") -> "NamedQuerySet":
        """Other records sharing a name with ``record`` in any spelling: likely duplicates."""
        condition = models.Q(pk__in=[])
        for name in record.all_names():
            condition |= names.search_q(name)
        return self.filter(condition).exclude(pk=record.pk).ranked_by(record.name)

    def ranked_by(self, query: str) -> "NamedQuerySet":
        """Closest spelling of ``query`` first: exact words, then (PostgreSQL) trigrams."""
        ranked = self.annotate(name_exact_words=names.exact_words(query))
        order = ["-name_exact_words"]
        if connections[self.db].vendor == "postgresql":
            similarity = TrigramWordSimilarity(names.query_spelling(query), "search_key")
            ranked = ranked.annotate(name_similarity=similarity)
            order.append("-name_similarity")
        return ranked.order_by(*order, "pk")


class NamedRecord(ReviewedRecord):
    """A record found by any of its names; ``search_key`` is derived, never typed."""

    search_key = models.TextField(editable=False, default="")

    objects = NamedQuerySet.as_manager()

    class Meta:
        abstract = True

    def all_names(self) -> list[str]:
        extra = [] if self._state.adding else [n.name for n in self.other_names.all()]
        return [self.name, *extra]

    def save(self, *args, **kwargs) -> None:
        self.search_key = names.search_key(self.all_names())
        super().save(*args, **kwargs)

    def refresh_search_key(self) -> None:
        """Recompute the key after other names change (no new version: nothing typed)."""
        key = names.search_key(self.all_names())
        type(self).objects.filter(pk=self.pk).update_derived(search_key=key)
        self.search_key = key


class Organisation(NamedRecord):
    class Kind(models.TextChoices):
        HUMAN_RIGHTS = "human_rights", _("human-rights NGO")
        MEDIA = "media", _("media outlet")
        UNION = "union", _("trade union")
        PARTY = "party", _("political party")
        RELIGIOUS = "religious", _("religious group")
        STATE_AGENCY = "state_agency", _("state agency")
        COURT = "court", _("court")
        OTHER = "other", _("other")

    class LegalStatus(models.TextChoices):
        ACTIVE = "active", _("active")
        LIQUIDATED = "liquidated", _("liquidated")
        EXTREMIST = "extremist", _('labelled "extremist"')
        EXILE = "exile", _("in exile")
        UNKNOWN = "unknown", _("unknown")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_state_actor = models.BooleanField(_("state actor"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text=_("For a unit of a larger body, such as a department of a ministry."),
    )
    country = models.CharField(
        _("country"), max_length=2, default="BY", help_text=_("ISO 3166-1 code")
    )
    city = models.CharField(_("city"), max_length=200, blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    founded_precision = models.CharField(
        _("founded: precision"),
        max_length=12,
        choices=DatePrecision.choices,
        default=DatePrecision.YEAR,
    )
    legal_status = models.CharField(
        _("legal status"), max_length=12, choices=LegalStatus.choices, default=LegalStatus.ACTIVE
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = partial_date_errors(self.founded, self.founded_precision, "founded")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = ValidationError(_("An organisation cannot be its own parent."))
        if errors:
            raise ValidationError(errors)


def public_name(*, name: str, pseudonym: str, may_be_named: bool) -> str:
    """The one rule for names leaving the staff's hands: the pseudonym unless consented."""
    return name if may_be_named else pseudonym


class Person(NamedRecord):
    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        OTHER = "other", _("other")
        UNKNOWN = "unknown", _("unknown")

    name = models.CharField(_("display name"), max_length=300)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    home_region = models.CharField(_("home region"), max_length=200, blank=True)
    may_be_named = models.BooleanField(
        _("may be named publicly"),
        default=False,
        help_text=_("Consent given, or a public figure. Otherwise the pseudonym is shown."),
    )
    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=200,
        blank=True,
        help_text=_("Shown in every output instead of the name when the person may not be named."),
    )
    confidential_notes = EncryptedTextField(
        _("confidential notes"),
        blank=True,
        help_text=_("Staff only. Stored encrypted; never leaves through the API or reports."),
    )
    contact_details = EncryptedTextField(
        _("contact details"),
        blank=True,
        help_text=_("Staff only. Stored encrypted; never leaves through the API or reports."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "visibility"]),
            models.Index(fields=["name", "id"], name="organisations_person_name_idx"),
            # Which of many ids are visible, from the index alone (the sources' links).
            models.Index(
                fields=["status", "visibility", "id"], name="organisations_person_vis_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def public_name(self) -> str:
        """The name every output outside the admin uses."""
        return public_name(name=self.name, pseudonym=self.pseudonym, may_be_named=self.may_be_named)

    def clean(self) -> None:
        if not self.may_be_named and not self.pseudonym.strip():
            raise ValidationError(
                {"pseudonym": _("A person who may not be named needs a pseudonym.")}
            )
        if self.birth_year is not None and not 1900 <= self.birth_year <= 2100:
            raise ValidationError({"birth_year": _("Enter a year between 1900 and 2100.")})


class OtherName(models.Model):
    """Abstract: another name, spelling or transliteration of a record."""

    name = models.CharField(pgettext_lazy("of a person or organisation", "name"), max_length=300)
    language = models.CharField(
        _("language or script"), max_length=8, choices=Language.choices, blank=True
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} ({self.language})" if self.language else self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.owner.refresh_search_key()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.owner.refresh_search_key()
        return result

    @property
    def owner(self) -> NamedRecord:
        raise NotImplementedError


class OrganisationName(OtherName):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="other_names"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("other name of an organisation")
        verbose_name_plural = _("other names of organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_organisation_other_name"
            )
        ]

    @property
    def owner(self) -> Organisation:
        return self.organisation


class PersonName(OtherName):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("other name of a person")
        verbose_name_plural = _("other names of people")
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="unique_person_other_name")
        ]

    @property
    def owner(self) -> Person:
        return self.person


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        DIRECTOR = "director", _("director")
        EDITOR = "editor", _("editor")
        JOURNALIST = "journalist", _("journalist")
        LAWYER = "lawyer", _("lawyer")
        MEMBER = "member", _("member")
        VOLUNTEER = "volunteer", _("volunteer")
        OTHER = "other", _("other")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}, {self.organisation}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A membership cannot end before it starts.")})
