"""CITATION.cff is valid CFF 1.2.0 and agrees with the project; the licences are complete;
page citations are BibTeX that classic BibTeX reads and one plain line to copy."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from figures.config import ROOT
from website.citation import CitationError, Release, load_release, page_citation

CITATION = ROOT / "CITATION.cff"
SCHEMA = ROOT / "tests" / "data" / "citation-cff-1.2.0.schema.json"
SITE_URL = "https://convdemo.github.io/convdemo/"
# A release for the tests of page_citation; the repository's own is read from the file.
RELEASE = Release(
    title="Convolution in PyTorch, drawn by PyTorch",
    authors="convdemo contributors",
    version="0.1.0",
    date="2026-11-24",
    url=SITE_URL,
)
TRICKY_TITLE = "1×1 convolution & 50% of R_d"
BIBTEX_HEAD = re.compile(r"@(\w+)\{([^,\s]+),\s*")
BIBTEX_FIELD_NAME = re.compile(r"(\w+)\s*=\s*")
BIBTEX_MACRO = re.compile(r"\w+")
BIBTEX_SEPARATOR = re.compile(r"\s*,?\s*")


def cff_document(path: Path = CITATION) -> dict[str, object]:
    """The file as the schema sees it: YAML dates cast to text, as the schema asks."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in data.items()
    }


def cff_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def parse_bibtex(entry: str) -> tuple[str, str, dict[str, str]]:
    """(type, key, fields) of one entry, reading braces the way BibTeX does.

    BibTeX counts every brace, escaped or not, so an unbalanced field ends the entry
    early or never; this raises ``ValueError`` for either.
    """
    head = BIBTEX_HEAD.match(entry)
    if head is None:
        raise ValueError(f"no entry head in {entry!r}")
    fields: dict[str, str] = {}
    position = head.end()
    while not entry.startswith("}", position):
        if position >= len(entry):
            raise ValueError("the entry is never closed: unbalanced braces")
        name = BIBTEX_FIELD_NAME.match(entry, position)
        if name is None:
            raise ValueError(f"no field at {entry[position:]!r}")
        position = name.end()
        if entry.startswith("{", position):
            end = closing_brace(entry, position)
            if end is None:
                raise ValueError(f"unbalanced braces in field {name.group(1)}")
            value, position = entry[position + 1 : end], end + 1
        else:
            macro = BIBTEX_MACRO.match(entry, position)
            if macro is None:
                raise ValueError(f"no value for field {name.group(1)}")
            value, position = macro.group(), macro.end()
        fields[name.group(1)] = value
        separator = BIBTEX_SEPARATOR.match(entry, position)
        assert separator is not None
        position = separator.end()
    if entry[position + 1 :].strip():
        raise ValueError(f"text after the entry: {entry[position + 1 :]!r}")
    return head.group(1), head.group(2), fields


def closing_brace(text: str, start: int) -> int | None:
    """Index of the brace closing the one at ``start``, or None if it is never closed."""
    depth = 0
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return None


# --- CITATION.cff ----------------------------------------------------------------------


def test_vendored_schema_is_the_cff_1_2_0_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema"


def test_citation_file_validates_against_the_schema():
    cff_validator().validate(cff_document())


def test_schema_check_is_not_vacuous():
    # 2026-02-30 fits the schema's date pattern; only the format checker rejects it.
    validator = cff_validator()
    for field, bad in [("date-released", "2026-02-30"), ("license", "MIT-ish"), ("type", "book")]:
        document = cff_document() | {field: bad}
        assert not validator.is_valid(document), field
    assert not validator.is_valid({k: v for k, v in cff_document().items() if k != "authors"})


def test_citation_urls_are_absolute_https():
    # jsonschema checks "uri" only with rfc3987 installed, so check the addresses here.
    document = cff_document()
    for field in ("url", "repository-code"):
        parts = urlsplit(str(document[field]))
        assert (parts.scheme, bool(parts.netloc)) == ("https", True), field
    # The site's address, as MkDocs publishes it: forks change both together.
    assert document["url"] == yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]
    assert document["repository-code"] == "https://github.com/convdemo/convdemo"


def test_citation_version_is_the_package_version():
    with (ROOT / "pyproject.toml").open("rb") as file:
        version = tomllib.load(file)["project"]["version"]
    assert cff_document()["version"] == version


