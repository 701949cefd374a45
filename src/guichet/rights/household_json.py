"""The JSON format of a household for an assessment (documented in docs/guide/droits-cli.md): read by
``guichet droits FICHIER.json`` and used to store the inputs of every assessment, so that a stored
assessment can be replayed from exactly what was computed.

Reading collects every error with the path of the field (``personnes[1].date_naissance``) and what
is wrong with it, in French.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from guichet.households.enums import HouseholdRole, HousingStatus, Occupation, QuotientSource, ResourceKind
from guichet.rules import household as rules

T = TypeVar("T")
MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
HOUSEHOLD_KEYS = {"id", "logement", "personnes", "ressources_menage", "quotient_caf"}
HOUSING_KEYS = {"statut", "loyer", "code_postal", "code_insee", "quartier"}
PERSON_KEYS = {
    "id",
    "role",
    "date_naissance",
    "activite",
    "taux_incapacite",
    "rqth",
    "restriction_emploi",
    "aeeh",
    "grossesse",
    "ressources",
    "revenus_imposables",
}
QUOTIENT_KEYS = {"valeur", "date", "source"}


class HouseholdFormatError(ValueError):
    """The household description is malformed; ``errors`` lists each field and what is wrong."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "…"


class _Reader:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(f"{path} : {message}")

    def mapping(self, value: Any, path: str, allowed: set[str] | None) -> Mapping[str, Any]:
        """``value`` as an object; ``allowed`` lists its possible keys (None: any key)."""
        if not isinstance(value, dict):
            self.fail(path, "un objet { … } est attendu")
            return {}
        if allowed is not None:
            for key in sorted(set(value) - allowed):
                self.fail(f"{path}.{key}", f"champ inconnu (champs possibles : {', '.join(sorted(allowed))})")
        return value

    def typed(self, value: Any, path: str, parse: Callable[[Any], T], expected: str) -> T | None:
        try:
            return parse(value)
        except (ValueError, TypeError, InvalidOperation):
            self.fail(path, f"{expected} (reçu « {_shown(value)} »)")
            return None

    def amount(self, value: Any, path: str) -> Decimal | None:
        def parse(raw: Any) -> Decimal:
            if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
                raise TypeError
            number = Decimal(str(raw).replace(",", "."))
            if not number.is_finite() or number < 0:
                raise ValueError
            return number

        return self.typed(value, path, parse, "montant positif en euros attendu, ex. « 1450.00 »")

    def day(self, value: Any, path: str) -> dt.date | None:
        return self.typed(
            value, path, lambda raw: dt.date.fromisoformat(str(raw)), "date attendue au format AAAA-MM-JJ"
        )

    def choice(self, value: Any, path: str, choices: type[Any], default: str | None = None) -> str:
        if value is None and default is not None:
            return default
        if value not in choices.values:
            self.fail(path, f"valeur « {_shown(value)} » inconnue (valeurs possibles : {', '.join(choices.values)})")
            return default or ""
        return str(value)

    def flag(self, value: Any, path: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(path, f"true ou false attendu (reçu « {_shown(value)} »)")
            return False
        return value

    def series(self, value: Any, path: str) -> dict[str, dict[dt.date, Decimal]]:
        found: dict[str, dict[dt.date, Decimal]] = {}
        for kind, months in self.mapping(value or {}, path, set(ResourceKind.values)).items():
            if kind not in ResourceKind.values:
                continue
            found[kind] = {}
            for key, raw in self.mapping(months, f"{path}.{kind}", None).items():
                match = MONTH_KEY.match(str(key))
                if match is None or not 1 <= int(match.group(2)) <= 12:
                    self.fail(f"{path}.{kind}.{key}", "mois attendu au format AAAA-MM (ex. « 2026-10 »)")
                    continue
                amount = self.amount(raw, f"{path}.{kind}.{key}")
                if amount is not None:
                    found[kind][dt.date(int(match.group(1)), int(match.group(2)), 1)] = amount
        return found

    def person(self, value: Any, path: str, index: int) -> rules.Person | None:
        data = self.mapping(value, path, PERSON_KEYS)
        if not data:
            return None
        birth = self.day(data.get("date_naissance"), f"{path}.date_naissance")
        rate = data.get("taux_incapacite")
        if rate is not None and (isinstance(rate, bool) or not isinstance(rate, int) or not 0 <= rate <= 100):
            self.fail(f"{path}.taux_incapacite", f"un entier de 0 à 100 attendu (reçu « {_shown(rate)} »)")
            rate = None
        incomes: dict[int, Decimal] = {}
        for year, raw in self.mapping(data.get("revenus_imposables") or {}, f"{path}.revenus_imposables", None).items():
            if not re.fullmatch(r"\d{4}", str(year)):
                self.fail(f"{path}.revenus_imposables.{year}", "année attendue sur 4 chiffres (ex. « 2024 »)")
                continue
            amount = self.amount(raw, f"{path}.revenus_imposables.{year}")
            if amount is not None:
                incomes[int(year)] = amount
        person = rules.Person(
            id=str(data.get("id") or f"p{index + 1}"),
            role=self.choice(data.get("role"), f"{path}.role", HouseholdRole),
            birth_date=birth or dt.date(1900, 1, 1),
            occupation=self.choice(data.get("activite"), f"{path}.activite", Occupation, Occupation.OTHER),
            disability_rate=rate,
            has_aeeh=self.flag(data.get("aeeh"), f"{path}.aeeh"),
            has_rqth=self.flag(data.get("rqth"), f"{path}.rqth"),
            employment_restriction=self.flag(data.get("restriction_emploi"), f"{path}.restriction_emploi"),
            is_pregnant=self.flag(data.get("grossesse"), f"{path}.grossesse"),
            resources=self.series(data.get("ressources"), f"{path}.ressources"),
            taxable_income=incomes,
        )
        return person if birth is not None else None

    def household(self, value: Any) -> rules.Household | None:
        data = self.mapping(value, "ménage", HOUSEHOLD_KEYS)
        housing = self.mapping(data.get("logement") or {}, "logement", HOUSING_KEYS)
        rent = self.amount(housing["loyer"], "logement.loyer") if housing.get("loyer") is not None else None
        people_data = data.get("personnes")
        if not isinstance(people_data, list) or not people_data:
            self.fail("personnes", "une liste d'au moins une personne est attendue")
            people_data = []
        people = [self.person(item, f"personnes[{index}]", index) for index, item in enumerate(people_data)]
        roles = [person.role for person in people if person is not None]
        if people_data and roles.count(HouseholdRole.APPLICANT) != 1:
            self.fail(
                "personnes",
                f"exactement une personne de rôle « demandeur » est attendue ({roles.count('demandeur')} trouvée(s))",
            )
        if roles.count(HouseholdRole.SPOUSE) > 1:
            self.fail("personnes", "au plus une personne de rôle « conjoint » est possible")
        quotient = None
        if data.get("quotient_caf") is not None:
            given = self.mapping(data["quotient_caf"], "quotient_caf", QUOTIENT_KEYS)
            value_ = self.amount(given.get("valeur"), "quotient_caf.valeur")
            day = self.day(given.get("date"), "quotient_caf.date")
            source = self.choice(given.get("source"), "quotient_caf.source", QuotientSource, QuotientSource.DECLARED)
            if value_ is not None and day is not None:
                quotient = rules.AttestedQuotient(value=value_, date=day, source=source)
        household = rules.Household(
            id=str(data.get("id") or "menage"),
            people=tuple(person for person in people if person is not None),
            housing_status=self.choice(
                housing.get("statut"), "logement.statut", HousingStatus, HousingStatus.PRIVATE_TENANT
            ),
            rent=rent,
            postcode=str(housing.get("code_postal") or ""),
            insee_code=str(housing.get("code_insee") or ""),
            quartier=str(housing.get("quartier") or ""),
            resources=self.series(data.get("ressources_menage"), "ressources_menage"),
            attested_quotient=quotient,
        )
        return None if self.errors else household


def household_from_json(data: Any) -> rules.Household:
    """The household described by ``data`` (parsed JSON); HouseholdFormatError lists every problem."""
    reader = _Reader()
    household = reader.household(data)
    if household is None:
        raise HouseholdFormatError(reader.errors)
    return household


def _series_json(series: Mapping[str, Mapping[dt.date, Decimal]]) -> dict[str, dict[str, str]]:
    return {
        kind: {f"{month:%Y-%m}": str(amount) for month, amount in sorted(months.items())}
        for kind, months in sorted(series.items())
    }


def household_to_json(household: rules.Household) -> dict[str, Any]:
    """The JSON description of ``household`` (read back identically by ``household_from_json``)."""
    quotient = household.attested_quotient
    return {
        "id": household.id,
        "logement": {
            "statut": household.housing_status,
            "loyer": None if household.rent is None else str(household.rent),
            "code_postal": household.postcode,
            "code_insee": household.insee_code,
            "quartier": household.quartier,
        },
        "personnes": [
            {
                "id": person.id,
                "role": person.role,
                "date_naissance": person.birth_date.isoformat(),
                "activite": person.occupation,
                "taux_incapacite": person.disability_rate,
                "rqth": person.has_rqth,
                "restriction_emploi": person.employment_restriction,
                "aeeh": person.has_aeeh,
                "grossesse": person.is_pregnant,
                "ressources": _series_json(person.resources),
                "revenus_imposables": {
                    str(year): str(amount) for year, amount in sorted(person.taxable_income.items())
                },
            }
            for person in household.people
        ],
        "ressources_menage": _series_json(household.resources),
        "quotient_caf": None
        if quotient is None
        else {"valeur": str(quotient.value), "date": quotient.date.isoformat(), "source": quotient.source},
    }
