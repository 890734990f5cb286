"""Browser-side hardening: CSP and security headers, no inline code, cookies, CSRF and
session expiry under htmx, and GET requests that never write."""

import json
import os
import re
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils.deprecation import RemovedInDjango60Warning

import pytest

from partners.models import Organisation
from portal.lib.models import User
from tests.factories import UserFactory
from tests.urlwalk import Route, all_routes, example_url_values

BASE_DIR = Path(settings.BASE_DIR)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def url_values(organisation: Organisation, example_objects: dict[str, int]) -> dict[str, object]:
    return example_url_values(organisation, example_objects)


def portal_routes() -> list[Route]:
    return [route for route in all_routes() if not route.is_admin]


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


# --- (a) Headers on every HTML response ---------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def header_problems(response) -> list[str]:
    problems = []
    header = response.get("Content-Security-Policy")
    if header is None:
        return ["no Content-Security-Policy header"]
    if "'unsafe-" in header:
        problems.append(f"CSP allows an unsafe source: {header}")
    directives = csp_directives(header)
    for name in ("object-src", "base-uri", "frame-ancestors"):
        if directives.get(name) != ["'none'"]:
            problems.append(f"CSP {name} is {directives.get(name)}, not 'none'")
    for name in ("default-src", "script-src", "style-src"):
        if "*" in directives.get(name, []) or "data:" in directives.get(name, []):
            problems.append(f"CSP {name} is too broad: {directives[name]}")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    # Stricter is fine: the personal thermometer link sends no referrer at all.
    stricter = {"Referrer-Policy": {"no-referrer"}}
    for name, value in expected.items():
        if response.get(name) != value and response.get(name) not in stricter.get(name, ()):
            problems.append(f"{name} is {response.get(name)!r}, not {value!r}")
    return problems


def test_the_header_check_catches_a_weak_policy(client: Client, db: None) -> None:
    response = client.get(reverse("login"))
    assert header_problems(response) == []
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'self'"
    )
    del response.headers["X-Frame-Options"]
    problems = header_problems(response)
    assert any("unsafe" in problem for problem in problems)
    assert any("object-src" in problem for problem in problems)
    assert any("base-uri" in problem for problem in problems)
    assert any("X-Frame-Options" in problem for problem in problems)


def test_every_html_response_carries_the_security_headers(
    client: Client,
    outsider_client: Client,
    admin_client_portal: Client,
    url_values: dict[str, object],
) -> None:
    """Every page as anonymous, outsider (403s) and beheerder, plus the error pages."""
    csrf_client = Client(enforce_csrf_checks=True)
    responses = {
        "404": client.get("/no-such-page/"),
        "400": admin_client_portal.get(reverse("partners:organisation_list"), {"kind": "x"}),
        "403 csrf": csrf_client.post(reverse("login"), {}),
        "admin login": client.get(reverse("admin:login")),
    }
    for route in portal_routes():
        url = route.url(url_values)
        for label, user_client in [
            ("anonymous", client),
            ("outsider", outsider_client),
            ("beheerder", admin_client_portal),
        ]:
            responses[f"{label} GET {url}"] = user_client.get(url)
            responses[f"{label} htmx GET {url}"] = user_client.get(url, headers=HTMX)
    html = {label: response for label, response in responses.items() if is_html(response)}
    problems = {label: header_problems(response) for label, response in html.items()}
    assert {label: found for label, found in problems.items() if found} == {}
    statuses = {response.status_code for response in html.values()}
    assert {200, 302, 400, 403, 404, 405} <= statuses, "the check missed a kind of page"


def test_the_csp_nonce_in_the_header_is_the_one_on_the_htmx_script(
    client: Client, db: None
) -> None:
    response = client.get(reverse("login"))
    nonces = re.findall(r'<script\b[^>]*\snonce="([^"]+)"', response.content.decode())
    assert nonces, "htmx_script should carry the CSP nonce (request.csp_nonce)"
    script_src = csp_directives(response["Content-Security-Policy"])["script-src"]
    assert all(f"'nonce-{nonce}'" in script_src for nonce in nonces)


# --- (b) No inline code, no CDN: a scan of the templates ---------------------------------