def test_citation_fields():
    document = cff_document()
    assert document["cff-version"] == "1.2.0"
    assert document["type"] == "software"
    assert document["authors"] == [{"name": "convdemo contributors"}]
    assert document["license"] == ["MIT", "CC-BY-4.0"]
    # Bumped for each release (README): a real date, and not one still to come.
    assert dt.date.fromisoformat(str(document["date-released"])) <= dt.date.today()
    assert str(document["message"]).strip() and str(document["abstract"]).strip()
    assert document["keywords"]


# --- Licences ----------------------------------------------------------------------------


def test_mit_licence_names_the_holder():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "MIT License"
    assert lines[2] == "Copyright (c) 2026 convdemo contributors"
    flat = " ".join(text.split())
    assert "Permission is hereby granted, free of charge, to any person obtaining a copy" in flat
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in flat
    assert flat.endswith("OR OTHER DEALINGS IN THE SOFTWARE.")


CC_BY_SECTIONS = [
    "Section 1 -- Definitions.",
    "Section 2 -- Scope.",
    "Section 3 -- License Conditions.",
    "Section 4 -- Sui Generis Database Rights.",
    "Section 5 -- Disclaimer of Warranties and Limitation of Liability.",
    "Section 6 -- Term and Termination.",
    "Section 7 -- Other Terms and Conditions.",
    "Section 8 -- Interpretation.",
]
# The legal code as Creative Commons publishes it (legalcode.txt), byte for byte: an edit,
# a lost line or a changed encoding shows here.
CC_BY_SHA256 = "fd3a263fe19ed8faa9068b43abaebafc02c77897b0c6fc09abc04bb592e5f16e"


