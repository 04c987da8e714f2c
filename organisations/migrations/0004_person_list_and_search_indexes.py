"""People listed by name, and found by pseudonym, at scale (issue 16).

The GIN trigram index on the pseudonym (``icontains``, for people who may not be named)
exists on PostgreSQL only; SQLite searches it unindexed.
"""

from django.conf import settings
from django.db import migrations, models

PSEUDONYM_INDEX = "organisations_person_pseudonym_trgm"


def create_pseudonym_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {PSEUDONYM_INDEX} ON organisations_person"
            " USING gin (upper(pseudonym::text) gin_trgm_ops)"
        )


def drop_pseudonym_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PSEUDONYM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_name_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['name', 'id'], name='organisations_person_name_idx'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['status', 'visibility', 'id'], name='organisations_person_vis_idx'),
        ),
        migrations.RunPython(create_pseudonym_index, drop_pseudonym_index),
    ]
