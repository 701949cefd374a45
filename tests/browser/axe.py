"""Runs axe-core (installed from npm into var/node by scripts/ensure-browser-deps.sh) in a page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page

from tests.browser.conftest import save_screenshot

AXE_SOURCE = Path(settings.BASE_DIR) / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
# WCAG 2.0/2.1 A and AA rules plus axe's best practices (landmarks, headings, regions...).
AXE_OPTIONS = {"resultTypes": ["violations"]}


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations of impact serious or critical on the current page.

    Injected with ``evaluate`` (DevTools protocol), which the page's Content-Security-Policy does not
    govern, so the page under test keeps its real, strict policy.
    """
    if not AXE_SOURCE.exists():
        pytest.fail(f"{AXE_SOURCE} is missing: run `bash scripts/ensure-browser-deps.sh` (make test does).")
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;undefined")
    results = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def page_problems(page: Page, name: str) -> list[str]:
    """What is wrong with the current page for a reader: not exactly one ``<h1>`` in ``main``, or axe
    violations; a screenshot is saved under ``name``. Tests collect these and assert none at the end."""
    save_screenshot(page, name)
    problems = []
    if page.locator("main h1").count() != 1:
        problems.append(f"{name}: not exactly one <h1>")
    violations = axe_violations(page)
    if violations:
        problems.append(f"{name}:\n{describe(violations)}")
    # axe's colour checks leave empty style="" attributes behind; htmx's settle step would copy them
    # onto swapped content, which the strict CSP (rightly) reports. They are not the page's own.
    page.evaluate("() => document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))")
    return problems
