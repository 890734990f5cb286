"""The Dockerfile and docker-compose.yml name only things that exist.

No Docker engine runs in CI, so these tests check what a typo would otherwise break
at deploy time: the services, the Python objects and commands they start, the
environment variables they set, and the URLs their health checks probe.
"""

import ast
import importlib
import inspect
import json
import os
import re
import shlex
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import get_commands
from django.test import Client
from django.urls import resolve

import dj_database_url
import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
# The services that run the portal's own image (the others are postgres and redis).
APP_SERVICES = sorted(name for name, service in SERVICES.items() if "build" in service)
# Variables an app container may set that are not Django settings, with their reader.
NOT_SETTINGS = {"WEB_CONCURRENCY": "gunicorn's worker count"}
# Matches "module.path:attribute" (gunicorn's app spec), not "0.0.0.0:8000".
APP_SPEC = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.lstrip().startswith("#"):
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        if pending.strip():
            keyword, _, rest = pending.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
        pending = ""
    return instructions


def dockerfile(keyword: str) -> list[str]:
    return [rest for name, rest in dockerfile_instructions() if name == keyword]


def dockerfile_cmd() -> list[str]:
    (cmd,) = dockerfile("CMD")
    return json.loads(cmd)  # exec form: signals reach gunicorn, not a shell


def dockerfile_healthcheck() -> list[str]:
    """In compose's form: ["CMD", *exec-form arguments]."""
    (healthcheck,) = dockerfile("HEALTHCHECK")
    return ["CMD", *json.loads(healthcheck.split(" CMD ", 1)[1])]


def command(service: str) -> list[str]:
    value = SERVICES[service]["command"]
    return shlex.split(value) if isinstance(value, str) else list(value)


def healthcheck(service: str) -> list[str]:
    return list(SERVICES[service]["healthcheck"]["test"])


def probe_code(test: list[str]) -> str:
    """The Python source of a ["CMD", "python", "-c", source] health check."""
    assert test[:3] == ["CMD", "python", "-c"], test
    return test[3]


def gunicorn_app_spec(args: list[str]) -> str:
    (spec,) = [arg for arg in args if APP_SPEC.match(arg)]
    return spec


def gunicorn_bind_port(args: list[str]) -> int:
    for index, arg in enumerate(args):
        if arg.startswith("--bind="):
            return int(arg.rsplit(":", 1)[1])
        if arg in ("--bind", "-b"):
            return int(args[index + 1].rsplit(":", 1)[1])
    raise AssertionError(f"no --bind in {args}")


