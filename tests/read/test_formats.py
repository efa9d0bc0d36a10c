"""Formats are told from content, not from the extension (issue 16, item 1), and a folder of
plans in every format builds into the same plans as their text (item 6)."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from sciplan_kg.errors import InputError
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.read.formats import read_document, sniff
from tests.conftest import TESTS

FORMATS = TESTS / "fixtures" / "formats"
WANNIAN = "003_120be5be3c056120"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (PLANS_DIR / f"{WANNIAN}.txt", "text"),
        (FORMATS / "html" / "a_trs" / f"{WANNIAN}.html", "html"),
        (FORMATS / "html" / "c_gbk" / f"{WANNIAN}.html", "html"),
        (FORMATS / "docx" / f"{WANNIAN}.docx", "docx"),
        (FORMATS / "pdf" / f"{WANNIAN}.pdf", "pdf"),
    ],
    ids=lambda v: v if isinstance(v, str) else "/".join(v.parts[-2:]),
)
def test_the_format_is_told_by_content(path: Path, kind: str, tmp_path: Path) -> None:
    assert sniff(path.read_bytes()) == kind
    for name in ("plan", "PLAN.TXT", "plan.Html", "plan.pdf.txt"):  # the name says nothing
        copy = tmp_path / name
        shutil.copy(path, copy)
        assert sniff(copy.read_bytes()) == kind


def test_files_that_are_not_plans_are_refused_by_what_they_are(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("data.csv", "a,b\n")
    for data, what in ((b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "PNG"), (buffer.getvalue(), "zip")):
        with pytest.raises(InputError, match=what):
            read_document(data, tmp_path / "x")


def test_a_word_97_file_says_how_to_convert_it_without_libreoffice(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    with pytest.raises(InputError, match="LibreOffice"):
        read_document(ole2, tmp_path / "plan.doc")


def test_a_folder_of_every_format_builds_the_same_plans_as_their_text(tmp_path: Path) -> None:
    from sciplan_kg.pipeline.build import build

    texts = tmp_path / "texts"
    mixed = tmp_path / "mixed"
    texts.mkdir()
    mixed.mkdir()
    given = {
        "001_dea383087ddef27d": FORMATS / "docx" / "001_dea383087ddef27d.docx",
        "002_6b4932196e225269": FORMATS / "html" / "a_trs" / "002_6b4932196e225269.html",
        WANNIAN: FORMATS / "pdf" / f"{WANNIAN}.pdf",
    }
    suffixes = {"001_dea383087ddef27d": "", "002_6b4932196e225269": ".HTML", WANNIAN: ".pdf"}
    for stem, source in given.items():
        shutil.copy(PLANS_DIR / f"{stem}.txt", texts / f"{stem}.txt")
        shutil.copy(source, mixed / f"{stem}{suffixes[stem]}")
    a = build([texts], tmp_path / "a", jobs=1)
    b = build([mixed], tmp_path / "b", jobs=1)
    assert [p.plan for p in a.plans] == [p.plan for p in b.plans]
    for x, y in zip(a.plans, b.plans, strict=True):
        assert (x.title, x.measures, x.task_count, x.agencies) == (y.title, y.measures, y.task_count, y.agencies)
        assert [t[2] for t in x.tasks] == [t[2] for t in y.tasks], "the same tasks, word for word"
        assert y.coverage["spansVerified"] == y.coverage["spans"], "every span quotes the text read"
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert {p["file"] for p in manifest["plans"]} == {f"{s}{suffixes[s]}" for s in given}
    for stem, source in given.items():  # the originals kept byte for byte
        assert (tmp_path / "b" / "originals" / f"{stem}{suffixes[stem]}").read_bytes() == source.read_bytes()
