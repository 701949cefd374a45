"""Walks every URL pattern and API operation for every persona against its declared access rule.

A view or operation without a declared rule (``access_rule``) fails the test: a new page cannot
ship without saying who may see it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from guichet.accounts.access import AccessRule
from guichet.config.api import api
from tests.conftest import PERSONAS, make_persona
from tests.factories import HouseholdFactory

# Django's own patterns that are not views of ours (none today); listed here so that adding one is a decision.
IGNORED_URL_NAMES: set[str] = set()


@dataclass(frozen=True)
class Route:
    path: str
    name: str
    callback: Any


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else pattern.namespace or namespace
            )
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns or "")
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
            yield Route(prefix + str(pattern.pattern), name, pattern.callback)


def page_routes() -> list[Route]:
    return [
        r
        for r in _walk(get_resolver().url_patterns)
        if not r.path.startswith("api/v1/") and r.name not in IGNORED_URL_NAMES
    ]


def api_operations() -> list[tuple[str, str, Any]]:
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append(
                        (
                            method,
                            "/api/v1" + (prefix.rstrip("/") + "/" + path.lstrip("/")).replace("//", "/"),
                            operation.view_func,
                        )
                    )
    return found


def concrete(path: str, sample: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        converter, name = (match.group(1) or "str"), match.group(2)
        if name in sample:
            return sample[name]
        return {"int": "1", "uuid": "00000000-0000-0000-0000-000000000001"}.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, path)


def concrete_api(path: str, sample: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: sample.get(m.group(1), "1"), path)


def test_every_view_declares_its_access_rule() -> None:
    missing = [r.path for r in page_routes() if not isinstance(getattr(r.callback, "access_rule", None), AccessRule)]
    assert missing == [], f"views without a declared access rule: {missing}"


def test_every_api_operation_declares_its_access_rule() -> None:
    operations = api_operations()
    assert operations, "the API declares no operation"
    missing = [f"{m} {p}" for m, p, f in operations if not isinstance(getattr(f, "access_rule", None), AccessRule)]
    assert missing == [], f"API operations without a declared access rule: {missing}"


def _is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and "/comptes/connexion/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", [*PERSONAS, "anonymous"])
def test_pages_follow_their_rule_for_every_persona(persona_name: str) -> None:
    household = HouseholdFactory()
    sample = {"pk": str(household.pk), "household_id": str(household.pk), "reference": household.reference}
    client = Client()
    user = None
    if persona_name != "anonymous":
        user = make_persona(persona_name)
        client.force_login(user)
    failures = []
    for route in page_routes():
        rule: AccessRule = route.callback.access_rule
        url = concrete(route.path, sample)
        response = client.get(url)
        allowed = rule.allows(user) if user else rule.public
        if allowed:
            ok = response.status_code not in (401, 403) and not _is_login_redirect(response)
        elif user is None:
            ok = _is_login_redirect(response) or response.status_code == 401
        else:
            ok = response.status_code == 403
        if not ok:
            failures.append(f"{url} -> {response.status_code} (allowed={allowed})")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona_name", [*PERSONAS, "anonymous"])
def test_api_follows_its_rule_for_every_persona(persona_name: str) -> None:
    household = HouseholdFactory()
    sample = {"pk": str(household.pk), "household_id": str(household.pk)}
    client = Client()
    user = None
    if persona_name != "anonymous":
        user = make_persona(persona_name)
        client.force_login(user)
    failures = []
    for method, path, func in api_operations():
        rule: AccessRule = func.access_rule
        url = concrete_api(path, sample)
        response = client.generic(method, url, data="{}", content_type="application/json")
        allowed = rule.allows(user) if user else rule.public
        if allowed:
            ok = response.status_code not in (401, 403)
        elif user is None:
            ok = response.status_code == 401
        else:
            ok = response.status_code == 403
        if not ok:
            failures.append(f"{method} {url} -> {response.status_code} (allowed={allowed})")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["households:person_merge", "households:person_duplicates"])
def test_person_merge_pages_are_for_responsables_only(name: str) -> None:
    rule: AccessRule = resolve(reverse(name, args=[1])).func.access_rule  # type: ignore[attr-defined]
    assert {persona for persona in PERSONAS if rule.allows(make_persona(persona))} == {"responsable"}


@pytest.mark.parametrize("name", ["desk:public_request", "desk:public_request_done"])
def test_public_request_pages_are_open_to_anonymous_residents(name: str) -> None:
    rule: AccessRule = resolve(reverse(name)).func.access_rule  # type: ignore[attr-defined]
    assert rule == AccessRule(public=True) and rule.allows(None)


# API operations of the single desk (« guichet unique »): the personas each one is open to.
SOCIAL_FOLLOW = {"social", "responsable"}
REQUEST_EDIT = {"accueil", "social", "responsable"}
SINGLE_DESK_API_RULES: dict[tuple[str, str], set[str]] = {
    ("GET", "/api/v1/menages/{household_id}/ressources"): SOCIAL_FOLLOW,
    ("POST", "/api/v1/menages/{household_id}/ressources"): SOCIAL_FOLLOW,
    ("PATCH", "/api/v1/ressources/{resource_id}"): SOCIAL_FOLLOW,
    ("DELETE", "/api/v1/ressources/{resource_id}"): SOCIAL_FOLLOW,
    ("POST", "/api/v1/menages/{household_id}/charges"): SOCIAL_FOLLOW,
    ("PATCH", "/api/v1/charges/{charge_id}"): SOCIAL_FOLLOW,
    ("DELETE", "/api/v1/charges/{charge_id}"): SOCIAL_FOLLOW,
    ("PATCH", "/api/v1/demandes/{request_id}"): REQUEST_EDIT,
    ("POST", "/api/v1/orientations/{referral_id}/reponse"): SOCIAL_FOLLOW,
    ("POST", "/api/v1/partenaires"): {"responsable", "admin"},
    ("PATCH", "/api/v1/partenaires/{partner_id}"): {"responsable", "admin"},
    ("GET", "/api/v1/rendez-vous/{appointment_id}"): REQUEST_EDIT,
    ("POST", "/api/v1/rendez-vous"): REQUEST_EDIT,
    ("POST", "/api/v1/rendez-vous/{appointment_id}/deplacer"): REQUEST_EDIT,
    ("POST", "/api/v1/rendez-vous/{appointment_id}/annuler"): REQUEST_EDIT,
    ("POST", "/api/v1/rendez-vous/{appointment_id}/marquer"): REQUEST_EDIT,
}


@pytest.mark.django_db
def test_single_desk_api_operations_keep_their_rules() -> None:
    rules = {(method, path): func.access_rule for method, path, func in api_operations()}
    users = {name: make_persona(name) for name in PERSONAS}
    for operation, expected in SINGLE_DESK_API_RULES.items():
        rule: AccessRule = rules[operation]
        assert {name for name, user in users.items() if rule.allows(user)} == expected, operation


# Agenda settings pages: places (settings), opening slots (agents), no-show statistics (names agents).
AGENDA_PAGE_RULES: dict[tuple[str, tuple[int, ...]], set[str]] = {
    ("agenda:places", ()): {"responsable", "admin"},
    ("agenda:place_new", ()): {"responsable", "admin"},
    ("agenda:place_edit", (1,)): {"responsable", "admin"},
    ("agenda:place_delete", (1,)): {"responsable", "admin"},
    ("agenda:availabilities", ()): {"accueil", "social", "responsable"},
    ("agenda:availability_new", ()): {"accueil", "social", "responsable"},
    ("agenda:availability_edit", (1,)): {"accueil", "social", "responsable"},
    ("agenda:availability_delete", (1,)): {"accueil", "social", "responsable"},
    ("agenda:stats", ()): {"responsable"},
}


@pytest.mark.django_db
def test_agenda_settings_pages_keep_their_rules() -> None:
    users = {name: make_persona(name) for name in PERSONAS}
    for (name, args), expected in AGENDA_PAGE_RULES.items():
        rule: AccessRule = resolve(reverse(name, args=args)).func.access_rule  # type: ignore[attr-defined]
        assert {persona for persona, user in users.items() if rule.allows(user)} == expected, name
