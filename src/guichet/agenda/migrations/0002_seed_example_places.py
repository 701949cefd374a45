from django.db import migrations

PLACES = [
    ("Maison du citoyen", "maison_citoyen", "Place de la Fraternité, Saint-Étienne-du-Rouvray"),
    ("CCAS", "ccas", "Hôtel de ville, Saint-Étienne-du-Rouvray"),
    ("Hôtel de ville", "hotel_de_ville", "Place de la Libération, Saint-Étienne-du-Rouvray"),
    ("Visite à domicile", "domicile", ""),
]


def seed(apps, schema_editor):
    Place = apps.get_model("agenda", "Place")
    for name, kind, address in PLACES:
        Place.objects.get_or_create(name=name, defaults={"kind": kind, "address": address, "is_example": True})


def unseed(apps, schema_editor):
    apps.get_model("agenda", "Place").objects.filter(is_example=True, appointments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_places_appointments")]
    operations = [migrations.RunPython(seed, unseed)]
