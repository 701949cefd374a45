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
from django.urls import URLPattern, URLResolver, get_resolver

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