COMMENTS = re.compile(
    r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.DOTALL
)
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
EXTERNAL = r"""\s*=\s*["']?\s*(?:https?:)?//"""
RULES = [
    ("inline <script> without src", re.compile(r"^<script\b(?![^>]*\ssrc\s*=)", re.I)),
    ("<style> element", re.compile(r"^<style\b", re.I)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("on* event handler attribute", re.compile(r"\son[a-z]+\s*=", re.I)),
    # hx-on evaluates its value as code, which a strict CSP forbids.
    ("hx-on attribute", re.compile(r"\s(?:data-)?hx-on\b", re.I)),
    ("javascript: URL", re.compile(r"""=\s*["']?\s*javascript:""", re.I)),
    ("hx-vals with code", re.compile(r"""\shx-vals\s*=\s*["']?\s*(?:js|javascript):""", re.I)),
    ("external <script src>", re.compile(rf"^<script\b[^>]*\ssrc{EXTERNAL}", re.I)),
    ("external <link href>", re.compile(rf"^<link\b[^>]*\shref{EXTERNAL}", re.I)),
]


def scan(html: str) -> list[str]:
    """What a strict CSP would block (or a CDN would leak) in a template or page."""
    found = []
    for tag in TAG.finditer(COMMENTS.sub("", html)):
        found += [f"{rule}: {tag[0]}" for rule, pattern in RULES if pattern.search(tag[0])]
    return found


@pytest.mark.parametrize(
    "bad",
    [
        '<button onclick="save()">Save</button>',
        "<button type=button onclick=save()>Save</button>",
        '<button\n    class="utrecht-button"\n    onClick="save()"\n>Save</button>',
        '<body onload="init()">',
        "<script>alert(1)</script>",
        '<script type="module">import "/x.js"</script>',
        "<style>p { color: red }</style>",
        '<p style="color: red">',
        '<div hx-on:click="alert(1)">',
        '<div hx-on::after-request="alert(1)">',
        '<a href="javascript:alert(1)">',
        """<button hx-post="/x" hx-vals='js:{at: Date.now()}'>""",
        '<script src="https://unpkg.com/htmx.org"></script>',
        '<script src="//cdn.example.com/htmx.js"></script>',
        '<link rel="stylesheet" href="https://cdn.example.com/nlds.css">',
    ],
)
def test_the_scanner_catches(bad: str) -> None:
    assert scan(bad)


@pytest.mark.parametrize(
    "good",
    [
        "<script src=\"{% static 'js/portal.js' %}\" defer></script>",
        '<script src="/static/django_htmx/htmx-2.min.js" defer nonce="abc"></script>',
        '<link rel="stylesheet" href="{% static \'css/portal.css\' %}">',
        '<link rel="icon" href="data:,">',
        '<a href="https://www.utrecht.nl/">Utrecht</a>',
        '<input name="once" data-online="true" class="on">',
        "<p>Click on = to compare</p>",
        "{# htmx: no injected <style>, no eval #}",
        "<!-- <script>alert(1)</script> -->",
    ],
)
def test_the_scanner_lets_pass(good: str) -> None:
    assert scan(good) == []


def project_templates() -> list[Path]:
    return sorted([*BASE_DIR.glob("templates/**/*.html"), *BASE_DIR.glob("*/templates/**/*.html")])


def test_the_template_scan_finds_the_templates() -> None:
    assert BASE_DIR / "templates" / "base.html" in project_templates()


def test_no_template_has_inline_code_or_a_cdn() -> None:
    found = {
        str(path.relative_to(BASE_DIR)): problems
        for path in project_templates()
        if (problems := scan(path.read_text()))
    }
    assert found == {}


def test_no_rendered_page_has_inline_code_or_a_cdn(
    client: Client, admin_client_portal: Client, url_values: dict[str, object]
) -> None:
    """Widgets and template tags render HTML the template scan cannot see."""
    found = {}
    for route in portal_routes():
        url = route.url(url_values)
        for user_client in (client, admin_client_portal):
            response = user_client.get(url)
            if is_html(response) and (problems := scan(response.content.decode())):
                found[url] = problems
    invalid = admin_client_portal.post(reverse("partners:organisation_create"), {"name": ""})
    found["invalid form"] = scan(invalid.content.decode())
    assert {url: problems for url, problems in found.items() if problems} == {}


def test_the_admin_has_no_inline_code_either(client: Client, url_values: dict[str, object]) -> None:
    """The admin is served under the same CSP (Django 5.2's templates have no inline code)."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    found = {}
    with warnings.catch_warnings():
        # OrganisationAdmin's URLField warning: see test_permission_matrix.py.
        warnings.simplefilter("ignore", RemovedInDjango60Warning)
        for route in all_routes():
            if route.is_admin:
                response = client.get(route.url(url_values))
                if is_html(response) and (problems := scan(response.content.decode())):
                    found[route.key] = problems
    assert found == {}


# --- (c) htmx configuration -------------------------------------------------------------


class MetaTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name"):
            self.meta.setdefault(attributes["name"], []).append(attributes.get("content") or "")


def test_htmx_is_configured_for_a_strict_csp(client: Client, db: None) -> None:
    parser = MetaTags()
    parser.feed(client.get(reverse("login")).content.decode())
    [content] = parser.meta["htmx-config"]
    config = json.loads(content)
    assert config["includeIndicatorStyles"] is False  # would inject a <style> element
    assert config["allowEval"] is False
    assert config["selfRequestsOnly"] is True


# --- (d) Cookies ----------------------------------------------------------------------------


def test_the_session_and_csrf_cookies_are_httponly_and_samesite_lax(db: None) -> None:
    client = Client()
    UserFactory(username="cookie", password="correct horse battery staple")
    csrf = client.get(reverse("login")).cookies[settings.CSRF_COOKIE_NAME]
    response = client.post(
        reverse("login"), {"username": "cookie", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302, "the login should have succeeded"
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    language = client.post(reverse("set_language"), {"language": "en"}).cookies[
        settings.LANGUAGE_COOKIE_NAME
    ]
    for cookie in (csrf, session, language):
        assert cookie["httponly"] is True, cookie.key
        assert cookie["samesite"] == "Lax", cookie.key
        # Tests run with IS_HTTPS=false (tests/testenv.py); see the next test for https.
        assert not cookie["secure"], cookie.key


def settings_in_a_fresh_process(environment: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, portal.settings as s; print(json.dumps({name: getattr(s, name) for name "
        "in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'LANGUAGE_COOKIE_SECURE', "
        "'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY', 'LANGUAGE_COOKIE_HTTPONLY', "
        "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'LANGUAGE_COOKIE_SAMESITE', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(("is_https", "secure"), [(None, True), ("true", True), ("false", False)])
def test_cookies_are_secure_unless_is_https_is_switched_off(
    is_https: str | None, secure: bool
) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "IS_HTTPS"}
    if is_https is not None:
        environment["IS_HTTPS"] = is_https
    values = settings_in_a_fresh_process(environment)
    assert values["SESSION_COOKIE_SECURE"] is secure
    assert values["CSRF_COOKIE_SECURE"] is secure
    assert values["LANGUAGE_COOKIE_SECURE"] is secure
    assert values["SECURE_SSL_REDIRECT"] is secure
    assert (values["SECURE_HSTS_SECONDS"] > 0) is secure
    for kind in ("SESSION", "CSRF", "LANGUAGE"):
        assert values[f"{kind}_COOKIE_HTTPONLY"] is True
        assert values[f"{kind}_COOKIE_SAMESITE"] == "Lax"


def test_a_misspelt_is_https_stops_the_settings() -> None:
    environment = {**os.environ, "IS_HTTPS": "ja"}
    with pytest.raises(subprocess.CalledProcessError) as failure:
        settings_in_a_fresh_process(environment)
    assert "IS_HTTPS must be true or false" in failure.value.stderr


# --- (e) CSRF failures under htmx ------------------------------------------------------------


@pytest.fixture
def csrf_client(administrator: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    return client


VALID = {"name": "Nieuwegein", "kind": "gemeente", "cbs_code": "GM0356"}


def test_a_csrf_failure_on_an_htmx_request_reloads_the_page(csrf_client: Client) -> None:
    response = csrf_client.post(reverse("partners:organisation_create"), VALID, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert b"<html" not in response.content
    assert not Organisation.objects.filter(name="Nieuwegein").exists()


def test_a_csrf_failure_without_htmx_is_a_403_page(csrf_client: Client) -> None:
    response = csrf_client.post(reverse("partners:organisation_create"), VALID)
    assert response.status_code == 403
    assert "HX-Refresh" not in response
    assert "403_csrf.html" in [template.name for template in response.templates]
    assert b"<html" in response.content
    assert not Organisation.objects.filter(name="Nieuwegein").exists()


def test_an_anonymous_htmx_post_without_token_also_reloads(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"


def test_an_htmx_post_with_the_token_gets_through(csrf_client: Client) -> None:
    """The failures above are the missing token, not something else about the request."""
    csrf_client.get(reverse("partners:organisation_create"))
    token = csrf_client.cookies[settings.CSRF_COOKIE_NAME].value
    response = csrf_client.post(
        reverse("partners:organisation_create"), VALID, headers={**HTMX, "X-CSRFToken": token}
    )
    assert "HX-Refresh" not in response
    assert Organisation.objects.filter(name="Nieuwegein").exists()


# --- (f) An expired session under htmx -----------------------------------------------------


def login_redirects(client: Client, url_values: dict[str, object]) -> dict[str, str]:
    """URL → Location of every page that sends this client to the login page."""
    login = reverse("login")
    found = {}
    for route in portal_routes():
        url = route.url(url_values)
        response = client.get(url)
        if response.status_code == 302 and response["Location"].startswith(login + "?"):
            found[url] = response["Location"]
    return found


def test_an_anonymous_htmx_request_is_sent_to_login_with_hx_redirect(
    client: Client, url_values: dict[str, object]
) -> None:
    protected = login_redirects(client, url_values)
    assert {reverse("home"), reverse("partners:organisation_list")} <= set(protected)
    for url, location in protected.items():
        response = client.get(url, headers=HTMX)
        assert response.status_code == 200, url
        assert response["HX-Redirect"] == location, url
        assert "Location" not in response, url


def test_an_expired_session_on_an_htmx_request_is_sent_to_login(
    admin_client_portal: Client,
) -> None:
    url = reverse("partners:organisation_list")
    assert admin_client_portal.get(url, headers=HTMX).status_code == 200
    Session.objects.all().delete()
    response = admin_client_portal.get(url, {"q": "zeist"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('login')}?next={url}%3Fq%3Dzeist"


def test_after_login_the_user_returns_to_the_page_not_the_fragment(
    client: Client, db: None
) -> None:
    fragment = reverse("partners:organisation_list")
    response = client.get(
        fragment,
        {"q": "zeist"},
        headers={**HTMX, "HX-Current-URL": "http://testserver/organisaties/?kind=gemeente"},
    )
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/organisaties/%3Fkind%3Dgemeente"


def test_a_foreign_current_url_is_ignored(client: Client, db: None) -> None:
    url = reverse("partners:organisation_list")
    response = client.get(url, headers={**HTMX, "HX-Current-URL": "https://evil.example/x"})
    assert response["HX-Redirect"] == f"{reverse('login')}?next={url}"


def test_other_redirects_on_htmx_requests_are_left_alone(
    client: Client, admin_client_portal: Client
) -> None:
    assert admin_client_portal.get(reverse("login"), headers=HTMX).status_code == 302
    response = client.get(f"/{settings.ADMIN_URL}", headers=HTMX)
    assert response.status_code == 302
    assert "HX-Redirect" not in response


# --- (g) No GET request changes data --------------------------------------------------------


def database_contents() -> dict[str, list[dict]]:
    """Every row of every table (many-to-many tables included), by model."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def writing_gets(client: Client, routes: list[Route], url_values: dict[str, object]) -> list:
    changed = []
    for route in routes:
        url = route.url(url_values)
        before = database_contents()
        client.get(url)
        if database_contents() != before:
            changed.append(url)
    return changed


def test_no_get_request_changes_data(
    admin_client_portal: Client, url_values: dict[str, object]
) -> None:
    assert writing_gets(admin_client_portal, all_routes(), url_values) == []


def test_no_get_request_in_the_admin_changes_data(
    client: Client, url_values: dict[str, object]
) -> None:
    """As a superuser, who gets past the admin's login redirect."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin_routes = [route for route in all_routes() if route.is_admin]
    with warnings.catch_warnings():
        # OrganisationAdmin's URLField warning (see test_permission_matrix.py) is not
        # what this test is about.
        warnings.simplefilter("ignore", RemovedInDjango60Warning)
        assert writing_gets(client, admin_routes, url_values) == []


@pytest.mark.parametrize("name", ["partners:organisation_create", "partners:organisation_edit"])
def test_the_forms_do_not_save_on_get_even_with_valid_data(
    name: str, admin_client_portal: Client, url_values: dict[str, object]
) -> None:
    url = next(route for route in all_routes() if route.name == name).url(url_values)
    before = database_contents()
    response = admin_client_portal.get(url, VALID)
    assert response.status_code == 200
    assert not response.context["form"].is_bound
    assert database_contents() == before


@pytest.mark.parametrize("name", ["partners:organisation_create", "partners:organisation_edit"])
def test_the_forms_do_save_on_post(
    name: str, admin_client_portal: Client, url_values: dict[str, object]
) -> None:
    """The same comparison does see a write: the checks above are not vacuous."""
    url = next(route for route in all_routes() if route.name == name).url(url_values)
    before = database_contents()
    response = admin_client_portal.post(url, VALID)
    assert response.status_code == 302
    assert database_contents() != before
    assert Organisation.objects.filter(name="Nieuwegein").exists()
