"""The export streams a build folder file by file in every format, JSON-LD included: no format
holds the whole corpus in memory (JSON-LD did: 614 MB at 300 plans)."""

from __future__ import annotations

import json
from pathlib import Path

from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.folder import build_parts
from sciplan_kg.publish.export import export_chunks


def test_json_ld_is_written_a_file_at_a_time_as_one_document(five: BuildResult) -> None:
    files = build_parts(five.out)["asserted"]
    chunks = list(export_chunks(five.out, "jsonld", links=False))
    assert chunks[0] == b"[" and chunks[-1] == b"]"
    assert len(chunks) == len(files) + 2, "one piece per file that states anything"
    doc = json.loads(b"".join(chunks))
    assert isinstance(doc, list) and all("@id" in node for node in doc)


def test_json_ld_of_files_that_state_nothing_is_an_empty_array(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from sciplan_kg.publish import export

    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    assert b"".join(export._json_ld(ox, [("urn:g", empty), ("urn:g", empty)])) == b"[]"


def test_json_ld_joins_the_files_members_with_commas(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from sciplan_kg.publish import export

    a, b, empty = tmp_path / "a.ttl", tmp_path / "b.ttl", tmp_path / "c.ttl"
    a.write_text("<urn:x> <urn:p> <urn:y> .\n", encoding="utf-8")
    b.write_text('<urn:x> <urn:p> "二" .\n<urn:z> <urn:p> <urn:y> .\n', encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    doc = b"".join(export._json_ld(ox, [("urn:g", empty), ("urn:g", a), ("urn:g", empty), ("urn:g", b)]))
    got = set(ox.parse(doc, format=ox.RdfFormat.JSON_LD))
    expected = set(ox.parse(a.read_bytes() + b.read_bytes(), format=ox.RdfFormat.TURTLE))
    assert got == expected and len(json.loads(doc)) == 3
