"""Dated parameters: periods, staleness, "to verify" flags, file errors, overrides."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.rules.money import format_euros, format_euros_exact, format_number, round_money
from guichet.rules.parameters import (
    DATA_DIR,
    STALE,
    TO_VERIFY,
    ParameterError,
    ParameterReader,
    check_parameters_dir,
    load_parameters,
    overridden_names,
    packaged_parameters,
    parameters_dir,
    parameters_from_mapping,
    parameters_report,
    shipped_files,
    use_parameters_dir,
    with_overrides,
)
from guichet.rules.quotient import caf_parameters
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


def test_warnings_say_their_kind_without_being_read() -> None:
    """Screens leave the « to verify » note out by its code: rewording the sentence cannot break them."""
    reader = ParameterReader(parameters_from_mapping(FLOOR), dt.date(2026, 3, 1))
    reader.decimal("floor")
    lines = reader.warnings()
    assert [line.code for line in lines] == [STALE, TO_VERIFY]
    assert all(isinstance(line, str) and str(line) == line for line in lines)
    copied = pickle.loads(pickle.dumps(lines))  # noqa: S301 - our own data, to check the code survives a copy
    assert copied == lines and [line.code for line in copied] == [STALE, TO_VERIFY]


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


# --- a commune's override directory -------------------------------------------------------------


@pytest.fixture
def override_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    use_parameters_dir(None)


PSU_FLOOR_2026 = """# Plancher PSU 2026 corrigé par la commune
[psu_floor]
source = "CNAF — plancher 2026 (circulaire de la commune)"
values = [
  { from = 2025-01-01, to = 2025-12-31, value = "801.00" },
  { from = 2026-01-01, to = 2026-12-31, value = "812.50" },
]
"""


def test_override_directory_replaces_a_parameter_by_name_and_leaves_the_others(override_dir: Path) -> None:
    shipped_ceiling = packaged_parameters("psu")["psu_ceiling"]
    (override_dir / "psu.toml").write_text(PSU_FLOOR_2026, encoding="utf-8")
    use_parameters_dir(override_dir)
    psu = packaged_parameters("psu")
    found = psu["psu_floor"].lookup(dt.date(2026, 3, 1))
    assert (found.value, found.stale, found.to_verify) == (D("812.50"), False, False)
    assert found.source == "CNAF — plancher 2026 (circulaire de la commune)"
    assert psu["psu_ceiling"] == shipped_ceiling
    assert overridden_names("psu") == {"psu_floor"} and overridden_names("quotient_caf") == set()
    assert parameters_dir() == override_dir
    use_parameters_dir(None)
    assert packaged_parameters("psu")["psu_floor"].lookup(dt.date(2026, 3, 1)).stale


def test_override_changes_the_rules_that_use_the_parameter(override_dir: Path) -> None:
    (override_dir / "quotient_caf.toml").write_text(
        '[parts_couple]\nsource = "CAF locale"\nvalues = [{ from = 2000-01-01, value = "2.5" }]\n', encoding="utf-8"
    )
    use_parameters_dir(override_dir)
    assert caf_parameters()["parts_couple"].decimal_at(dt.date(2026, 1, 1)) == D("2.5")


@pytest.mark.parametrize(
    ("filename", "content", "messages"),
    [
        ("psu.toml", "[psu_floor]\nvalues = [{ from = 2026-01-01, value = }]\n", ["psu.toml, ligne 2, colonne"]),
        (
            "psu.toml",
            '# commentaire\n\n[psu_plancher]\nvalues = [{ from = 2026-01-01, value = "1" }]\n',
            ["psu.toml, ligne 3 : paramètre inconnu « psu_plancher »", "psu_floor"],
        ),
        (
            "psu.toml",
            '[psu_ceiling]\nvalues = [{ from = 2026-01-01, value = "1" }]\n\n[psu_floor]\nvalues = [{ value = "1" }]\n',
            ["psu.toml, ligne 4 [psu_floor] valeur n° 1 : « from » et « value » sont obligatoires"],
        ),
        ("tarifs.toml", "", ["tarifs.toml : fichier inconnu", "psu.toml"]),
    ],
)
def test_a_bad_override_directory_is_refused_with_file_and_line(
    override_dir: Path, filename: str, content: str, messages: list[str]
) -> None:
    (override_dir / filename).write_text(content, encoding="utf-8")
    errors = "\n".join(check_parameters_dir(override_dir))
    for message in messages:
        assert message in errors
    with pytest.raises(ParameterError) as refused:
        use_parameters_dir(override_dir)
    assert str(refused.value) == errors
    assert parameters_dir() is None


def test_missing_override_directory_is_refused(tmp_path: Path) -> None:
    assert check_parameters_dir(tmp_path / "absent") == [
        f"{tmp_path / 'absent'} : le dossier des paramètres de la commune n'existe pas."
    ]


def test_shipped_files_are_the_data_files() -> None:
    assert shipped_files() == ("cantine_1_euro", "fiscal_parts", "psu", "quotient_caf")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    comments=st.integers(min_value=0, max_value=5),
    starts=st.lists(
        st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)), min_size=1, max_size=4, unique=True
    ),
    amounts=st.lists(st.decimals(min_value=0, max_value=100_000, places=2), min_size=4, max_size=4),
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2045, 1, 1)),
)
def test_any_well_formed_correction_is_used_and_any_unknown_name_is_located(
    tmp_path_factory: pytest.TempPathFactory,
    comments: int,
    starts: list[dt.date],
    amounts: list[D],
    day: dt.date,
) -> None:
    directory = tmp_path_factory.mktemp("commune")
    values = ", ".join(
        f'{{ from = {start}, value = "{amount}" }}' for start, amount in zip(starts, amounts, strict=False)
    )
    header = "# commentaire\n" * comments
    (directory / "psu.toml").write_text(f'{header}[psu_ceiling]\nsource = "commune"\nvalues = [{values}]\n', "utf-8")
    try:
        use_parameters_dir(directory)
        ceiling = packaged_parameters("psu")["psu_ceiling"]
        in_force = [amount for start, amount in sorted(zip(starts, amounts, strict=False)) if start <= day]
        if in_force:
            assert ceiling.decimal_at(day) == in_force[-1]
        else:
            with pytest.raises(ParameterError):
                ceiling.lookup(day)
    finally:
        use_parameters_dir(None)
    (directory / "psu.toml").write_text(f"{header}[psu_plafond]\nvalues = [{values}]\n", "utf-8")
    assert check_parameters_dir(directory)[0].startswith(f"{directory / 'psu.toml'}, ligne {comments + 1} :")
