"""Shared form helpers: the ISO date input and the parser of typed ages."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from guichet.widgets import MAX_CHILD_AGE, ChildrenAgesField, IsoDateInput, euro_field, parse_ages


def test_date_input_renders_iso_so_the_browser_shows_it() -> None:
    html = IsoDateInput().render("day", dt.date(2026, 12, 1))
    assert 'type="date"' in html and 'value="2026-12-01"' in html


@pytest.mark.parametrize(
    ("raw", "ages"),
    [("", []), ("4", [4]), ("4, 7", [4, 7]), (" 3 ;12,, 0 ", [3, 12, 0]), ("25", [25])],
)
def test_ages_are_read_with_commas_or_semicolons(raw: str, ages: list[int]) -> None:
    assert parse_ages(raw) == ages


@pytest.mark.parametrize("raw", ["26", "4, sept", "-1", "3.5", "²", "٣"])
def test_a_wrong_age_is_named_in_french(raw: str) -> None:
    with pytest.raises(forms.ValidationError, match="n'est pas un âge valide"):
        parse_ages(raw)


@given(st.lists(st.integers(min_value=0, max_value=MAX_CHILD_AGE), max_size=8), st.sampled_from([",", ";", " , "]))
def test_typed_ages_read_back(ages: list[int], separator: str) -> None:
    assert parse_ages(separator.join(map(str, ages))) == ages


@given(st.text(alphabet=st.sampled_from("0123456789²٣,; -a"), max_size=30) | st.text(max_size=30))
def test_any_text_gives_ages_or_a_validation_error(raw: str) -> None:
    try:
        ages = parse_ages(raw)
    except forms.ValidationError:
        return
    assert all(0 <= age <= MAX_CHILD_AGE for age in ages)


class _PublicForm(forms.Form):
    children_ages = ChildrenAgesField(label="Âge des enfants")
    amount = euro_field("Montant", max_value=1000, max_digits=6)


def test_children_ages_field_cleans_to_a_list_and_may_be_left_empty() -> None:
    form = _PublicForm({"children_ages": " 3 ; 12", "amount": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"children_ages": [3, 12], "amount": None}
    assert _PublicForm({"children_ages": "", "amount": ""}).is_valid()


def test_children_ages_field_names_a_wrong_age() -> None:
    form = _PublicForm({"children_ages": "4, trente", "amount": ""})
    assert not form.is_valid()
    assert "« trente » n'est pas un âge valide" in form.errors["children_ages"][0]


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1 234,50", None),  # above max_value
        ("12,5", Decimal("12.50")),
        ("12.5", Decimal("12.50")),
        ("0", Decimal(0)),
        ("1 000", Decimal(1000)),
        ("1\u00a0000,00", Decimal(1000)),
        ("1\u202f000", Decimal(1000)),
        (" 999,99 € ", Decimal("999.99")),
        ("12€50", Decimal("12.50")),
        ("12 € 50", Decimal("12.50")),
    ],
)
def test_euro_field_reads_french_decimals_within_its_bounds(typed: str, amount: Decimal | None) -> None:
    form = _PublicForm({"children_ages": "", "amount": typed})
    if amount is None:  # above max_value
        assert not form.is_valid() and "amount" in form.errors
    else:
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == amount


def test_euro_field_refuses_a_negative_amount_in_french() -> None:
    form = _PublicForm({"children_ages": "", "amount": "-5"})
    assert not form.is_valid()
    assert "supérieure ou égale à 0" in form.errors["amount"][0]


@pytest.mark.parametrize("typed", ["douze", "12,5,3", "12,5€3", "€5€", "--5"])
def test_euro_field_refuses_what_is_not_an_amount(typed: str) -> None:
    form = _PublicForm({"children_ages": "", "amount": typed})
    assert not form.is_valid()
    assert form.errors["amount"] == ["Saisissez un nombre."]
