"""Production settings pass Django's deployment checklist with no warning, and refuse to start unsafe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "GUICHET_DEBUG": "0",
    "SECRET_KEY": "a-long-production-like-secret-key-used-only-by-this-test-0123456789",
    "ALLOWED_HOSTS": "guichet.mairie.example.fr",
    "DJANGO_SETTINGS_MODULE": "guichet.config.settings",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "GUICHET_DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warning() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key() -> None:
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_default_creates_its_var_directory(tmp_path: Path) -> None:
    """``make demo`` on a fresh clone: no var/ yet, the SQLite file must still open."""
    var_dir = tmp_path / "fresh" / "var"
    env = {"GUICHET_DEBUG": "1", "GUICHET_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "guichet.config.settings"}
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from django.db import connection; connection.ensure_connection(); print('ok')"],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (var_dir / "guichet.sqlite3").exists()
