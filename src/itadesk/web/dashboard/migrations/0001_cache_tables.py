"""The database caches' tables (settings.CACHES: the throttles' and the dashboard's), made by
``migrate`` itself: every committed write renews the dashboard's data version in its cache, so a
site migrated without ``createcachetable`` would refuse every save."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list = []
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
