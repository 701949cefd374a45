"""Parsing of the files an administrator imports: neighbourhood boundaries (GeoJSON), IRIS codes and
street-to-neighbourhood rows (CSV). Parsing writes nothing; every problem is reported with its file
and line, all at once, so the file can be fixed in one go."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from guichet.rules.text import normalize_text
from guichet.territory.exceptions import ImportFileError
from guichet.territory.geometry import GeometryError, area_from_geojson, area_to_geojson

MAX_REPORTED_ERRORS = 20
_TRUE = {"1", "oui", "o", "vrai", "true", "yes", "y", "x"}
_FALSE = {"", "0", "non", "n", "faux", "false", "no"}
_JSON_MESSAGES = {
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendus",
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom de propriété entre guillemets attendu",
    "Extra data": "contenu en trop après la fin du document",
    "Unterminated string starting at": "texte entre guillemets non terminé",
    "Invalid control character at": "caractère de contrôle interdit",
}
IRIS_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})\d{4}$")


@dataclass(frozen=True)
class BoundaryRecord:
    name: str
    geometry: dict[str, Any]
    is_qpv: bool | None  # None when the file says nothing about it
    qpv_code: str


@dataclass(frozen=True)
class IrisRecord:
    line: int
    code: str
    name: str
    quartier_name: str


@dataclass(frozen=True)
class StreetRecord:
    line: int
    street_name: str
    quartier_name: str


def decode(data: bytes, *, filename: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as spreadsheets in French often save."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError([f"{filename} : encodage illisible (enregistrez le fichier en UTF-8)"])


def _line_of(text: str, value: str) -> int | None:
    for needle in (json.dumps(value, ensure_ascii=False), json.dumps(value)):
        index = text.find(needle)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None


def _qpv_flag(value: Any) -> tuple[bool, str]:
    """``True``/``"oui"``/``1`` -> QPV; any other non-empty text is taken as the QPV code."""
    if isinstance(value, bool):
        return value, ""
    if isinstance(value, int | float):
        return bool(value), ""
    text = "" if value is None else str(value).strip()
    if text.lower() in _TRUE:
        return True, ""
    if text.lower() in _FALSE:
        return False, ""
    return True, text[:16]


def parse_boundaries(
    text: str, *, filename: str, name_property: str, qpv_property: str | None = None
) -> list[BoundaryRecord]:
    """The features of a GeoJSON FeatureCollection, one neighbourhood each."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = _JSON_MESSAGES.get(exc.msg, exc.msg)
        raise ImportFileError(
            [f"{filename}, ligne {exc.lineno}, colonne {exc.colno} : JSON illisible ({reason})"]
        ) from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportFileError([f"{filename} : le fichier doit être une FeatureCollection GeoJSON"])
    records: list[BoundaryRecord] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, feature in enumerate(data["features"], start=1):
        where = f"{filename}, entité n° {number}"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            errors.append(f"{where} : entité sans propriétés")
            continue
        name = str(properties.get(name_property) or "").strip()
        if not name:
            known = ", ".join(sorted(properties)) or "aucune"
            errors.append(f"{where} : propriété « {name_property} » absente ou vide (propriétés : {known})")
            continue
        line = _line_of(text, name)
        if line is not None:
            where = f"{filename}, ligne {line} (entité n° {number}, « {name} »)"
        key = normalize_text(name)
        if key in seen:
            errors.append(f"{where} : quartier en double (déjà à l'entité n° {seen[key]})")
            continue
        seen[key] = number
        try:
            geometry = area_to_geojson(area_from_geojson(feature.get("geometry")))
        except GeometryError as exc:
            errors.append(f"{where} : {exc}")
            continue
        is_qpv: bool | None = None
        qpv_code = ""
        if qpv_property:
            if qpv_property not in properties:
                errors.append(f"{where} : propriété « {qpv_property} » absente")
                continue
            is_qpv, qpv_code = _qpv_flag(properties[qpv_property])
        records.append(BoundaryRecord(name=name[:120], geometry=geometry, is_qpv=is_qpv, qpv_code=qpv_code))
    if not records and not errors:
        errors.append(f"{filename} : aucune entité dans le fichier")
    _raise_if(errors)
    return records


def _raise_if(errors: list[str]) -> None:
    if errors:
        extra = len(errors) - MAX_REPORTED_ERRORS
        shown = errors[:MAX_REPORTED_ERRORS] + ([f"… et {extra} autre(s) erreur(s)"] if extra > 0 else [])
        raise ImportFileError(shown)


def _csv_rows(text: str, *, filename: str, columns: dict[str, tuple[str, ...]]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as {column: value} with their line number; the header names columns (aliases accepted)."""
    sample = text[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:  # a one-column sample: count separators in the header instead
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise ImportFileError([f"{filename} : fichier vide (une ligne d'en-tête est attendue)"])
    positions: dict[str, int] = {}
    names = [normalize_text(cell) for cell in header]
    missing = []
    for column, aliases in columns.items():
        found = next((i for i, cell in enumerate(names) if cell in aliases), None)
        if found is None:
            missing.append(f"« {aliases[0]} »")
        else:
            positions[column] = found
    if missing:
        raise ImportFileError(
            [f"{filename}, ligne 1 : colonne(s) {', '.join(missing)} absente(s) de l'en-tête ({';'.join(header)})"]
        )
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        yield (
            reader.line_num,
            {column: (row[index].strip() if index < len(row) else "") for column, index in positions.items()},
        )


def parse_iris(text: str, *, filename: str) -> list[IrisRecord]:
    """CSV with columns code, nom, quartier (the quartier may be empty)."""
    columns = {
        "code": ("code", "code iris", "iris", "code_iris"),
        "name": ("nom", "name", "libelle", "nom iris", "libelle iris"),
        "quartier": ("quartier", "nom quartier", "quartier name"),
    }
    records, errors = [], []
    seen: dict[str, int] = {}
    for line, row in _csv_rows(text, filename=filename, columns=columns):
        code = row["code"].upper()
        if not IRIS_CODE.match(code):
            errors.append(f"{filename}, ligne {line} : code IRIS « {row['code']} » invalide (9 caractères attendus)")
            continue
        if code in seen:
            errors.append(f"{filename}, ligne {line} : code IRIS {code} en double (déjà ligne {seen[code]})")
            continue
        seen[code] = line
        records.append(IrisRecord(line=line, code=code, name=row["name"][:120], quartier_name=row["quartier"]))
    if not records and not errors:
        errors.append(f"{filename} : aucune ligne de données")
    _raise_if(errors)
    return records


def parse_streets(text: str, *, filename: str) -> list[StreetRecord]:
    """CSV with columns voie, quartier."""
    columns = {
        "street": ("voie", "rue", "nom de voie", "street", "street name"),
        "quartier": ("quartier", "nom quartier", "quartier name"),
    }
    records, errors = [], []
    for line, row in _csv_rows(text, filename=filename, columns=columns):
        if not normalize_text(row["street"]):
            errors.append(f"{filename}, ligne {line} : nom de voie vide")
            continue
        if not row["quartier"]:
            errors.append(f"{filename}, ligne {line} : quartier vide pour « {row['street']} »")
            continue
        records.append(StreetRecord(line=line, street_name=row["street"][:200], quartier_name=row["quartier"]))
    if not records and not errors:
        errors.append(f"{filename} : aucune ligne de données")
    _raise_if(errors)
    return records
