"""Rows of the ``organisations`` and ``people`` collections.

The serializers document a row (schema, CSV columns); the ``*_rows`` functions build rows
from ``.values()`` dicts with one query per nested relation, whatever the number of rows,
and gate every nested record with ``visible_to``. A person who may not be named appears by
pseudonym only, with the fields in ``UNNAMED_FIELDS`` and nothing else: memberships with
roles, gender or a birth year are enough to pick one volunteer out of a small organisation.
"""

from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organisations.models import (
    Membership,
    Organisation,
    OrganisationName,
    Person,
    PersonName,
)
from organisations.models import public_name as public_name_of
from tracker import names
from tracker.api.rows import RefSerializer, detail_url, group_by
from tracker.dates import DatePrecision
from tracker.review import Status, Visibility

RECORD_FIELDS = ("status", "visibility", "updated_at")


class OtherNameSerializer(serializers.Serializer):
    name = serializers.CharField()
    language = serializers.CharField(help_text=_("Language or script code; may be empty."))


class RecordSerializer(serializers.Serializer):
    status = serializers.ChoiceField(Status.choices)
    visibility = serializers.ChoiceField(Visibility.choices)
    updated_at = serializers.DateTimeField(
        help_text=_("Last change of the record; use with `updated_since` to sync.")
    )
    url = serializers.CharField(help_text=_("Path of the detail view."))

    def get_fields(self) -> dict:
        """The record's own fields first, these shared ones last."""
        fields = super().get_fields()
        shared = ("status", "visibility", "updated_at", "url")
        own = {name: field for name, field in fields.items() if name not in shared}
        return {**own, **{name: fields[name] for name in shared}}


