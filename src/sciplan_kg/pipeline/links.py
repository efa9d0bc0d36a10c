"""The similarity step of a build: the links between similar tasks of different plans, updated
from the previous build's state and written one file per plan (``graph/similarity/<stem>.ttl``).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from sciplan_kg.corpus.similarity import Link, link_corpus, similarity_turtle
from sciplan_kg.pipeline.folder import similarity_file_of
from sciplan_kg.pipeline.plan import PlanOutput
from sciplan_kg.pipeline.state import (
    SIMILARITY_FILES,
    SIMILARITY_STATE,
    link_or_copy,
    links_digest,
    read_similarity_files,
    read_similarity_state,
    similarity_files_bytes,
)


def similarity_step(plans: list[PlanOutput], previous: Path | None, tmp: Path, cores: int, code: str) -> list[Link]:
    """The similarity links, updated from the previous build's state (``link_corpus``), written
    one file per plan (the links from its tasks). A plan's file is linked from the previous
    folder when its links are the same as the ones that file was written from (their digests,
    ``state.SIMILARITY_FILES``), so a store re-reads only the files that changed."""
    tasks: dict[URIRef, tuple[URIRef, str]] = {}
    stem_of: dict[URIRef, str] = {}
    by_plan: dict[str, list[Link]] = {}
    for p in plans:
        plan, stem = URIRef(p.plan), p.stem
        by_plan[stem] = []
        for t, _, text in p.tasks:
            task = URIRef(t)
            tasks[task] = (plan, text)
            stem_of[task] = stem
    links, state = link_corpus(tasks, read_similarity_state(previous), jobs=cores)
    (tmp / SIMILARITY_STATE).write_bytes(state)
    for link in links:
        by_plan[stem_of[link.task]].append(link)
    before = read_similarity_files(previous, code)
    digests: dict[str, str] = {}
    for stem, own in by_plan.items():
        rel = similarity_file_of(stem)
        digests[stem] = links_digest(own)
        if previous is not None and before.get(stem) == digests[stem]:
            try:
                link_or_copy(previous / rel, tmp / rel)
                continue
            except FileNotFoundError:
                pass
        with (tmp / rel).open("wb") as fh:
            fh.writelines(similarity_turtle(own))
    (tmp / SIMILARITY_FILES).write_bytes(similarity_files_bytes(code, digests))
    return links
