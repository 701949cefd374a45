"""Reads the aid files (one aid version per YAML file, format: docs/admin/aides-locales.md).

Every problem is reported with its file, its line and what is wrong, in French; a file with
problems yields no aid. A directory is read in name order and checked as a whole: two versions of
the same aid may not be valid on the same day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection, Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from guichet.rules.local_aids import model as m
from guichet.rules.local_aids.errors import LocalAidFileError, raise_all
from guichet.rules.local_aids.yaml_nodes import compose, decode
from guichet.rules.money import CENT

SUFFIXES = (".yaml", ".yml")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
INSEE_PATTERN = re.compile(r"^(\d{5}|2[AB]\d{3})$")
MAX_NUMBER = Decimal(1_000_000)  # no amount, quotient or resource of a local aid comes near it
MAX_AGE = 150
MAX_CHILDREN = 30
MAX_DEPTH = 8  # nested « toutes » / « une_parmi »

TOP_FIELDS = (
    *("id", "nom", "description", "version", "validite", "deliberation", "exemple", "commune"),
    *("conditions", "montant", "pieces", "demande"),
)
TOP_REQUIRED = ("id", "nom", "version", "validite", "deliberation", "commune", "montant", "demande")
RANGE_FIELDS = ("min", "max")
AMOUNT_PARTS = ("fixe", "par_enfant", "par_personne")
CONDITION_KINDS = (
    "residence",
    "age",
    "quotient_familial",
    "ressources_par_uc",
    "couple",
    "parent_isole",
    "enfants",
    "personnes",
    "activite",
    "handicap",
    "logement",
    "toutes",
    "une_parmi",
)

NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"


def _listed(values: Iterable[str]) -> str:
    return ", ".join(values)


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "…"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1 if node.start_mark is not None else 1


Fields = dict[str, yaml.Node]


class _Reader:
    """Node-tree readers that record problems and go on, so that one pass reports them all."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[LocalAidFileError] = []
        self.key_lines: dict[int, int] = {}  # id of a value node -> line of its field name

    def line(self, node: yaml.Node) -> int:
        """A list or a set of fields is placed at the line of the field that holds it."""
        if isinstance(node, yaml.CollectionNode):
            return self.key_lines.get(id(node), _line(node))
        return _line(node)

    def fail(self, node: yaml.Node | int, message: str) -> None:
        line = node if isinstance(node, int) else self.line(node)
        self.errors.append(LocalAidFileError(self.path, line, message))

    def fields(
        self, node: yaml.Node, what: str, allowed: Collection[str], required: Collection[str] = ()
    ) -> Fields | None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} : des champs « nom : valeur » sont attendus ({_listed(allowed)})")
            return None
        found: Fields = {}
        lines: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.fail(key, f"{what} : nom de champ invalide")
                continue
            name = key.value
            if name in found:
                self.fail(key, f"{what} : champ « {name} » en double (déjà ligne {lines[name]})")
            elif name not in allowed:
                self.fail(key, f"{what} : champ inconnu « {_shown(name)} » (champs possibles : {_listed(allowed)})")
            else:
                found[name] = value
                lines[name] = _line(key)
                self.key_lines[id(value)] = lines[name]
        for name in required:
            if name not in found:
                self.fail(node, f"{what} : champ obligatoire « {name} » manquant")
        return found

    def scalar(self, node: yaml.Node, what: str, expected: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or (node.tag == NULL_TAG and node.style is None):
            self.fail(node, f"{what} : {expected}")
            return None
        return str(node.value)

    def text(self, node: yaml.Node, what: str) -> str | None:
        value = self.scalar(node, what, "texte attendu")
        if value is not None and not value.strip():
            self.fail(node, f"{what} : texte non vide attendu")
            return None
        return None if value is None else value.strip()

    def number(self, node: yaml.Node, what: str, maximum: Decimal = MAX_NUMBER) -> Decimal | None:
        raw = self.scalar(node, what, "nombre attendu")
        if raw is None:
            return None
        try:
            value = Decimal(raw.replace("_", "").replace(",", ".").replace("€", "").strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or node.tag == BOOL_TAG:
            self.fail(node, f"{what} : nombre attendu (reçu « {_shown(raw)} »)")
            return None
        if value < 0:
            self.fail(node, f"{what} : nombre positif ou nul attendu (reçu « {_shown(raw)} »)")
            return None
        if value > maximum:
            self.fail(node, f"{what} : nombre trop grand (au plus {maximum})")
            return None
        return value

    def money(self, node: yaml.Node, what: str) -> Decimal | None:
        value = self.number(node, what)
        if value is not None and value != value.quantize(CENT):
            self.fail(node, f"{what} : montant au centime près attendu (reçu « {node.value} »)")
            return None
        return value

    def integer(self, node: yaml.Node, what: str, maximum: int) -> int | None:
        value = self.number(node, what, Decimal(maximum))
        if value is not None and value != value.to_integral_value():
            self.fail(node, f"{what} : nombre entier attendu (reçu « {node.value} »)")
            return None
        return None if value is None else int(value)

    def boolean(self, node: yaml.Node, what: str) -> bool | None:
        raw = self.scalar(node, what, "true ou false attendu")
        if raw is None:
            return None
        if node.tag != BOOL_TAG:
            self.fail(node, f"{what} : true ou false attendu (reçu « {_shown(raw)} »)")
            return None
        return raw.lower() in {"true", "yes", "on"}

    def date(self, node: yaml.Node, what: str) -> dt.date | None:
        raw = self.scalar(node, what, "date attendue au format AAAA-MM-JJ")
        if raw is None:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
                raise ValueError
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            self.fail(node, f"{what} : date attendue au format AAAA-MM-JJ (reçu « {_shown(raw)} »)")
            return None

    def items(self, node: yaml.Node, what: str, *, empty: bool = False) -> list[yaml.Node] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{what} : liste attendue (un élément par ligne, « - … »)")
            return None
        if not node.value and not empty:
            self.fail(node, f"{what} : liste non vide attendue")
            return None
        return list(node.value)

    def texts(self, node: yaml.Node, what: str, *, empty: bool = False) -> tuple[str, ...] | None:
        items = self.items(node, what, empty=empty)
        if items is None:
            return None
        values = [self.text(item, f"{what}[{index}]") for index, item in enumerate(items, start=1)]
        return None if None in values else tuple(value for value in values if value is not None)

    def codes(self, node: yaml.Node, what: str, known: Collection[str]) -> tuple[str, ...] | None:
        values = self.texts(node, what)
        if values is None:
            return None
        unknown = [value for value in values if value not in known]
        if unknown:
            self.fail(node, f"{what} : valeur « {_shown(unknown[0])} » inconnue (valeurs possibles : {_listed(known)})")
            return None
        return values

    def choice(self, fields: Fields, name: str, what: str, known: Collection[str], default: str) -> str | None:
        if name not in fields:
            return default
        value = self.text(fields[name], f"{what}.{name}")
        if value is not None and value not in known:
            self.fail(fields[name], f"{what}.{name} : valeur « {_shown(value)} » inconnue ({_listed(known)})")
            return None
        return value

    def range(
        self,
        fields: Fields,
        node: yaml.Node,
        what: str,
        names: tuple[str, str] = RANGE_FIELDS,
        *,
        integer_max: int | None = None,
        required: bool = True,
    ) -> m.Range | None:
        bounds: list[Decimal | None] = []
        ok = True
        for name in names:
            if name not in fields:
                bounds.append(None)
                continue
            if integer_max is not None:
                whole = self.integer(fields[name], f"{what}.{name}", integer_max)
                value = None if whole is None else Decimal(whole)
            else:
                value = self.number(fields[name], f"{what}.{name}")
            ok = ok and value is not None
            bounds.append(value)
        low, high = bounds
        if required and names[0] not in fields and names[1] not in fields:
            self.fail(node, f"{what} : « {names[0]} » ou « {names[1]} » attendu")
            return None
        if low is not None and high is not None and low > high:
            self.fail(node, f"{what} : « {names[0]} » ({low}) dépasse « {names[1]} » ({high})")
            return None
        return m.Range(low, high) if ok else None


def _conditions(reader: _Reader, node: yaml.Node, what: str, depth: int) -> tuple[m.Condition, ...] | None:
    items = reader.items(node, what, empty=depth == 0)
    if items is None:
        return None
    if depth > MAX_DEPTH:
        reader.fail(node, f"{what} : conditions imbriquées trop profondément (au plus {MAX_DEPTH} niveaux)")
        return None
    found = [_condition(reader, item, f"{what}[{index}]", depth) for index, item in enumerate(items, start=1)]
    return None if None in found else tuple(condition for condition in found if condition is not None)


def _condition(reader: _Reader, node: yaml.Node, what: str, depth: int) -> m.Condition | None:
    if not isinstance(node, yaml.MappingNode) or not node.value:
        reader.fail(node, f"{what} : une condition « nom : valeur » est attendue ({_listed(CONDITION_KINDS)})")
        return None
    if len(node.value) > 1:
        names = [str(key.value) for key, _ in node.value[:2]]
        reader.fail(
            node.value[1][0],
            f"{what} : une seule condition par élément de liste (« {names[0]} » et « {_shown(names[1])} » : "
            "ajoutez un « - » devant chacune)",
        )
        return None
    key, value = node.value[0]
    kind = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
    if kind not in CONDITION_KINDS:
        reader.fail(
            key, f"{what} : condition inconnue « {_shown(kind)} » (conditions possibles : {_listed(CONDITION_KINDS)})"
        )
        return None
    where = f"{what}.{kind}"
    line = _line(key)
    if kind in {"toutes", "une_parmi"}:
        inner = _conditions(reader, value, where, depth + 1)
        if inner is None:
            return None
        return m.AllOf(line, inner) if kind == "toutes" else m.AnyOf(line, inner)
    if kind in {"couple", "parent_isole"}:
        expected = reader.boolean(value, where)
        if expected is None:
            return None
        return m.Couple(line, expected) if kind == "couple" else m.SingleParent(line, expected)
    if kind == "logement":
        statuses = reader.codes(value, where, m.HOUSING_LABELS)
        return None if statuses is None else m.HousingIn(line, statuses)
    if kind == "residence":
        return _residence(reader, value, where, line)
    return _person_or_range(reader, kind, value, where, line)


def _residence(reader: _Reader, node: yaml.Node, what: str, line: int) -> m.Condition | None:
    if isinstance(node, yaml.ScalarNode):
        if node.value != "commune":
            reader.fail(node, f"{what} : « commune » ou des champs « communes » / « quartiers » attendus")
            return None
        return m.Residence(line, own_commune=True)
    fields = reader.fields(node, what, ("communes", "quartiers"))
    if fields is None:
        return None
    if not fields:
        reader.fail(node, f"{what} : « communes » ou « quartiers » attendu")
        return None
    communes = reader.texts(fields["communes"], f"{what}.communes") if "communes" in fields else ()
    for code in communes or ():
        if not INSEE_PATTERN.match(code):
            reader.fail(
                fields["communes"], f"{what}.communes : code INSEE à 5 caractères attendu (reçu « {_shown(code)} »)"
            )
            return None
    quartiers = reader.texts(fields["quartiers"], f"{what}.quartiers") if "quartiers" in fields else ()
    if communes is None or quartiers is None:
        return None
    return m.Residence(line, communes=communes, quartiers=quartiers)


def _person_or_range(reader: _Reader, kind: str, node: yaml.Node, what: str, line: int) -> m.Condition | None:
    allowed = {
        "age": ("qui", *RANGE_FIELDS),
        "quotient_familial": RANGE_FIELDS,
        "ressources_par_uc": RANGE_FIELDS,
        "enfants": (*RANGE_FIELDS, "age_min", "age_max"),
        "personnes": RANGE_FIELDS,
        "activite": ("qui", "parmi"),
        "handicap": ("qui", "taux_min"),
    }[kind]
    fields = reader.fields(node, what, allowed, ("parmi",) if kind == "activite" else ())
    if fields is None:
        return None
    who = reader.choice(fields, "qui", what, m.WHO_LABELS, "demandeur")
    if kind == "age":
        ages = reader.range(fields, node, what, integer_max=MAX_AGE)
        return None if ages is None or who is None else m.Age(line, who, ages)
    if kind in {"quotient_familial", "ressources_par_uc"}:
        bounds = reader.range(fields, node, what)
        if bounds is None:
            return None
        return m.QuotientRange(line, bounds) if kind == "quotient_familial" else m.ResourcesPerUnit(line, bounds)
    if kind in {"enfants", "personnes"}:
        count = reader.range(fields, node, what, integer_max=MAX_CHILDREN)
        if kind == "personnes":
            return None if count is None else m.People(line, count)
        ages = reader.range(fields, node, what, ("age_min", "age_max"), integer_max=MAX_AGE, required=False)
        return None if count is None or ages is None else m.Children(line, count, ages)
    if kind == "activite":
        occupations = reader.codes(fields["parmi"], f"{what}.parmi", m.OCCUPATION_LABELS) if "parmi" in fields else None
        return None if occupations is None or who is None else m.OccupationIn(line, who, occupations)
    rate = reader.integer(fields["taux_min"], f"{what}.taux_min", 100) if "taux_min" in fields else None
    if who is None or ("taux_min" in fields and rate is None):
        return None
    return m.Disability(line, who, rate)


def _parts(reader: _Reader, fields: Fields, what: str) -> m.AmountParts | None:
    values = {
        name: reader.money(fields[name], f"{what}.{name}") if name in fields else Decimal(0) for name in AMOUNT_PARTS
    }
    if None in values.values():
        return None
    return m.AmountParts(
        values["fixe"] or Decimal(0), values["par_enfant"] or Decimal(0), values["par_personne"] or Decimal(0)
    )


def _amount(reader: _Reader, node: yaml.Node) -> m.Amount | None:
    what = "montant"
    allowed = ("periodicite", *AMOUNT_PARTS, "tranches_quotient", "plafond", "enfants_comptes")
    fields = reader.fields(node, what, allowed, ("periodicite",))
    if fields is None:
        return None
    periodicity = reader.choice(fields, "periodicite", what, m.PERIODICITIES, "")
    given = [name for name in AMOUNT_PARTS if name in fields]
    if "tranches_quotient" in fields and given:
        reader.fail(
            fields[given[0]],
            f"{what} : « tranches_quotient » remplace « {given[0]} » : mettez les montants dans chaque tranche",
        )
        return None
    if "tranches_quotient" not in fields and not given:
        reader.fail(node, f"{what} : « fixe », « par_enfant », « par_personne » ou « tranches_quotient » attendu")
        return None
    parts = _parts(reader, fields, what)
    brackets = _brackets(reader, fields["tranches_quotient"]) if "tranches_quotient" in fields else ()
    cap = reader.money(fields["plafond"], f"{what}.plafond") if "plafond" in fields else None
    child_ages = m.Range()
    if "enfants_comptes" in fields:
        counted = reader.fields(fields["enfants_comptes"], f"{what}.enfants_comptes", ("age_min", "age_max"))
        found = None
        if counted is not None:
            found = reader.range(
                counted,
                fields["enfants_comptes"],
                f"{what}.enfants_comptes",
                ("age_min", "age_max"),
                integer_max=MAX_AGE,
            )
        if found is None:
            return None
        child_ages = found
    if periodicity is None or parts is None or brackets is None or ("plafond" in fields and cap is None):
        return None
    return m.Amount(reader.line(node), periodicity, parts, brackets, cap, child_ages)


def _brackets(reader: _Reader, node: yaml.Node) -> tuple[m.Bracket, ...] | None:
    what = "montant.tranches_quotient"
    items = reader.items(node, what)
    if items is None:
        return None
    brackets: list[m.Bracket] = []
    ok = True
    for index, item in enumerate(items, start=1):
        where = f"{what}[{index}]"
        fields = reader.fields(item, where, ("jusqu_a", *AMOUNT_PARTS))
        if fields is None:
            ok = False
            continue
        if not any(name in fields for name in AMOUNT_PARTS):
            reader.fail(item, f"{where} : « fixe », « par_enfant » ou « par_personne » attendu")
            ok = False
            continue
        up_to = reader.number(fields["jusqu_a"], f"{where}.jusqu_a") if "jusqu_a" in fields else None
        parts = _parts(reader, fields, where)
        last = index == len(items)
        if "jusqu_a" not in fields and not last:
            reader.fail(item, f"{where} : « jusqu_a » attendu (seule la dernière tranche peut ne pas avoir de limite)")
            ok = False
        elif parts is None or ("jusqu_a" in fields and up_to is None):
            ok = False
        elif brackets and up_to is not None and brackets[-1].up_to is not None and up_to <= brackets[-1].up_to:
            reader.fail(item, f"{where}.jusqu_a : les limites doivent croître d'une tranche à la suivante")
            ok = False
        else:
            brackets.append(m.Bracket(_line(item), up_to, parts))
    return tuple(brackets) if ok else None


def _aid(reader: _Reader, root: yaml.Node, path: str, digest: str) -> m.LocalAid | None:
    top = reader.fields(root, "l'aide", TOP_FIELDS, TOP_REQUIRED)
    if top is None:
        return None
    aid_id = reader.text(top["id"], "id") if "id" in top else None
    if aid_id is not None and not ID_PATTERN.match(aid_id):
        reader.fail(top["id"], "id : lettres minuscules sans accent, chiffres, « - » ou « _ » (ex. « aide-energie »)")
        aid_id = None
    name = reader.text(top["nom"], "nom") if "nom" in top else None
    description = reader.text(top["description"], "description") if "description" in top else ""
    version = reader.text(top["version"], "version") if "version" in top else None
    example = reader.boolean(top["exemple"], "exemple") if "exemple" in top else False
    documents = reader.texts(top["pieces"], "pieces", empty=True) if "pieces" in top else ()
    validity = _validity(reader, top["validite"]) if "validite" in top else None
    deliberation = _deliberation(reader, top["deliberation"]) if "deliberation" in top else None
    commune = _commune(reader, top["commune"]) if "commune" in top else None
    conditions = _conditions(reader, top["conditions"], "conditions", 0) if "conditions" in top else ()
    amount = _amount(reader, top["montant"]) if "montant" in top else None
    apply = _apply(reader, top["demande"]) if "demande" in top else None
    if (
        reader.errors
        or aid_id is None
        or name is None
        or description is None
        or version is None
        or example is None
        or documents is None
        or validity is None
        or deliberation is None
        or commune is None
        or conditions is None
        or amount is None
        or apply is None
    ):
        return None
    return m.LocalAid(
        id=aid_id,
        name=name,
        description=description,
        version=version,
        valid_from=validity[0],
        valid_to=validity[1],
        deliberation=deliberation,
        commune=commune,
        conditions=conditions,
        amount=amount,
        apply=apply,
        documents=documents,
        example=example,
        path=path,
        line=_line(root),
        digest=digest,
    )


def _validity(reader: _Reader, node: yaml.Node) -> tuple[dt.date, dt.date | None] | None:
    fields = reader.fields(node, "validite", ("du", "au"), ("du",))
    if fields is None or "du" not in fields:
        return None
    start = reader.date(fields["du"], "validite.du")
    open_ended = "au" not in fields or (isinstance(fields["au"], yaml.ScalarNode) and fields["au"].tag == NULL_TAG)
    end = None if open_ended else reader.date(fields["au"], "validite.au")
    if start is None or (not open_ended and end is None):
        return None
    if end is not None and end < start:
        reader.fail(fields["au"], f"validite.au : le {end:%d/%m/%Y} précède le début ({start:%d/%m/%Y})")
        return None
    return start, end


def _deliberation(reader: _Reader, node: yaml.Node) -> m.Deliberation | None:
    fields = reader.fields(node, "deliberation", ("reference", "date", "instance"), ("reference", "date"))
    if fields is None or "reference" not in fields or "date" not in fields:
        return None
    reference = reader.text(fields["reference"], "deliberation.reference")
    day = reader.date(fields["date"], "deliberation.date")
    body = reader.text(fields["instance"], "deliberation.instance") if "instance" in fields else ""
    return None if reference is None or day is None or body is None else m.Deliberation(reference, day, body)


def _commune(reader: _Reader, node: yaml.Node) -> m.Commune | None:
    fields = reader.fields(node, "commune", ("code_insee", "nom"), ("code_insee", "nom"))
    if fields is None or "code_insee" not in fields or "nom" not in fields:
        return None
    code = reader.text(fields["code_insee"], "commune.code_insee")
    if code is not None and not INSEE_PATTERN.match(code):
        reader.fail(
            fields["code_insee"], f"commune.code_insee : code INSEE à 5 caractères attendu (reçu « {_shown(code)} »)"
        )
        return None
    name = reader.text(fields["nom"], "commune.nom")
    return None if code is None or name is None else m.Commune(code, name)


def _apply(reader: _Reader, node: yaml.Node) -> m.WhereToApply | None:
    fields = reader.fields(node, "demande", ("lieu", "lien", "modalites"), ("lieu",))
    if fields is None or "lieu" not in fields:
        return None
    place = reader.text(fields["lieu"], "demande.lieu")
    link = reader.text(fields["lien"], "demande.lien") if "lien" in fields else ""
    if link and not link.startswith(("https://", "http://")):
        reader.fail(fields["lien"], "demande.lien : adresse web commençant par https:// attendue")
        return None
    how = reader.text(fields["modalites"], "demande.modalites") if "modalites" in fields else ""
    return None if place is None or link is None or how is None else m.WhereToApply(place, link, how)


# --- entry points -----------------------------------------------------------------------------


def parse_aid(text: str, path: str = "<texte>", digest: str = "") -> m.LocalAid:
    """One aid from the text of a file; raises ``LocalAidFileError`` (all problems in ``all_errors``)."""
    root = compose(text, path)
    reader = _Reader(path)
    aid = _aid(reader, root, path, digest or hashlib.sha256(text.encode()).hexdigest())
    raise_all(reader.errors)
    assert aid is not None  # no error recorded means every part was read
    return aid


def load_file(path: Path) -> m.LocalAid:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LocalAidFileError(path, 0, f"fichier illisible ({error.strerror or error})") from None
    return parse_aid(decode(data, str(path)), str(path), hashlib.sha256(data).hexdigest())


def aid_files(directory: Path) -> list[Path]:
    """The aid files of ``directory`` and its sub-directories, in name order."""
    if not directory.is_dir():
        raise LocalAidFileError(directory, 0, "dossier introuvable")
    return sorted(path for path in directory.rglob("*") if path.suffix in SUFFIXES and path.is_file())


def check_directory(directory: Path) -> tuple[tuple[m.LocalAid, ...], tuple[LocalAidFileError, ...]]:
    """Every aid that reads well, and every problem (of each file, then between files)."""
    aids: list[m.LocalAid] = []
    errors: list[LocalAidFileError] = []
    for path in aid_files(directory):
        try:
            aids.append(load_file(path))
        except LocalAidFileError as error:
            errors.extend(error.all_errors)
    errors.extend(_versions_errors(aids))
    return tuple(aids), tuple(errors)


def _versions_errors(aids: list[m.LocalAid]) -> list[LocalAidFileError]:
    errors = []
    for index, aid in enumerate(aids):
        for earlier in aids[:index]:
            if earlier.id != aid.id:
                continue
            if earlier.version == aid.version:
                message = (
                    f"l'aide « {aid.id} » version « {aid.version} » est déjà définie ({earlier.path}:{earlier.line})"
                )
            elif earlier.overlaps(aid):
                message = (
                    f"la version « {aid.version} » de l'aide « {aid.id} » chevauche la version « {earlier.version} » "
                    f"({earlier.path}:{earlier.line}) : une seule version peut être valable un jour donné"
                )
            else:
                continue
            errors.append(LocalAidFileError(aid.path, aid.line, message))
            break
    return errors


def load_directory(directory: Path) -> tuple[m.LocalAid, ...]:
    """All the aids of ``directory``; raises ``LocalAidFileError`` at the first problem (all in
    ``all_errors``), so that a half-read set of rules is never used."""
    aids, errors = check_directory(directory)
    raise_all(list(errors))
    return aids


def aids_signature(aids: Iterable[m.LocalAid]) -> str:
    """One digest of the rules used: changes when any file changes, is added or removed."""
    digest = hashlib.sha256()
    for aid in sorted(aids, key=lambda a: (a.id, a.version)):
        digest.update(f"{aid.id}\0{aid.version}\0{aid.digest}\n".encode())
    return digest.hexdigest()[:16]
