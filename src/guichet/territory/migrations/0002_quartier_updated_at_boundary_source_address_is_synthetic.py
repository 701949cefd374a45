import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="quartier",
            name="boundary_source",
            field=models.CharField(blank=True, max_length=200, verbose_name="origine du contour"),
        ),
        migrations.AddField(
            model_name="quartier",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name="modifié le"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="address",
            name="is_synthetic",
            field=models.BooleanField(db_index=True, default=False, verbose_name="données fictives"),
        ),
    ]
