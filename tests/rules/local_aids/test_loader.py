"""The aid files: the shipped examples read well; every malformed file is refused with its file,
its line and what is wrong, in French."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from guichet.rules.local_aids import (
    EXAMPLES_DIR,
    LocalAidFileError,
    aids_signature,
    check_directory,
    load_directory,
    load_file,
    parse_aid,
)
from guichet.rules.local_aids import model as m
from tests.rules.local_aids.helpers import HEADER, aid_text


def _line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_the_shipped_examples_read_well_and_are_all_marked_as_examples() -> None:
    aids = load_directory(EXAMPLES_DIR)
    assert len(aids) == 8
    assert all(aid.example for aid in aids)
    assert {aid.commune.insee for aid in aids} == {"76575"}
    energy = sorted((aid for aid in aids if aid.id == "aide-energie"), key=lambda aid: aid.valid_from)
    assert [(aid.version, aid.valid_from, aid.valid_to) for aid in energy] == [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2026", dt.date(2026, 1, 1), None),
    ]


def test_a_file_is_read_into_its_definition() -> None:
    text = aid_text(
        "- residence: commune\n- une_parmi:\n    - age: {min: 65}\n    - handicap: {qui: un_adulte, taux_min: 80}\n",
        "montant:\n  periodicite: mensuel\n  tranches_quotient:\n"
        "    - {jusqu_a: 500, fixe: 15}\n    - {par_enfant: 5}\n  plafond: 30\n",
        HEADER + "exemple: true\npieces: [Pièce d'identité]\n",
    )
    aid = parse_aid(text, "aide.yaml")
    assert (aid.id, aid.name, aid.version, aid.valid_from, aid.valid_to) == (
        "aide-test",
        "Aide de test",
        "1",
        dt.date(2026, 1, 1),
        None,
    )
    assert aid.deliberation == m.Deliberation("CA-TEST-1", dt.date(2025, 12, 11))
    assert aid.commune == m.Commune("76575", "Saint-Étienne-du-Rouvray")
    assert aid.example and aid.documents == ("Pièce d'identité",) and aid.apply == m.WhereToApply("CCAS")
    assert aid.conditions == (
        m.Residence(line=_line_of(text, "residence"), own_commune=True),
        m.AnyOf(
            _line_of(text, "une_parmi"),
            (
                m.Age(_line_of(text, "age:"), "demandeur", m.Range(D(65), None)),
                m.Disability(_line_of(text, "handicap"), "un_adulte", 80),
            ),
        ),
    )
    assert aid.amount == m.Amount(
        line=_line_of(text, "montant:"),
        periodicity="mensuel",
        brackets=(
            m.Bracket(_line_of(text, "jusqu_a: 500"), D(500), m.AmountParts(fixed=D(15))),
            m.Bracket(_line_of(text, "par_enfant: 5"), None, m.AmountParts(per_child=D(5))),
        ),
        cap=D(30),
    )


def _error(text: str) -> LocalAidFileError:
    with pytest.raises(LocalAidFileError) as raised:
        parse_aid(text, "aide.yaml")
    return raised.value


BAD_CONDITIONS = [
    # (conditions, the fragment of the line at fault, the message)
    (
        "- residence: partout\n",
        "partout",
        "conditions[1].residence : « commune » ou des champs « communes » / « quartiers » attendus",
    ),
    ("- residence:\n    communes: ['7657']\n", "communes", "code INSEE à 5 caractères attendu (reçu « 7657 »)"),
    ("- age: {min: 65, max: 60}\n", "age", "conditions[1].age : « min » (65) dépasse « max » (60)"),
    ("- age: {mini: 65}\n", "age", "conditions[1].age : champ inconnu « mini » (champs possibles : qui, min, max)"),
    ("- age: {}\n", "age", "conditions[1].age : « min » ou « max » attendu"),
    ("- age: {min: soixante}\n", "age", "conditions[1].age.min : nombre attendu (reçu « soixante »)"),
    ("- age: {min: 65.5}\n", "age", "conditions[1].age.min : nombre entier attendu (reçu « 65.5 »)"),
    ("- age: {qui: voisin, min: 65}\n", "age", "conditions[1].age.qui : valeur « voisin » inconnue"),
    (
        "- quotient_familial: {max: -1}\n",
        "quotient",
        "conditions[1].quotient_familial.max : nombre positif ou nul attendu",
    ),
    ("- quotient_familial: {max: .nan}\n", "quotient", "conditions[1].quotient_familial.max : nombre attendu"),
    (
        "- quotient_familial: 700\n",
        "quotient",
        "conditions[1].quotient_familial : des champs « nom : valeur » sont attendus",
    ),
    ("- couple: oui\n", "couple", "conditions[1].couple : true ou false attendu (reçu « oui »)"),
    ("- activite: {parmi: [pompier]}\n", "activite", "conditions[1].activite.parmi : valeur « pompier » inconnue"),
    ("- activite: {qui: demandeur}\n", "activite", "conditions[1].activite : champ obligatoire « parmi » manquant"),
    ("- logement: locataire_social\n", "logement", "conditions[1].logement : liste attendue"),
    ("- handicap: {taux_min: 120}\n", "handicap", "conditions[1].handicap.taux_min : nombre trop grand (au plus 100)"),
    ("- revenu: {max: 1000}\n", "revenu", "conditions[1] : condition inconnue « revenu »"),
    ("- residence: commune\n  age: {min: 65}\n", "age:", "une seule condition par élément de liste"),
    ("- une_parmi: []\n", "une_parmi", "conditions[1].une_parmi : liste non vide attendue"),
    (
        "- une_parmi:\n    - age: {min: 65}\n    - couple: peut-être\n",
        "peut-être",
        "conditions[1].une_parmi[2].couple : true ou false attendu",
    ),
    ("residence: commune\n", "conditions:", "conditions : liste attendue"),
]


@pytest.mark.parametrize(("conditions", "fragment", "message"), BAD_CONDITIONS)
def test_a_bad_condition_names_its_line_and_what_is_wrong(conditions: str, fragment: str, message: str) -> None:
    text = aid_text(conditions)
    error = _error(text)
    assert error.path == "aide.yaml"
    assert error.line == _line_of(text, fragment)
    assert message in error.message
    assert str(error) == f"aide.yaml:{error.line} : {error.message}"


BAD_AMOUNTS = [
    ("montant:\n  fixe: 100\n", "montant:", "montant : champ obligatoire « periodicite » manquant"),
    (
        "montant:\n  periodicite: hebdomadaire\n  fixe: 10\n",
        "hebdomadaire",
        "montant.periodicite : valeur « hebdomadaire » inconnue",
    ),
    (
        "montant:\n  periodicite: ponctuel\n",
        "montant:",
        "« fixe », « par_enfant », « par_personne » ou « tranches_quotient » attendu",
    ),
    ("montant:\n  periodicite: ponctuel\n  fixe: 10.005\n", "fixe", "montant.fixe : montant au centime près attendu"),
    (
        "montant:\n  periodicite: ponctuel\n  fixe: 10\n  plafond: beaucoup\n",
        "plafond",
        "montant.plafond : nombre attendu",
    ),
    (
        "montant:\n  periodicite: ponctuel\n  fixe: 10\n  tranches_quotient:\n    - {jusqu_a: 500, fixe: 10}\n",
        "fixe: 10",
        "« tranches_quotient » remplace « fixe »",
    ),
    (
        "montant:\n  periodicite: annuel\n  tranches_quotient:\n    - {fixe: 10}\n    - {jusqu_a: 800, fixe: 5}\n",
        "{fixe: 10}",
        "montant.tranches_quotient[1] : « jusqu_a » attendu (seule la dernière tranche peut ne pas avoir de limite)",
    ),
    (
        "montant:\n  periodicite: annuel\n  tranches_quotient:\n"
        "    - {jusqu_a: 800, fixe: 10}\n    - {jusqu_a: 500, fixe: 5}\n",
        "500",
        "montant.tranches_quotient[2].jusqu_a : les limites doivent croître",
    ),
    (
        "montant:\n  periodicite: annuel\n  tranches_quotient:\n    - {jusqu_a: 800}\n",
        "800",
        "montant.tranches_quotient[1] : « fixe », « par_enfant » ou « par_personne » attendu",
    ),
    (
        "montant:\n  periodicite: annuel\n  par_enfant: 10\n  enfants_comptes: {age_min: 18, age_max: 3}\n",
        "enfants_comptes",
        "montant.enfants_comptes : « age_min » (18) dépasse « age_max » (3)",
    ),
]


@pytest.mark.parametrize(("amount", "fragment", "message"), BAD_AMOUNTS)
def test_a_bad_amount_names_its_line_and_what_is_wrong(amount: str, fragment: str, message: str) -> None:
    text = aid_text(amount=amount)
    error = _error(text)
    assert error.line == _line_of(text, fragment) and message in error.message


def _replace(old: str, new: str) -> str:
    text = aid_text()
    assert old in text
    return text.replace(old, new, 1)


BAD_FILES = [
    # (text, line, message)
    ("", 1, "le fichier est vide : il doit décrire une aide"),
    ("- une liste\n", 1, "l'aide : des champs « nom : valeur » sont attendus"),
    ("id: a\nnom: b: c\n", 2, "« : » inattendu : une valeur qui contient « : » doit être entre guillemets"),
    ("id: a\nvalidite:\n\tdu: 2026-01-01\n", 3, "tabulation interdite : indentez avec des espaces"),
    ("id: a\nnom: 'Aide\n", 3, "fin du fichier inattendue : un guillemet n'est pas fermé"),
    ("id: a\nvalidite:\n  du: 2026-01-01\n au: 2026-12-31\n", 4, "indentation incohérente"),
    ("id: &nom a\nnom: *nom\n", 1, "les ancres et alias YAML (&nom, *nom) ne sont pas acceptés"),
    ("id: a\n---\nid: b\n", 2, "un seul document par fichier"),
    ('id: a\nnom: "\\q"\n', 2, "séquence « \\ » inconnue"),
    ("id: a\npieces: [a, b\n", 3, "liste entre crochets non fermée"),
    ("id: a\nnom: b\x00\n", 2, "caractère interdit dans un fichier texte (U+0000)"),
    (_replace("id: aide-test", "id: Aide Énergie"), 1, "id : lettres minuscules sans accent"),
    (_replace("nom: Aide de test\n", ""), 1, "l'aide : champ obligatoire « nom » manquant"),
    (
        _replace("nom: Aide de test\n", "nom: Aide de test\nnom: Autre\n"),
        3,
        "l'aide : champ « nom » en double (déjà ligne 2)",
    ),
    (_replace("nom: Aide de test\n", "nom: Aide de test\nname: x\n"), 3, "l'aide : champ inconnu « name »"),
    (_replace("nom: Aide de test", "nom:"), 2, "nom : texte attendu"),
    (_replace("nom: Aide de test", "nom: ''"), 2, "nom : texte non vide attendu"),
    (
        _replace("  du: 2026-01-01", "  du: 01/01/2026"),
        5,
        "validite.du : date attendue au format AAAA-MM-JJ (reçu « 01/01/2026 »)",
    ),
    (_replace("  du: 2026-01-01", "  du: 2026-02-30"), 5, "validite.du : date attendue au format AAAA-MM-JJ"),
    (
        _replace("  du: 2026-01-01", "  du: 2026-01-01\n  au: 2025-12-31"),
        6,
        "validite.au : le 31/12/2025 précède le début (01/01/2026)",
    ),
    (_replace("  reference: CA-TEST-1\n", ""), 6, "deliberation : champ obligatoire « reference » manquant"),
    (
        _replace('  code_insee: "76575"', "  code_insee: 765"),
        10,
        "commune.code_insee : code INSEE à 5 caractères attendu",
    ),
    (
        _replace("  lieu: CCAS", "  lieu: CCAS\n  lien: www.example.org"),
        14,
        "demande.lien : adresse web commençant par https://",
    ),
    (aid_text() + "exemple: oui\n", 17, "exemple : true ou false attendu (reçu « oui »)"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_FILES)
def test_a_malformed_file_names_its_line_and_what_is_wrong(text: str, line: int, message: str) -> None:
    error = _error(text)
    assert (error.line, error.path) == (line, "aide.yaml")
    assert message in error.message, error.message


def test_every_problem_of_a_file_is_reported_at_once_in_line_order() -> None:
    text = aid_text(
        "- age: {min: vieux}\n- couple: peut-être\n", header=HEADER.replace("  du: 2026-01-01", "  du: demain")
    )
    error = _error(text)
    assert [(e.line, e.message.split(" :")[0]) for e in error.all_errors] == [
        (5, "validite.du"),
        (18, "conditions[1].age.min"),
        (19, "conditions[2].couple"),
    ]
    assert error is error.all_errors[0]


def test_an_empty_end_of_validity_is_open_ended() -> None:
    aid = parse_aid(aid_text(header=HEADER.replace("  du: 2026-01-01\n", "  du: 2026-01-01\n  au:\n")))
    assert aid.valid_to is None and aid.valid_on(dt.date(2099, 1, 1))


def test_a_file_not_in_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "aide.yaml"
    path.write_bytes(aid_text().replace("Aide de test", "Aide à l'énergie").encode("latin-1"))
    with pytest.raises(LocalAidFileError) as raised:
        load_file(path)
    assert (raised.value.line, raised.value.message) == (2, "le fichier doit être enregistré en UTF-8")


def _write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text, encoding="utf-8")


def test_a_directory_is_checked_as_a_whole(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "a.yaml",
        aid_text(header=HEADER.replace("  du: 2026-01-01\n", "  du: 2025-01-01\n  au: 2026-03-31\n")),
    )
    _write(tmp_path, "b.yaml", aid_text(header=HEADER.replace('"1"', '"2"')))  # from 2026-01-01: overlaps
    _write(tmp_path, "c.yml", aid_text(header=HEADER.replace("aide-test", "autre")))
    _write(tmp_path, "d.yaml", aid_text(header=HEADER.replace("aide-test", "autre")))  # same id, same version
    _write(tmp_path, "e.yaml", "id: [\n")
    (tmp_path / "notes.txt").write_text("ignoré", encoding="utf-8")
    aids, errors = check_directory(tmp_path)
    assert sorted(aid.path.rsplit("/", 1)[1] for aid in aids) == ["a.yaml", "b.yaml", "c.yml", "d.yaml"]
    assert [(Path(e.path).name, e.line) for e in errors] == [("e.yaml", 2), ("b.yaml", 1), ("d.yaml", 1)]
    assert "chevauche la version « 1 »" in errors[1].message and "a.yaml:1" in errors[1].message
    assert "version « 1 » est déjà définie" in errors[2].message
    with pytest.raises(LocalAidFileError):
        load_directory(tmp_path)


def test_a_missing_directory_and_the_signature_of_a_set_of_rules(tmp_path: Path) -> None:
    with pytest.raises(LocalAidFileError, match="dossier introuvable"):
        load_directory(tmp_path / "absent")
    _write(tmp_path, "a.yaml", aid_text())
    before = aids_signature(load_directory(tmp_path))
    assert aids_signature(load_directory(tmp_path)) == before
    _write(tmp_path, "a.yaml", aid_text().replace("fixe: 100", "fixe: 120"))
    assert aids_signature(load_directory(tmp_path)) != before


def test_the_complete_example_of_the_documentation_reads_well() -> None:
    doc = Path(__file__).resolve().parents[3] / "docs" / "admin" / "aides-locales.md"
    example = doc.read_text(encoding="utf-8").split("```yaml\n")[1].split("```")[0]
    aid = parse_aid(example, "aides-locales.md")
    assert (aid.id, aid.version, aid.valid_to, aid.example) == ("aide-energie", "2026", dt.date(2026, 12, 31), False)
    assert [bracket.up_to for bracket in aid.amount.brackets] == [D(450), D(650), D(800)]
