"""Indexes for lists and filters at a million incidents (issue 16).

Ordered lists (date, id), exact settlement in any case, the detentions still held, and, on
PostgreSQL only, GIN trigram indexes for the admin's and the API's substring searches
(``icontains``: ``UPPER(column) LIKE '%...%'``); SQLite searches the same columns unindexed.
"""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

TRIGRAM_INDEXES = {
    "incidents_raid_settlement_trgm": ("incidents_raid", "settlement"),
    "incidents_raid_case_ref_trgm": ("incidents_raid", "case_reference"),
    "incidents_det_settlement_trgm": ("incidents_detention", "settlement"),
    "incidents_det_custody_place_trgm": ("incidents_detention", "custody_place"),
    "incidents_source_title_trgm": ("incidents_source", "title"),
    "incidents_source_publisher_trgm": ("incidents_source", "publisher"),
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, column) in TRIGRAM_INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX {name} ON {table} USING gin (upper({column}::text) gin_trgm_ops)"
            )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0008_external_ref'),
        ('organisations', '0004_person_list_and_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='detention',
            index=models.Index(fields=['date', 'id'], name='incidents_det_date_id_idx'),
        ),
        migrations.AddIndex(
            model_name='detention',
            index=models.Index(django.db.models.functions.text.Upper('settlement'), name='incidents_det_settlement_idx'),
        ),
        migrations.AddIndex(
            model_name='detention',
            index=models.Index(condition=models.Q(('release_date__isnull', True), models.Q(('outcome', 'released'), _negated=True)), fields=['id'], name='incidents_det_held_idx'),
        ),
        migrations.AddIndex(
            model_name='raid',
            index=models.Index(fields=['date', 'id'], name='incidents_raid_date_id_idx'),
        ),
        migrations.AddIndex(
            model_name='raid',
            index=models.Index(django.db.models.functions.text.Upper('settlement'), name='incidents_raid_settlement_idx'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(fields=['published_on', 'id'], name='incidents_src_published_idx'),
        ),
        migrations.AddIndex(
            model_name='detention',
            index=models.Index(fields=['status', 'visibility', 'id'], name='incidents_det_visible_idx'),
        ),
        migrations.AddIndex(
            model_name='raid',
            index=models.Index(fields=['status', 'visibility', 'id'], name='incidents_raid_visible_idx'),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
