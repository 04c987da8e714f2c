"""Where things happen: regions and coordinates shared by raids and detentions."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """First-level divisions of Belarus (ISO 3166-2:BY)."""

    BREST = "BY-BR", _("Brest region")
    GOMEL = "BY-HO", _("Gomel region")
    GRODNO = "BY-HR", _("Grodno region")
    MINSK_CITY = "BY-HM", _("Minsk (city)")
    MINSK = "BY-MI", _("Minsk region")
    MOGILEV = "BY-MA", _("Mogilev region")
    VITEBSK = "BY-VI", _("Vitebsk region")
    ABROAD = "abroad", _("abroad")
    UNKNOWN = "unknown", _("unknown")


class Place(models.Model):
    """Settlement, region and optional coordinates of an incident."""

    settlement = models.CharField(_("settlement"), max_length=200, blank=True)
    region = models.CharField(
        _("region"), max_length=8, choices=Region.choices, default=Region.UNKNOWN, db_index=True
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )

    class Meta:
        abstract = True
