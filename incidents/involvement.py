"""Which raids and detentions name given people or organisations, as subqueries of ids.

Shared by the API's filters and the admin's search. The people and organisations are read
first (a handful of ids, found by primary key or by the name search's index); each part
then looks their records up by index, so that the database starts from those few ids
rather than from every record, and knows how few they are when it plans.
"""

from collections.abc import Collection

from django.db.models import QuerySet

from incidents.models import Raid


def any_of(first: QuerySet, *others: QuerySet) -> QuerySet:
    """The ids of several one-column querysets as one subquery (``UNION ALL``).

    ``pk IN (a UNION ALL b)`` lets the database start from the few rows each part finds
    through its own index, where ``pk IN a OR pk IN b`` checks both for every record.
    """
    parts = [part.order_by() for part in (first, *others)]
    return parts[0].union(*parts[1:], all=True) if others else parts[0]


def ids_of(records: QuerySet) -> list[int]:
    """The primary keys of ``records``, read now."""
    return list(records.values_list("pk", flat=True))


def raids_linked(field: str, targets: Collection[int]) -> QuerySet:
    """Ids of raids whose many-to-many ``field`` holds one of the ids ``targets``, read from
    the link table alone through its index on the target."""
    target = getattr(Raid, field).field.m2m_reverse_field_name()
    links = getattr(Raid, field).through.objects
    return links.filter(**{f"{target}_id__any_of": targets}).values("raid_id")


def involving(
    model, *, people: Collection[int] | None = None, organisations: Collection[int] | None = None
) -> list[QuerySet]:
    """Subqueries of the ids of raids or detentions (``model``) naming one of the ids
    ``people`` or ``organisations``: as target, perpetrator, person or authority."""
    parts = []
    if model is Raid:
        if people is not None:
            parts.append(raids_linked("target_people", people))
        if organisations is not None:
            parts.append(raids_linked("target_organisations", organisations))
            parts.append(raids_linked("perpetrators", organisations))
    else:
        if people is not None:
            parts.append(model.objects.filter(person_id__any_of=people).values("pk"))
        if organisations is not None:
            parts.append(model.objects.filter(authority_id__any_of=organisations).values("pk"))
    return parts