def test_cc_by_licence_is_the_whole_legal_code():
    text = (ROOT / "LICENSE-CC-BY-4.0.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    headings = [line for line in lines if line.startswith("Section ")]
    assert headings == CC_BY_SECTIONS
    flat = " ".join(text.split())
    assert flat.startswith("Attribution 4.0 International =====")
    assert (
        'Creative Commons Corporation ("Creative Commons") is not a law firm and does not '
        "provide legal services or legal advice." in flat
    )
    assert "Creative Commons Attribution 4.0 International Public License By exercising" in flat
    assert flat.endswith("Creative Commons may be contacted at creativecommons.org.")
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == CC_BY_SHA256


# --- load_release ------------------------------------------------------------------------


def test_load_release_reads_the_citation_file():
    document = cff_document()
    assert load_release() == Release(
        title=str(document["title"]),
        authors="convdemo contributors",
        version=str(document["version"]),
        date=str(document["date-released"]),
        url=str(document["url"]),
    )


def test_load_release_accepts_an_unquoted_date_and_adds_the_trailing_slash(tmp_path: Path):
    text = CITATION.read_text(encoding="utf-8")
    text, dates = re.subn(r'^(date-released: )"([\d-]+)"$', r"\1\2", text, flags=re.MULTILINE)
    text, urls = re.subn(r'^url: "(.*)/"$', r'url: "\1"', text, flags=re.MULTILINE)
    assert (dates, urls) == (1, 1)
    path = tmp_path / "CITATION.cff"
    path.write_text(text, encoding="utf-8")
    assert load_release(path) == load_release()


@pytest.mark.parametrize("field", ["version", "title", "authors", "date-released", "url"])
def test_load_release_names_the_file_and_the_missing_field(tmp_path: Path, field: str):
    document = yaml.safe_load(CITATION.read_text(encoding="utf-8"))
    del document[field]
    path = tmp_path / "broken.cff"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(CitationError, match=re.escape(f"{path}: field '{field}' is missing")):
        load_release(path)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('date-released: "2026-13-01"', "date-released"),
        ("version: ''", "version"),
        ("authors: []", "authors"),
        ('url: "file:///tmp/site"', "url"),
    ],
)
def test_load_release_names_an_invalid_field(tmp_path: Path, line: str, field: str):
    path = tmp_path / "CITATION.cff"
    path.write_text(CITATION.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    with pytest.raises(CitationError, match=re.escape(f"{path}: field '{field}'")):
        load_release(path)


# --- page_citation -----------------------------------------------------------------------


def test_page_citation_for_a_chapter():
    bibtex, plain = page_citation(RELEASE, "Padding", SITE_URL + "padding/", "padding")
    kind, key, fields = parse_bibtex(bibtex)
    assert (kind, key) == ("misc", "convdemo-padding")
    assert fields == {
        "author": "{convdemo contributors}",
        "title": "{Padding} --- in {Convolution in PyTorch, drawn by PyTorch}",
        "howpublished": r"\url{https://convdemo.github.io/convdemo/padding/}",
        "year": "2026",
        "month": "nov",
        "note": "Version 0.1.0",
        "url": "https://convdemo.github.io/convdemo/padding/",
    }
    assert plain == (
        "convdemo contributors (2026, November 24). Padding. In Convolution in PyTorch, "
        "drawn by PyTorch (version 0.1.0). https://convdemo.github.io/convdemo/padding/"
    )


def test_page_citation_for_the_home_page_names_the_site_once():
    bibtex, plain = page_citation(RELEASE, RELEASE.title, SITE_URL, "home")
    assert parse_bibtex(bibtex)[2]["title"] == "{Convolution in PyTorch, drawn by PyTorch}"
    assert plain.count(RELEASE.title) == 1


def test_page_citation_escapes_latex_special_characters():
    bibtex, plain = page_citation(RELEASE, TRICKY_TITLE, SITE_URL + "pointwise/", "pointwise")
    title = parse_bibtex(bibtex)[2]["title"]
    assert title.startswith(r"{1{$\times$}1 convolution \& 50\% of R\_d} --- in ")
    assert "×" not in bibtex
    assert TRICKY_TITLE in plain


def test_page_citation_keeps_braces_balanced_for_every_special_character():
    title = "a & b % c $ d # e _ f { g } h ~ i ^ j \\ k × l − m é"
    bibtex, _ = page_citation(RELEASE, title, SITE_URL + "x/", "x")
    escaped = parse_bibtex(bibtex)[2]["title"]
    # Outside math, no special character is left unescaped.
    text = re.sub(r"\{\$(\\times|-)\$\}", "", escaped)
    text = re.sub(
        r"\\(textbackslash|textbraceleft|textbraceright|textasciitilde|textasciicircum)\{\}",
        "",
        text,
    )
    text = re.sub(r"\\[&%$#_]", "", text)
    assert not set("&%$#_~^\\×−") & set(text)
    assert "é" in escaped  # everything else stays UTF-8


def test_page_citation_plain_text_has_no_markdown_and_all_the_facts():
    _, plain = page_citation(RELEASE, "Stride and dilation", SITE_URL + "stride/", "stride")
    assert "\n" not in plain
    assert not set("*[]`<>") & set(plain)
    for fact in ("Stride and dilation", SITE_URL + "stride/", "version 0.1.0", "2026, November 24"):
        assert fact in plain


@pytest.mark.parametrize("key", ["Padding", "padding_same", "padding same", "", "-padding", "a--b"])
def test_page_citation_refuses_an_unsafe_key(key: str):
    with pytest.raises(ValueError, match="citation key"):
        page_citation(RELEASE, "Padding", SITE_URL, key)


@pytest.mark.parametrize(
    "url",
    ["padding/", "ftp://example.org/", SITE_URL + "a b/", SITE_URL + "#top", SITE_URL + "{x}"],
)
def test_page_citation_refuses_an_unsafe_url(url: str):
    with pytest.raises(ValueError, match="page url"):
        page_citation(RELEASE, "Padding", url, "padding")


def test_parse_bibtex_rejects_unbalanced_braces():
    with pytest.raises(ValueError, match="unbalanced"):
        parse_bibtex("@misc{k,\n  title = {a \\{ b},\n}\n")


def test_a_missing_citation_file_is_named(tmp_path):
    missing = tmp_path / "CITATION.cff"
    with pytest.raises(CitationError, match=re.escape(str(missing))):
        load_release(missing)


def test_a_figure_credit_names_figure_page_site_authors_licence_and_address():
    from website.citation import figure_credit

    lines = figure_credit("Figure 2.1", "Padding", "The site", "Its authors", "https://x/p/#fig-a")
    assert lines == [
        'Figure 2.1 from "Padding", The site',
        "(Its authors), CC BY 4.0,",
        "https://x/p/#fig-a",
    ]
