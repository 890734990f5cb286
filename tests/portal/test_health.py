"""The health probes: /healthz (liveness) and /readyz (readiness)."""

from typing import Any
from unittest import mock

from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

import pytest

HEALTHZ = reverse("healthz")
READYZ = reverse("readyz")
# Port 1 on loopback: nothing listens there, so connecting fails at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def without_redis(settings: Any) -> None:
    """Readiness as in the demo: no REDIS_URL, so only the database is checked.

    The integration run sets REDIS_URL in the environment; these tests fix it.
    """
    settings.REDIS_URL = ""


def test_healthz_answers_ok_without_touching_the_database(
    client: Client, db: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    # A cached "ok" from a proxy would hide a dead process.
    assert "no-cache" in response["Cache-Control"]


def test_healthz_works_while_the_database_is_down(client: Client, db: None) -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")) as cursor:
        response = client.get(HEALTHZ)
    assert response.status_code == 200
    cursor.assert_not_called()


def test_readyz_answers_ok_when_the_database_answers(
    client: Client, db: None, without_redis: None
) -> None:
    response = client.get(READYZ)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_503_when_the_database_is_unreachable(
    client: Client, db: None, without_redis: None
) -> None:
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ) as cursor:
        response = client.get(READYZ)
    cursor.assert_called()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unavailable"}}


def test_readyz_answers_503_when_redis_is_configured_but_unreachable(
    client: Client, db: None, settings: Any
) -> None:
    settings.REDIS_URL = UNREACHABLE_REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
        }
    }
    response = client.get(READYZ)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unavailable"},
    }


def test_readyz_checks_the_cache_when_redis_is_configured(
    client: Client, db: None, settings: Any
) -> None:
    """The Redis check goes through Django's cache; a working cache passes it."""
    settings.REDIS_URL = UNREACHABLE_REDIS  # only switches the check on
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    response = client.get(READYZ)
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


@pytest.mark.parametrize("url", [HEALTHZ, READYZ])
def test_probes_reject_post(client: Client, db: None, url: str) -> None:
    response = client.post(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("url", [HEALTHZ, READYZ])
def test_probes_answer_head_requests(client: Client, db: None, url: str) -> None:
    """Some load balancers probe with HEAD."""
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("url", [HEALTHZ, READYZ])
def test_probes_are_not_redirected_to_https(
    db: None, settings: Any, without_redis: None, url: str
) -> None:
    # SecurityMiddleware reads its settings when the handler loads the middleware, so
    # the client is made after the override.
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    response = client.get(url)
    assert response.status_code == 200
    # The same client does redirect other pages: the exemption, not the setting, is
    # what keeps the probes on plain http.
    other = client.get(reverse("login"))
    assert other.status_code == 301
    assert other["Location"].startswith("https://")
