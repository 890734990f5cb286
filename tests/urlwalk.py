"""Every URL pattern of the project, for the tests that must cover all of them.

tests/portal/test_permission_matrix.py and tests/portal/test_security.py walk the
resolver instead of keeping their own lists, so a new URL cannot slip past them.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from partners.models import Organisation

# `<int:pk>` in a path() route, `(?P<pk>...)` in a re_path() route.
ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
# Unnamed groups, e.g. django-simple-history's admin "^([^/]+)/history/([^/]+)/$".
UNNAMED_GROUP = re.compile(r"\((?!\?)[^)]*\)")
# The values unnamed groups take, in order.
POSITIONAL_PARAMETERS = ("object_id", "version_id")


@dataclass(frozen=True)
class Route:
    name: str | None  # "partners:organisation_detail"; None for an unnamed pattern
    route: str  # "organisaties/<int:pk>/", including the prefixes of include()
    kwargs: tuple[str, ...]

    @property
    def key(self) -> str:
        """How the tests refer to a pattern: its full name, or its route if unnamed."""
        return self.name or self.route

    @property
    def is_admin(self) -> bool:
        return self.route.startswith(settings.ADMIN_URL)

    def url(self, values: Mapping[str, object]) -> str:
        """A concrete URL, taking each URL parameter from `values` by name."""
        missing = [name for name in self.kwargs if name not in values]
        if missing:
            raise LookupError(
                f"URL pattern {self.key!r} takes {missing}: add an example value for "
                "it to the URL parameter values of the test."
            )

        def resolved(name: str) -> object:
            # A callable value picks the object for this route, e.g. the pk of a
            # contact for contact URLs and of an organisation for organisation URLs.
            value = values[name]
            return value(self.key) if callable(value) else value

        if self.name and not UNNAMED_GROUP.search(self.route):
            return reverse(self.name, kwargs={name: resolved(name) for name in self.kwargs})
        positional = iter(POSITIONAL_PARAMETERS)

        def value(match: re.Match[str]) -> str:
            return str(resolved(match["name"]))

        # Regex groups first: "(?P<url>.*)" also looks like a path() parameter.
        path = ROUTE_PARAMETER.sub(value, REGEX_GROUP.sub(value, self.route))
        path = UNNAMED_GROUP.sub(lambda _: str(resolved(next(positional))), path)
        return "/" + path.replace("^", "").replace("$", "")


def example_url_values(
    organisation: Organisation, objects: Mapping[str, int] | None = None
) -> dict[str, object]:
    """An example value for each URL parameter of the project, by parameter name.

    `objects` maps a URL-name prefix ("partners:contact_") to the pk its URLs take;
    every other `pk` is the organisation's.
    """
    objects = objects or {}

    def pk(route_key: str) -> int:
        return next(
            (value for prefix, value in objects.items() if route_key.startswith(prefix)),
            organisation.pk,
        )

    return {
        "pk": pk,
        # The Django admin's parameters.
        "object_id": organisation.pk,
        "version_id": 1,  # django-simple-history's admin history pages
        "token": "onbekend-token",  # a personal thermometer link that does not exist
        "section": 1,
        "id": organisation.pk,
        "content_type_id": ContentType.objects.get_for_model(Organisation).pk,
        "app_label": "partners",
        "url": "no-such-page/",
    }


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, namespace="", prefix="", kwargs=()))


def _walk(
    patterns: list[URLPattern | URLResolver],
    *,
    namespace: str,
    prefix: str,
    kwargs: tuple[str, ...],
) -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        # An include() can take URL parameters of its own ("<slug:programme>/...").
        names = kwargs + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, namespace=inner, prefix=route, kwargs=names)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Route(name=name, route=route, kwargs=names)


@dataclass(frozen=True)
class Redirect:
    """A 302 to the named URL (the query string, e.g. ?next=, is not compared)."""

    to: str

    def __repr__(self) -> str:
        return f"302→{self.to}"


Outcome = int | Redirect


def outcome(response: HttpResponse) -> Outcome:
    """What a permission matrix compares: the status, or where a redirect goes."""
    if response.status_code == 302:
        return Redirect(resolve(urlparse(response["Location"]).path).view_name)
    return response.status_code
