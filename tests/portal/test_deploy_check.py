"""`manage.py check --deploy` passes with production settings, and only with them."""

import secrets
import string
import subprocess
import sys
from pathlib import Path

from django.conf import settings

import pytest

ROOT = Path(settings.BASE_DIR)


def deploy_check(**environment: str) -> subprocess.CompletedProcess[str]:
    """Run the deploy check in a fresh process with only the given settings variables.

    The environment is built from scratch: the test run's own variables (IS_HTTPS=false
    from tests/testenv.py, a CI DATABASE_URL or REDIS_URL) must not leak in.
    """
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings", **environment},
    )


def production_environment() -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!#%&()*+,-./:;<=>?@[]^_{|}~"
    return {
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "ALLOWED_HOSTS": "portal.example.nl",
        # DEBUG and IS_HTTPS unset: their defaults (false, true) are production's.
    }


def test_production_settings_pass_the_deploy_check() -> None:
    result = deploy_check(**production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_the_demo_secret_key_fails_the_deploy_check() -> None:
    environment = production_environment()
    del environment["SECRET_KEY"]  # falls back to the demo key
    result = deploy_check(**environment)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "checks"),
    [
        ("DEBUG", "true", ["security.W018"]),
        # No HSTS, no https redirect, session and CSRF cookies sent over http.
        ("IS_HTTPS", "false", ["security.W004", "security.W008", "security.W012", "security.W016"]),
    ],
)
def test_demo_switches_fail_the_deploy_check(variable: str, value: str, checks: list[str]) -> None:
    result = deploy_check(**production_environment() | {variable: value})
    assert result.returncode != 0
    for check in checks:
        assert check in result.stderr
