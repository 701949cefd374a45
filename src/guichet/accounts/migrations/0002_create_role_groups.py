from django.db import migrations

from guichet.accounts.roles import sync_role_groups


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
