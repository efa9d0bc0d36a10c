"""The ontology documentation: one page per language, each with only that language's labels,
and a diagram."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SKOS

from sciplan_kg.paths import ONTOLOGY_FILE
from sciplan_kg.publish.ontodocs import language_copy, write_docs
from sciplan_kg.rdf.namespaces import SK


def test_language_copy_keeps_one_language() -> None:
    ontology = Graph().parse(ONTOLOGY_FILE)
    zh = language_copy(ontology, "zh")
    languages = {o.language for o in zh.objects(None, None) if isinstance(o, Literal) and o.language}
    assert languages == {"zh"}
    assert (SK.Task, RDFS.label, Literal("任务", lang="zh")) in zh
    assert not list(zh.subjects(None, SKOS.ConceptScheme))


def test_pages_in_both_languages(tmp_path: Path) -> None:
    write_docs(tmp_path)
    zh = (tmp_path / "zh" / "index.html").read_text(encoding="utf-8")
    en = (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert "实施方案" in zh and "implementation plan" not in zh
    assert "implementation plan" in en and "实施方案" not in en
    for lang in ("zh", "en"):
        assert (tmp_path / lang / "diagram.svg").stat().st_size > 10_000
        assert 'src="diagram.png"' in (tmp_path / lang / "index.html").read_text(encoding="utf-8")