class OrganisationSerializer(RecordSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    other_names = OtherNameSerializer(many=True)
    kind = serializers.ChoiceField(Organisation.Kind.choices)
    is_state_actor = serializers.BooleanField()
    parent = RefSerializer(allow_null=True, help_text=_("The larger body, if any."))
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    city = serializers.CharField()
    founded = serializers.DateField(allow_null=True)
    founded_precision = serializers.ChoiceField(DatePrecision.choices)
    legal_status = serializers.ChoiceField(Organisation.LegalStatus.choices)
    website = serializers.CharField()
    description = serializers.CharField()


ORGANISATION_FIELDS = (
    "id", "name", "kind", "is_state_actor", "parent_id", "country", "city", "founded",
    "founded_precision", "legal_status", "website", "description", *RECORD_FIELDS,
)  # fmt: skip


def organisation_refs(viewer, ids: set[int]) -> dict[int, dict[str, Any]]:
    """``{id: {"id", "name"}}`` of the organisations among ``ids`` that ``viewer`` may see."""
    visible = Organisation.objects.visible_to(viewer).filter(pk__any_of=ids).values("id", "name")
    return {row["id"]: row for row in visible}


def organisation_rows(viewer, base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [row["id"] for row in base]
    other_names = group_by(
        OrganisationName.objects.filter(organisation_id__any_of=ids)
        .order_by("id")
        .values("organisation_id", "name", "language"),
        "organisation_id",
    )
    parents = organisation_refs(viewer, {row["parent_id"] for row in base if row["parent_id"]})
    url = detail_url("organisations")
    rows = []
    for row in base:
        rows.append(
            {
                "id": row["id"],
                "name": row["name"],
                "other_names": other_names.get(row["id"], []),
                "kind": row["kind"],
                "is_state_actor": row["is_state_actor"],
                "parent": parents.get(row["parent_id"]),
                **{field: row[field] for field in ORGANISATION_FIELDS[5:]},
                "url": url(row["id"]),
            }
        )
    return rows


class MembershipSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField()
    organisation_name = serializers.CharField()
    role = serializers.ChoiceField(Membership.Role.choices)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class PersonSerializer(RecordSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField(
        help_text=_("The pseudonym when the person may not be named publicly.")
    )
    may_be_named = serializers.BooleanField(
        help_text=_("False: `name` is a pseudonym and identifying details are withheld.")
    )
    other_names = OtherNameSerializer(many=True)
    birth_year = serializers.IntegerField(allow_null=True)
    gender = serializers.ChoiceField(Person.Gender.choices, allow_blank=True)
    occupation = serializers.CharField()
    home_region = serializers.CharField()
    memberships = MembershipSerializer(many=True)


# All that is published of a person who may not be named (docs/api.md); every other field
# is left empty, including any field added later.
UNNAMED_FIELDS = ("id", "name", "may_be_named", "status", "visibility", "updated_at", "url")


def withheld(value: Any) -> Any:
    return [] if isinstance(value, list) else "" if isinstance(value, str) else None


# Never "confidential_notes" or "contact_details": they are not even read.
PERSON_FIELDS = (
    "id", "name", "pseudonym", "may_be_named", "birth_year", "gender", "occupation",
    "home_region", *RECORD_FIELDS,
)  # fmt: skip


def public_name(row: dict[str, Any]) -> str:
    """The name outputs use, from a row holding ``name``, ``pseudonym``, ``may_be_named``."""
    return public_name_of(
        name=row["name"], pseudonym=row["pseudonym"], may_be_named=row["may_be_named"]
    )


def person_refs(viewer, ids: set[int]) -> dict[int, dict[str, Any]]:
    """``{id: {"id", "name"}}`` of the people among ``ids`` that ``viewer`` may see."""
    visible = Person.objects.visible_to(viewer).filter(pk__any_of=ids)
    return {
        row["id"]: {"id": row["id"], "name": public_name(row)}
        for row in visible.values("id", "name", "pseudonym", "may_be_named")
    }


def public_name_q(query: str, prefix: str = "") -> Q:
    """People whose public name matches ``query``: a real name only if they may be named."""
    by_pseudonym = Q()
    for word in query.split():
        by_pseudonym &= Q(**{f"{prefix}pseudonym__icontains": word})
    return (
        Q(**{f"{prefix}may_be_named": True}) & names.search_q(query, f"{prefix}search_key")
        | Q(**{f"{prefix}may_be_named": False}) & by_pseudonym
    )


def person_rows(viewer, base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    named = [row["id"] for row in base if row["may_be_named"]]
    other_names = group_by(
        PersonName.objects.filter(person_id__any_of=named)
        .order_by("id")
        .values("person_id", "name", "language"),
        "person_id",
    )
    visible_organisations = Organisation.objects.visible_to(viewer).values("id")
    memberships = group_by(
        Membership.objects.filter(person_id__any_of=named, organisation__in=visible_organisations)
        .order_by("id")
        .values(
            "person_id", "organisation_id", "role", "start_date", "end_date",
            organisation_name=F("organisation__name"),
        ),
        "person_id",
    )  # fmt: skip
    url = detail_url("people")
    rows = []
    for row in base:
        person = {
            "id": row["id"],
            "name": public_name(row),
            "may_be_named": row["may_be_named"],
            "other_names": other_names.get(row["id"], []),
            "birth_year": row["birth_year"],
            "gender": row["gender"],
            "occupation": row["occupation"],
            "home_region": row["home_region"],
            "memberships": [
                {
                    "organisation_id": m["organisation_id"],
                    "organisation_name": m["organisation_name"],
                    "role": m["role"],
                    "start_date": m["start_date"],
                    "end_date": m["end_date"],
                }
                for m in memberships.get(row["id"], [])
            ],
            "status": row["status"],
            "visibility": row["visibility"],
            "updated_at": row["updated_at"],
            "url": url(row["id"]),
        }
        if not row["may_be_named"]:
            person = {k: v if k in UNNAMED_FIELDS else withheld(v) for k, v in person.items()}
        rows.append(person)
    return rows
