"""The Dutch translation: complete, compiled, and chosen by the request.

The catalogue is locale/nl/LC_MESSAGES/django.po; refresh it with
`manage.py makemessages -l nl --ignore=.venv --ignore=staticfiles --ignore=tests --no-obsolete`
and compile it with `manage.py compilemessages --ignore=.venv`. The compiled .mo is
committed, so these tests also fail when someone forgets to compile.
"""

import gettext
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import Client

import pytest

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
# printf-style placeholders as Django uses them: %(name)s, %s, %d; "%%" is a literal.
_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"{PO_FILE.name}:{self.line} {self.msgid!r}"


def _unquote(quoted: str, lineno: int) -> str:
    assert quoted.startswith('"') and quoted.endswith('"'), f"line {lineno}: bad string"
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), quoted[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: comments, flags, context, multi-line strings and plurals.

    Obsolete entries (`#~`) are skipped. The header (msgid "") is returned as well.
    """
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # the field that continuation lines extend

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            entry, target = (None, None) if not line else (entry, None)
            continue
        # An entry ends with its msgstr lines: a comment or keyword after them starts
        # the next one (the blank line between entries is customary, not required).
        is_start = line.startswith("#") or line.startswith(("msgctxt", "msgid "))
        if is_start and (entry is None or entry.msgstr):
            entry = Entry(line=lineno)
            entries.append(entry)
        if line.startswith("#"):
            target = None
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith('"'):
            assert entry is not None and target is not None, f"line {lineno}: stray string"
            name, index = target
            text = _unquote(line, lineno)
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
            continue
        match = _KEYWORD.match(line)
        assert match and entry is not None, f"{path.name}:{lineno}: cannot parse {raw!r}"
        keyword, index, quoted = match.groups()
        text = _unquote(quoted, lineno)
        if keyword.startswith("msgstr"):
            target = ("msgstr", int(index) if index is not None else 0)
            entry.msgstr[target[1]] = text
        else:
            setattr(entry, keyword, text)
            target = (keyword, 0)
    return entries


def _messages() -> list[Entry]:
    return [entry for entry in parse_po(PO_FILE) if entry.msgid != ""]


def _placeholders(text: str) -> list[str]:
    return sorted(p for p in _PLACEHOLDER.findall(text) if p != "%%")


# --- The parser itself ---------------------------------------------------------------


def test_parser_reads_multiline_plural_and_flags(tmp_path: Path) -> None:
    po = tmp_path / "sample.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
        "#: a.py:1\n#, fuzzy, python-format\n"
        'msgid ""\n"Hello "\n"%(name)s"\nmsgstr "Hallo \\"%(name)s\\""\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgid_plural "Mays"\n'
        'msgstr[0] "mei"\nmsgstr[1] ""\n"meien"\n\n'
        '#~ msgid "Old"\n#~ msgstr "Oud"\n',
        encoding="utf-8",
    )
    header, hello, may = parse_po(po)
    assert header.msgid == "" and header.msgstr == {0: "Language: nl\n"}
    assert hello.msgid == "Hello %(name)s" and hello.msgstr == {0: 'Hallo "%(name)s"'}
    assert hello.flags == {"fuzzy", "python-format"}
    assert (may.msgctxt, may.msgid, may.msgid_plural) == ("month", "May", "Mays")
    assert may.msgstr == {0: "mei", 1: "meien"}


# --- (a) The .po is complete -----------------------------------------------------------


def test_po_header_is_dutch_and_not_fuzzy() -> None:
    header = parse_po(PO_FILE)[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: nl\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr[0]


def test_po_has_entries() -> None:
    assert len(_messages()) > 50


@pytest.mark.parametrize("entry", _messages(), ids=lambda e: e.msgid[:40])
def test_every_entry_is_translated(entry: Entry) -> None:
    assert "fuzzy" not in entry.flags, f"{entry.label} is fuzzy"
    forms = 2 if entry.msgid_plural is not None else 1
    assert sorted(entry.msgstr) == list(range(forms)), f"{entry.label}: wrong msgstr forms"
    for index, text in entry.msgstr.items():
        assert text.strip(), f"{entry.label}: msgstr[{index}] is empty"


@pytest.mark.parametrize(
    "entry", [e for e in _messages() if "python-format" in e.flags], ids=lambda e: e.msgid[:40]
)
def test_translations_keep_placeholders(entry: Entry) -> None:
    for index, text in entry.msgstr.items():
        source = entry.msgid if index == 0 else entry.msgid_plural
        assert _placeholders(text) == _placeholders(source), f"{entry.label}: msgstr[{index}]"


# --- (b) The .mo matches the .po --------------------------------------------------------


def test_mo_matches_po() -> None:
    assert MO_FILE.exists(), "run `manage.py compilemessages --ignore=.venv`"
    with MO_FILE.open("rb") as fp:
        catalog = gettext.GNUTranslations(fp)
    stale = []
    for entry in _messages():
        if entry.msgid_plural is None:
            got = (
                catalog.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt is not None
                else catalog.gettext(entry.msgid)
            )
            want = entry.msgstr[0]
        else:
            # Dutch: form 0 for n == 1, form 1 otherwise.
            args = (entry.msgid, entry.msgid_plural)
            got = tuple(
                catalog.npgettext(entry.msgctxt, *args, n)
                if entry.msgctxt is not None
                else catalog.ngettext(*args, n)
                for n in (1, 2)
            )
            want = (entry.msgstr[0], entry.msgstr[1])
        if got != want:
            stale.append(f"{entry.label}: .mo has {got!r}, .po has {want!r}")
    assert not stale, "django.mo is stale, run compilemessages:\n" + "\n".join(stale)


# --- (b2) The catalogue holds every string of the source ---------------------------------


def test_the_catalogue_holds_every_string_of_the_source(tmp_path: Path) -> None:
    """makemessages on a copy of the project finds no message the .po lacks (or holds
    too many): a new UI string cannot ship untranslated because nobody refreshed it."""
    import shutil
    import subprocess
    import sys

    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "node_modules", "tests", "__pycache__", "*.sqlite3"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-obsolete",
         "--ignore=.venv", "--ignore=staticfiles", "--ignore=tests"],
        cwd=copy,
        env={**os.environ, "IS_HTTPS": "false"},
        check=True,
        capture_output=True,
    )  # fmt: skip

    def ids(path: Path) -> set[tuple[str | None, str]]:
        return {(e.msgctxt, e.msgid) for e in parse_po(path) if e.msgid != ""}

    refreshed = ids(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po")
    committed = ids(PO_FILE)
    assert refreshed - committed == set(), "untranslated: run `make messages` and translate"
    assert committed - refreshed == set(), "stale entries: run `make messages`"


# --- (c) The request chooses the language ------------------------------------------------


def _heading(client: Client, **headers: str) -> tuple[str, str]:
    response = client.get("/inloggen/", headers=headers)
    assert response.status_code == 200
    html = response.content.decode()
    lang = re.search(r'<html lang="([^"]+)"', html)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert lang and h1
    return lang.group(1), h1.group(1).strip()


def test_login_page_is_dutch_by_default(client: Client, db: None) -> None:
    assert _heading(client) == ("nl", "Inloggen")


def test_login_page_is_english_with_accept_language(client: Client, db: None) -> None:
    assert _heading(client, accept_language="en") == ("en", "Log in")


def test_login_page_follows_language_cookie(client: Client, db: None) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _heading(client, accept_language="nl") == ("en", "Log in")


def test_unknown_language_falls_back_to_dutch(client: Client, db: None) -> None:
    assert _heading(client, accept_language="fr") == ("nl", "Inloggen")
