"""``guichet territoire importer|iris|voies``: real boundaries, IRIS codes, street rows; clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guichet.territory.models import Address, Iris, Quartier, StreetQuartier
from guichet.territory.services import quartiers_seed_illustrative
from tests.factories import QuartierFactory

pytestmark = pytest.mark.django_db


def square(x0: float, y0: float, size: float = 0.01) -> dict[str, object]:
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(props: dict[str, object], geometry: dict[str, object] | None) -> dict[str, object]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_geojson(path: Path, features: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, indent=1), encoding="utf-8")
    return path


def test_import_replaces_illustrative_boundaries_matching_names(tmp_path: Path) -> None:
    quartiers_seed_illustrative()
    address = Address.objects.create(street_name="rue", postcode="76800", city="c", latitude=49.385, longitude=1.105)
    path = write_geojson(
        tmp_path / "quartiers.geojson",
        [
            feature({"NOM_QUARTIER": "CHATEAU BLANC", "qpv": "QN07612M"}, square(1.08, 49.37)),
            feature({"NOM_QUARTIER": "Centre ancien", "qpv": "non"}, square(1.10, 49.38)),
            feature({"NOM_QUARTIER": "La Mare aux Daims", "qpv": "oui"}, square(1.06, 49.36)),
        ],
    )
    call_command("territoire", "importer", str(path), "--propriete-nom", "NOM_QUARTIER", "--propriete-qpv", "qpv")
    chateau = Quartier.objects.get(name="Château Blanc")
    assert chateau.boundary == square(1.08, 49.37)
    assert (chateau.is_illustrative, chateau.is_qpv, chateau.qpv_code) == (False, True, "QN07612M")
    assert "quartiers.geojson" in chateau.boundary_source
    created = Quartier.objects.get(name="La Mare aux Daims")
    assert created.is_qpv and created.slug == "la-mare-aux-daims"
    assert not Quartier.objects.filter(is_illustrative=True).exists()  # left-over illustrative ones are cleared
    assert Quartier.objects.get(name="Cateliers").boundary is None
    assert Address.objects.get(pk=address.pk).quartier.name == "Centre ancien"


def test_import_without_qpv_property_keeps_the_flags(tmp_path: Path) -> None:
    QuartierFactory(name="Thorez-Grimau", is_qpv=True)
    path = write_geojson(tmp_path / "q.geojson", [feature({"nom": "Thorez Grimau"}, square(1.1, 49.37))])
    call_command("territoire", "importer", str(path))
    assert Quartier.objects.get().is_qpv is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature" "x": 1}]}',
            "ligne 3, colonne 22 : JSON illisible (virgule attendue)",
        ),
        ('{"type": "Feature", "properties": {}}', "FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "aucune entité"),
    ],
)
def test_malformed_files_are_refused_with_their_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("territoire", "importer", str(path))
    assert message in str(caught.value) and "bad.geojson" in str(caught.value)


def test_bad_features_are_all_reported_with_line_and_nothing_is_written(tmp_path: Path) -> None:
    quartiers_seed_illustrative()
    before = list(Quartier.objects.order_by("pk").values_list("boundary", flat=True))
    bowtie = {"type": "Polygon", "coordinates": [[[1, 49], [1.1, 49.1], [1.1, 49], [1, 49.1], [1, 49]]]}
    path = write_geojson(
        tmp_path / "q.geojson",
        [
            feature({"nom": "Centre ancien"}, square(1.1, 49.38)),
            feature({"nom": "Nulle part"}, {"type": "Point", "coordinates": [1, 49]}),
            feature({"nom": "Noeud"}, bowtie),
            feature({"autre": "x"}, square(1.0, 49.0)),
            feature({"nom": "Centre Ancien"}, square(1.2, 49.38)),
        ],
    )
    with pytest.raises(CommandError) as caught:
        call_command("territoire", "importer", str(path))
    text = str(caught.value)
    assert "rien n'a été modifié" in text
    assert "« Point »" in text and "Polygon ou MultiPolygon" in text
    assert "géométrie invalide" in text
    assert "entité n° 4 : propriété « nom » absente ou vide (propriétés : autre)" in text
    assert "quartier en double (déjà à l'entité n° 1)" in text
    assert "q.geojson, ligne " in text
    assert list(Quartier.objects.order_by("pk").values_list("boundary", flat=True)) == before


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="fichier illisible"):
        call_command("territoire", "importer", str(tmp_path / "absent.geojson"))


def test_iris_import_creates_and_updates(tmp_path: Path) -> None:
    quartier = QuartierFactory(name="Château Blanc")
    path = tmp_path / "iris.csv"
    path.write_text("code;nom;quartier\n765750101;Château Blanc 1;chateau blanc\n765750102;Gare;\n", encoding="utf-8")
    call_command("territoire", "iris", str(path))
    assert Iris.objects.get(code="765750101").quartier == quartier
    assert Iris.objects.get(code="765750102").quartier is None
    path.write_text("code,nom,quartier\n765750102,Gare SNCF,Château Blanc\n", encoding="utf-8")
    call_command("territoire", "iris", str(path))
    assert Iris.objects.get(code="765750102").name == "Gare SNCF"
    assert Iris.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code;nom\n765750101;x\n", "ligne 1 : colonne(s) « quartier » absente(s)"),
        ("code;nom;quartier\n765750101;x;\n7657501;y;\n", "ligne 3 : code IRIS « 7657501 » invalide"),
        ("code;nom;quartier\n765750101;x;Atlantide\n", "ligne 2 : quartier « Atlantide » inconnu"),
        ("code;nom;quartier\n765750101;x;\n765750101;y;\n", "ligne 3 : code IRIS 765750101 en double (déjà ligne 2)"),
    ],
)
def test_iris_errors_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "iris.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("territoire", "iris", str(path))
    assert f"iris.csv, {message}" in str(caught.value)
    assert not Iris.objects.exists()


def test_streets_import_from_the_command_line_accepts_windows_1252(tmp_path: Path) -> None:
    quartier = QuartierFactory(name="Orée du Rouvray")
    path = tmp_path / "voies.csv"
    path.write_bytes("voie;quartier\nrue de l'Église;Orée du Rouvray\n".encode("cp1252"))
    call_command("territoire", "voies", str(path))
    assert StreetQuartier.objects.get().quartier == quartier
