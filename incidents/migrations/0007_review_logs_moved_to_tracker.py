# StatusChange, PurgeLog and RecordChange now belong to the tracker app, which renamed
# their tables (tracker/migrations/0001_initial.py): here they leave this app's state only.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0006_raid_link_history"),
        ("tracker", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="purgelog", name="purged_by"),
                migrations.DeleteModel(name="RecordChange"),
                migrations.RemoveField(model_name="statuschange", name="by"),
                migrations.RemoveField(model_name="statuschange", name="content_type"),
                migrations.DeleteModel(name="PurgeLog"),
                migrations.DeleteModel(name="StatusChange"),
            ],
            database_operations=[],
        ),
    ]
