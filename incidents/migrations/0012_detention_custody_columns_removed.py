"""The place of custody and whereabouts flag now live in stays and facts (0010)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0011_custody_from_detention_columns")]

    operations = [
        migrations.RemoveField(
            model_name="detention",
            name="custody_place",
        ),
        migrations.RemoveField(
            model_name="detention",
            name="whereabouts_known",
        ),
        migrations.RemoveField(
            model_name="historicaldetention",
            name="custody_place",
        ),
        migrations.RemoveField(
            model_name="historicaldetention",
            name="whereabouts_known",
        ),
    ]