def environment_variables_read_by_settings() -> set[str]:
    """Every environment variable name portal/settings.py reads, found in its syntax tree.

    Readers: os.environ.get("X"), os.environ["X"], os.getenv("X"), the env* helpers
    defined in settings.py, and dj_database_url.config(), which reads DATABASE_URL.
    """
    source = (ROOT / "portal" / "settings.py").read_text()
    tree = ast.parse(source)
    helpers = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and "os.environ" in ast.unparse(node)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = ast.unparse(node.func)
            if func == "dj_database_url.config":
                env = next((k.value for k in node.keywords if k.arg == "env"), None)
                default = inspect.signature(dj_database_url.config).parameters["env"].default
                names.add(ast.literal_eval(env) if env is not None else default)
            elif (
                func in {"os.environ.get", "os.getenv", *helpers}
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return names


# --- The compose file ------------------------------------------------------------------


def test_compose_file_defines_the_production_services() -> None:
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(SERVICES)
    assert APP_SERVICES == ["beat", "migrate", "web", "worker"]


def test_app_services_share_the_anchored_environment() -> None:
    shared = SERVICES["migrate"]["environment"]
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"} <= set(shared)
    for name in APP_SERVICES:
        environment = SERVICES[name]["environment"]
        assert {key: environment[key] for key in shared} == shared, name


def test_secrets_and_hosts_must_be_given_rather_than_defaulted() -> None:
    environment = SERVICES["web"]["environment"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", environment["SECRET_KEY"])
    assert re.fullmatch(r"\$\{ALLOWED_HOSTS:\?[^}]+\}", environment["ALLOWED_HOSTS"])
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )


def test_production_environment_serves_https_behind_a_proxy() -> None:
    environment = SERVICES["web"]["environment"]
    assert environment["STATIC_MANIFEST"] == "true"
    assert environment["IS_HTTPS"] == "${IS_HTTPS:-true}"
    assert environment["SECURE_PROXY_SSL_HEADER_ENABLED"] == "true"


def test_settings_reader_finds_the_known_variables() -> None:
    """Guards the next test: an empty result would let every name through."""
    assert {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "IS_HTTPS",
        "STATIC_MANIFEST",
        "SECURE_PROXY_SSL_HEADER_ENABLED",
        "EMAIL_HOST",
        "DEBUG",
    } <= environment_variables_read_by_settings()


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_variable_an_app_service_sets_is_read_by_settings(service: str) -> None:
    known = environment_variables_read_by_settings() | set(NOT_SETTINGS)
    unknown = set(SERVICES[service]["environment"]) - known
    assert not unknown, f"{service} sets variables nothing reads (typo?): {sorted(unknown)}"


def test_app_services_start_after_their_dependencies() -> None:
    def conditions(name: str) -> dict[str, str]:
        return {dep: spec["condition"] for dep, spec in SERVICES[name]["depends_on"].items()}

    ready = {"postgres": "service_healthy", "redis": "service_healthy"}
    migrated = {"migrate": "service_completed_successfully"}
    assert conditions("migrate") == {"postgres": "service_healthy"}
    assert conditions("web") == ready | migrated
    assert conditions("worker") == ready | migrated
    assert conditions("beat")["redis"] == "service_healthy"
    assert SERVICES["migrate"]["restart"] == "no"


def test_backing_services_have_health_checks_and_volumes() -> None:
    assert SERVICES["postgres"]["image"].split(":")[1].startswith(("15", "16"))
    assert SERVICES["redis"]["image"].split(":")[1].startswith("7")
    assert healthcheck("postgres")[:2] == ["CMD", "pg_isready"]
    assert healthcheck("redis") == ["CMD", "redis-cli", "ping"]
    for name in ("postgres", "redis"):
        (volume,) = SERVICES[name]["volumes"]
        assert volume.split(":")[0] in COMPOSE["volumes"]


# --- Python objects and commands they name ------------------------------------------------


def test_web_and_the_image_run_the_same_wsgi_application() -> None:
    web = command("web")
    image = dockerfile_cmd()
    assert web[0] == image[0] == "gunicorn"
    assert gunicorn_app_spec(web) == gunicorn_app_spec(image) == "portal.wsgi:application"
    module, attribute = gunicorn_app_spec(web).split(":")
    application = getattr(importlib.import_module(module), attribute)
    assert isinstance(application, WSGIHandler)
    assert f"{module}.{attribute}" == settings.WSGI_APPLICATION


@pytest.mark.parametrize("source", ["compose web", "Dockerfile CMD"])
def test_gunicorn_accepts_the_command_line_and_loads_the_app(source: str) -> None:
    args = command("web") if source == "compose web" else dockerfile_cmd()
    # --check-config parses every option and imports the application, then exits.
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", *args[1:], "--check-config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"STATIC_MANIFEST": "false"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_celery_app_option_finds_the_portal_app_with_its_tasks() -> None:
    for name in ("worker", "beat"):
        args = command(name)
        assert args[:3] == ["celery", "-A", "portal"], name
    app = find_app("portal")  # what `celery -A portal` does
    assert isinstance(app, Celery)
    assert app.main == "portal"
    app.loader.import_default_modules()
    assert "portal.tasks.ping" in app.tasks


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_accepts_the_command_line(service: str) -> None:
    # --help comes after the other options, so click has parsed them (and the -A app
    # has loaded) before it prints; a misspelled option fails with "No such option".
    result = subprocess.run(
        [sys.executable, "-m", "celery", *command(service)[1:], "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_worker_health_check_command_is_valid() -> None:
    test = healthcheck("worker")
    assert test[0] == "CMD-SHELL"
    # Compose turns $$ into $, the container's shell expands $HOSTNAME.
    args = shlex.split(test[1].replace("$$HOSTNAME", "worker-host"))
    assert args[:5] == ["celery", "-A", "portal", "inspect", "ping"]
    assert "celery@worker-host" in args  # the default node name of `celery worker`
    result = subprocess.run(
        [sys.executable, "-m", "celery", *args[1:], "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_beat_keeps_its_schedule_on_a_writable_volume() -> None:
    (schedule,) = [a.split("=", 1)[1] for a in command("beat") if a.startswith("--schedule=")]
    (volume,) = SERVICES["beat"]["volumes"]
    name, mount = volume.split(":")
    assert name in COMPOSE["volumes"]
    assert Path(schedule).parent == Path(mount)
    # The image creates the directory owned by its user, so the volume inherits that.
    assert any(f"-o portal -g portal {mount}" in run for run in dockerfile("RUN"))


def test_every_manage_py_subcommand_exists() -> None:
    named = [
        args[args.index("manage.py") + 1]
        for args in (command(name) for name in APP_SERVICES)
        if "manage.py" in args
    ]
    named += [m for run in dockerfile("RUN") for m in re.findall(r"manage\.py\s+(\w+)", run)]
    assert {"migrate", "collectstatic", "compilemessages"} <= set(named)
    missing = set(named) - set(get_commands())
    assert not missing


# --- The image ------------------------------------------------------------------------------


def test_image_is_slim_python_311_and_runs_as_a_user() -> None:
    (base,) = dockerfile("FROM")
    assert base.startswith("python:3.11-slim")
    (user,) = dockerfile("USER")
    assert user not in {"root", "0"}
    assert "STATIC_MANIFEST=true" in " ".join(dockerfile("ENV"))
    assert any("requirements/base.txt" in run for run in dockerfile("RUN"))


def test_collectstatic_succeeds_with_the_manifest_storage(tmp_path: Path) -> None:
    """The image build runs this step; a missing file a stylesheet refers to breaks it."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | {"STATIC_MANIFEST": "true", "STATIC_ROOT": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    assert "css/portal.css" in manifest["paths"]


def dockerignore_regex(pattern: str) -> re.Pattern[str]:
    """Docker's pattern syntax: `*` and `?` stay within one path segment, `**/` spans any."""
    regex = ""
    for token in re.split(r"(\*\*/|\*|\?)", pattern.strip("/")):
        regex += {"**/": "(?:.*/)?", "*": "[^/]*", "?": "[^/]"}.get(token, re.escape(token))
    return re.compile(regex)


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps `path` out: it or a parent directory matches (no `!`)."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    regexes = [dockerignore_regex(pattern) for pattern in patterns]
    return any(regex.fullmatch(candidate) for regex in regexes for candidate in candidates)


def test_dockerignore_keeps_secrets_out_and_the_app_in() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert not any(p.startswith("!") for p in patterns), "dockerignored() ignores exceptions"
    for path in (
        ".env",
        ".venv/bin/python",
        "db.sqlite3",
        ".git/config",
        "portal/__pycache__/settings.cpython-311.pyc",
        "staticfiles/staticfiles.json",
    ):
        assert dockerignored(path, patterns), path
    for path in (
        "manage.py",
        "portal/settings.py",
        "portal/wsgi.py",
        "requirements/base.txt",
        "templates/base.html",
        "static/css/portal.css",
        "locale/nl/LC_MESSAGES/django.mo",
        "partners/models/__init__.py",
        "portal/lib/models.py",
    ):
        assert not dockerignored(path, patterns), path


# --- Health checks ------------------------------------------------------------------------


def test_health_checks_probe_real_urls_on_the_gunicorn_port() -> None:
    for test, args, url_name in (
        (healthcheck("web"), command("web"), "readyz"),
        (dockerfile_healthcheck(), dockerfile_cmd(), "healthz"),
    ):
        (url,) = re.findall(r"http://[^'\"]+", probe_code(test))
        parts = urlsplit(url)
        assert parts.port == gunicorn_bind_port(args)
        assert resolve(parts.path).url_name == url_name
    for name in ("migrate", "beat"):
        assert SERVICES[name]["healthcheck"] == {"disable": True}


def run_probe(code: str, client: Client, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run a health check's Python source with urlopen answered by the test client.

    Errors propagate as they would in the container (urllib raises HTTPError on 4xx
    and 5xx, which makes `python -c` exit non-zero). Returns the Host headers sent.
    """
    hosts: list[str] = []

    def urlopen(request: urllib.request.Request, timeout: float | None = None) -> object:
        url = urlsplit(request.full_url)
        host = request.get_header("Host") or url.netloc  # urllib's default Host
        hosts.append(host)
        response = client.get(url.path, headers={"host": host})
        if 300 <= response.status_code < 400:
            raise AssertionError(f"probe redirected to {response['Location']}")
        if response.status_code >= 400:
            raise HTTPError(request.full_url, response.status_code, "", None, None)
        return response

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    exec(compile(code, "<healthcheck>", "exec"), {})  # noqa: S102 - our own compose file
    return hosts


@pytest.mark.parametrize("source", ["compose web", "Dockerfile"])
def test_health_check_passes_with_a_production_host_name(
    source: str, db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # gunicorn sees Host: 127.0.0.1:8000 unless the probe says otherwise, and Django
    # answers 400 to a host outside ALLOWED_HOSTS.
    settings.ALLOWED_HOSTS = ["portal.example.nl", ".example.nl"]
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""
    monkeypatch.setenv("ALLOWED_HOSTS", "portal.example.nl,.example.nl")
    test = healthcheck("web") if source == "compose web" else dockerfile_healthcheck()
    assert run_probe(probe_code(test), Client(), monkeypatch) == ["portal.example.nl"]


def test_health_check_fails_when_the_host_is_not_allowed(
    db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe really goes through ALLOWED_HOSTS, so the test above means something."""
    settings.ALLOWED_HOSTS = ["portal.example.nl"]
    monkeypatch.setenv("ALLOWED_HOSTS", "other.example.nl")
    with pytest.raises(HTTPError) as failure:
        run_probe(probe_code(healthcheck("web")), Client(), monkeypatch)
    assert failure.value.code == 400
