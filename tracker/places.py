"""Where things happen: regions and coordinates shared by raids and detentions."""

from decimal import Decimal

from django.core.exceptions import ValidationError
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


# Rough bounding boxes of the regions, (south, north, west, east) in degrees, and the margin
# allowed around them. They catch a mistyped or swapped point, not a border dispute.
BOUNDS = {
    Region.BREST: (51.25, 53.45, 23.15, 27.65),
    Region.GOMEL: (51.25, 53.55, 27.0, 31.8),
    Region.GRODNO: (52.75, 54.95, 23.15, 26.95),
    Region.MINSK_CITY: (53.8, 54.0, 27.35, 27.75),
    Region.MINSK: (52.35, 55.2, 25.85, 29.5),
    Region.MOGILEV: (52.6, 54.6, 28.2, 32.8),
    Region.VITEBSK: (54.2, 56.2, 26.5, 31.25),
}
MARGIN = 0.2


def in_region(region: str, latitude: Decimal, longitude: Decimal) -> bool:
    south, north, west, east = BOUNDS[region]
    return (
        south - MARGIN <= latitude <= north + MARGIN and west - MARGIN <= longitude <= east + MARGIN
    )


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

    def place_errors(self) -> dict[str, ValidationError]:
        """A point outside its Belarusian region: mistyped, or latitude and longitude swapped."""
        if self.region not in BOUNDS or self.latitude is None or self.longitude is None:
            return {}
        if in_region(self.region, self.latitude, self.longitude):
            return {}
        names = {"region": Region(self.region).label}
        if in_region(self.region, self.longitude, self.latitude):
            message = _(
                "Latitude and longitude look swapped: in %(region)s the latitude is the larger "
                "number (about 51 to 56) and the longitude the smaller (about 23 to 33)."
            )
        else:
            message = _("This point lies outside %(region)s: check the coordinates or the region.")
        return {"latitude": ValidationError(message % names, code="outside_region")}
