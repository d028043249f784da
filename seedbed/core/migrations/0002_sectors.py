from django.db import migrations

from seedbed.core.sectors import SECTORS


def load_sectors(apps, schema_editor):
    Sector = apps.get_model("core", "Sector")
    for slug, name_en, name_zh in SECTORS:
        Sector.objects.update_or_create(slug=slug, defaults={"name_en": name_en, "name_zh": name_zh})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_sectors, migrations.RunPython.noop)]
