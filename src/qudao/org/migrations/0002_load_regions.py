"""Every database gets China's administrative regions (org/data/regions.csv.gz) when it is migrated."""

from django.db import migrations


def load(apps, schema_editor):
    from qudao.org.services.regions import load_regions

    load_regions(region_model=apps.get_model("org", "Region"))


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
