"""Dated parameters: periods, staleness, "to verify" flags, file errors, overrides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from guichet.rules.money import format_euros, format_euros_exact, format_number, round_money
from guichet.rules.parameters import (
    DATA_DIR,
    ParameterError,
    ParameterReader,
    load_parameters,
    parameters_from_mapping,
    parameters_report,
    with_overrides,
)
from tests.rules.conftest import plain

FLOOR: dict[str, Any] = {
    "floor": {
        "source": "CNAF",
        "values": [
            {"from": dt.date(2024, 1, 1), "to": dt.date(2024, 12, 31), "value": "765.77"},
            {"from": dt.date(2025, 1, 1), "to": dt.date(2025, 12, 31), "value": "801", "to_verify": True},
        ],
    },
    "ceiling": {
        "source": "CNAF",
        "values": [{"from": dt.date(2024, 9, 1), "value": 7000}, {"from": dt.date(2025, 9, 1), "value": "8500"}],
    },
}


@pytest.mark.parametrize(
    ("day", "name", "value", "valid_to", "to_verify", "stale"),
    [
        (dt.date(2024, 6, 1), "floor", "765.77", dt.date(2024, 12, 31), False, False),
        (dt.date(2025, 1, 1), "floor", "801", dt.date(2025, 12, 31), True, False),
        (dt.date(2026, 3, 1), "floor", "801", dt.date(2025, 12, 31), True, True),
        (dt.date(2025, 8, 31), "ceiling", "7000", dt.date(2025, 8, 31), False, False),  # until the next value
        (dt.date(2025, 9, 1), "ceiling", "8500", None, False, False),
    ],
)
def test_lookup_by_date(
    day: dt.date, name: str, value: str, valid_to: dt.date | None, to_verify: bool, stale: bool
) -> None:
    found = parameters_from_mapping(FLOOR)[name].lookup(day)
    assert (found.value, found.valid_to, found.to_verify, found.stale) == (D(value), valid_to, to_verify, stale)


def test_no_value_before_the_first_and_strict_lookup_refuses_stale_values() -> None:
    floor = parameters_from_mapping(FLOOR)["floor"]
    with pytest.raises(ParameterError, match="n'a pas de valeur au 31/12/2023"):
        floor.lookup(dt.date(2023, 12, 31))
    with pytest.raises(ParameterError, match="dernière valeur valable jusqu'au 31/12/2025"):
        floor.lookup(dt.date(2026, 1, 1), allow_stale=False)


def test_reader_remembers_what_it_used_and_warns() -> None:
    reader = ParameterReader(parameters_from_mapping(FLOOR), dt.date(2026, 3, 1))
    assert reader.decimal("floor") == D(801) and reader.decimal("ceiling") == D(8500)
    assert [found.name for found in reader.used] == ["floor", "ceiling"]
    assert plain(reader.warnings()) == (
        "Paramètre « floor » valable jusqu'au 31/12/2025, utilisé faute de valeur plus récente : "
        "à mettre à jour (CNAF).\n"
        "Paramètres marqués « à vérifier » par la commune : CNAF."
    )
    with pytest.raises(ParameterError, match="inconnu « plafond »"):
        reader.decimal("plafond")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"x": {"values": []}}, "liste « values » non vide"),
        ({"x": {"values": [{"value": 1}]}}, "« from » et « value » sont obligatoires"),
        ({"x": {"values": [{"from": "2024-01-01", "value": 1}]}}, "« from » doit être une date"),
        ({"x": {"values": [{"from": dt.date(2024, 1, 1), "to": dt.date(2023, 1, 1), "value": 1}]}}, "précède"),
        ({"x": {"values": [{"from": dt.date(2024, 1, 1), "value": 1, "to_verify": "oui"}]}}, "true ou false"),
        (
            {"x": {"values": [{"from": dt.date(2024, 1, 1), "value": 1}, {"from": dt.date(2024, 1, 1), "value": 2}]}},
            "deux valeurs commencent",
        ),
        (
            {
                "x": {
                    "values": [
                        {"from": dt.date(2024, 1, 1), "to": dt.date(2025, 6, 30), "value": 1},
                        {"from": dt.date(2025, 1, 1), "value": 2},
                    ]
                }
            },
            "chevauche",
        ),
    ],
)
def test_malformed_parameters_say_where(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ParameterError, match=message) as error:
        parameters_from_mapping(table, origin="commune.toml")
    assert "commune.toml [x]" in str(error.value)


def test_toml_file_errors_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "tarifs.toml"
    broken.write_text("[x\nvalues = 1", encoding="utf-8")
    with pytest.raises(ParameterError, match="tarifs.toml"):
        load_parameters(broken)


@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*.toml")), ids=lambda p: p.name)
def test_every_packaged_file_loads_and_says_its_source(path: Path) -> None:
    parameters = load_parameters(path)
    assert parameters and all(parameter.source for parameter in parameters.values())
    assert parameters_report(parameters, dt.date(2026, 1, 1))


def test_report_lists_what_is_in_force_and_overrides_replace_by_name() -> None:
    base = parameters_from_mapping(FLOOR)
    assert [found.name for found in parameters_report(base, dt.date(2024, 6, 1))] == ["floor"]
    corrected = with_overrides(
        base, parameters_from_mapping({"floor": {"values": [{"from": dt.date(2026, 1, 1), "value": "830"}]}})
    )
    assert corrected["floor"].decimal_at(dt.date(2026, 3, 1)) == D(830)
    with pytest.raises(ParameterError, match="inconnus : plancher"):
        with_overrides(
            base, parameters_from_mapping({"plancher": {"values": [{"from": dt.date(2026, 1, 1), "value": 1}]}})
        )


@pytest.mark.parametrize(
    ("amount", "quantum", "mode", "expected"),
    [
        ("1.525", "0.01", "half_up", "1.53"),
        ("1.524", "0.01", "half_up", "1.52"),
        ("1.56", "0.05", "half_up", "1.55"),
        ("1.575", "0.05", "half_up", "1.60"),
        ("1.59", "0.05", "down", "1.55"),
        ("1.51", "0.05", "up", "1.55"),
        ("719.5", "1", "half_up", "720.00"),
        (0.1, "0.01", "half_up", "0.10"),
        (3, "0.01", "half_up", "3.00"),
    ],
)
def test_round_money(amount: Any, quantum: str, mode: str, expected: str) -> None:
    assert str(round_money(amount, D(quantum), mode)) == expected


def test_round_money_refuses_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match="banquier"):
        round_money(D(1), mode="banquier")


@pytest.mark.parametrize(
    ("amount", "cents", "expected"),
    [("24000", None, "24 000 €"), ("1049.5", None, "1 049,50 €"), ("1", True, "1,00 €"), ("0.004", None, "0 €")],
)
def test_format_euros(amount: str, cents: bool | None, expected: str) -> None:
    assert plain(format_euros(D(amount), cents=cents)) == expected


def test_format_number() -> None:
    assert [plain(format_number(D(x))) for x in ("0.0619", "2.50", "1E+3", "12345.6")] == [
        "0,0619",
        "2,5",
        "1 000",
        "12 345,6",
    ]


def test_format_euros_exact_keeps_the_decimals_of_an_intermediate_amount() -> None:
    values = ("1.857", "7.2", "5.2615", "0.495819", "3")
    assert [plain(format_euros_exact(D(x))) for x in values] == ["1,857 €", "7,20 €", "5,2615 €", "0,4958 €", "3,00 €"]
