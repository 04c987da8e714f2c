"""Name keys of every spelling (issue 17): new keys for existing records, a trigram index.

The GIN trigram indexes exist on PostgreSQL only; SQLite searches the same keys unindexed.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from tracker.names import search_key

TABLES = ("organisations_person", "organisations_organisation")


def rebuild_keys(apps, schema_editor):
    for model_name, other_name, owner in (
        ("Person", "PersonName", "person_id"),
        ("Organisation", "OrganisationName", "organisation_id"),
    ):
        model = apps.get_model("organisations", model_name)
        others: dict[int, list[str]] = {}
        for owner_id, name in apps.get_model("organisations", other_name).objects.values_list(
            owner, "name"
        ):
            others.setdefault(owner_id, []).append(name)
        batch = []
        for record in model.objects.only("pk", "name", "search_key").iterator(chunk_size=5000):
            key = search_key([record.name, *others.get(record.pk, [])])
            if record.search_key != key:
                record.search_key = key
                batch.append(record)
            if len(batch) == 5000:
                model.objects.bulk_update(batch, ["search_key"])
                batch = []
        model.objects.bulk_update(batch, ["search_key"])


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE INDEX {table}_search_key_trgm ON {table}"
                " USING gin (search_key gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_roles")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(rebuild_keys, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
