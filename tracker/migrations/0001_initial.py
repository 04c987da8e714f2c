# The review logs and the sync change log move here from the incidents app, with their data:
# the tables are renamed, not recreated, and their content types (so the workflow's
# permissions and the groups holding them) follow.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

STATUS_CHOICES = [
    ("draft", "draft"),
    ("in_review", "in review"),
    ("published", "published"),
    ("rejected", "rejected"),
]
VISIBILITY_CHOICES = [
    ("public", "public"),
    ("restricted", "restricted to researchers"),
    ("confidential", "confidential to staff"),
]
MOVED = ("purgelog", "recordchange", "statuschange")


def move_content_types(apps, schema_editor, source="incidents", target="tracker"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)
    ContentType.objects.clear_cache()


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="tracker", target="incidents")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("incidents", "0006_raid_link_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PurgeLog",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=100, verbose_name="kind")),
                        ("object_id", models.PositiveBigIntegerField(verbose_name="id")),
                        ("purged_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="purged at")),
                        ("purged_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="purged by")),
                    ],
                    options={
                        "verbose_name": "purge log entry",
                        "verbose_name_plural": "purge log",
                        "ordering": ["-purged_at"],
                        "db_table": "incidents_purgelog",
                    },
                ),
                migrations.CreateModel(
                    name="RecordChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(help_text="Model name, e.g. raid.", max_length=20, verbose_name="kind")),
                        ("record_id", models.BigIntegerField(verbose_name="record id")),
                        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at")),
                        ("status", models.CharField(choices=STATUS_CHOICES, max_length=12, verbose_name="review status before")),
                        ("visibility", models.CharField(choices=VISIBILITY_CHOICES, max_length=12, verbose_name="visibility before")),
                    ],
                    options={
                        "verbose_name": "record change",
                        "verbose_name_plural": "record changes",
                        "indexes": [models.Index(fields=["kind", "at"], name="incidents_r_kind_929c1f_idx")],
                        "db_table": "incidents_recordchange",
                    },
                ),
                migrations.CreateModel(
                    name="StatusChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("from_status", models.CharField(choices=STATUS_CHOICES, max_length=12, verbose_name="from")),
                        ("to_status", models.CharField(choices=STATUS_CHOICES, max_length=12, verbose_name="to")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        ("by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="by")),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype")),
                    ],
                    options={
                        "verbose_name": "status change",
                        "verbose_name_plural": "status changes",
                        "permissions": [
                            ("submit_record", "Can submit records for review"),
                            ("publish_record", "Can publish, reject and send back records"),
                            ("revert_record", "Can revert records to an earlier version"),
                            ("merge_people", "Can merge duplicate people"),
                            ("purge_record", "Can purge records for a person's safety"),
                        ],
                        "indexes": [models.Index(fields=["content_type", "object_id", "to_status", "-at"], name="incidents_s_content_5c1f44_idx")],
                        "db_table": "incidents_statuschange",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="purgelog", table=None),
        migrations.AlterModelTable(name="recordchange", table=None),
        migrations.AlterModelTable(name="statuschange", table=None),
        migrations.RenameIndex(
            model_name="recordchange",
            new_name="tracker_rec_kind_e77ac0_idx",
            old_name="incidents_r_kind_929c1f_idx",
        ),
        migrations.RenameIndex(
            model_name="statuschange",
            new_name="tracker_sta_content_156782_idx",
            old_name="incidents_s_content_5c1f44_idx",
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
