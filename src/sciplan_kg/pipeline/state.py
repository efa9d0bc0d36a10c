"""What a build folder keeps for the next build, beside its outputs (``state/``), so that adding
or replacing one plan in thousands redoes that plan's work and no more:

- ``state/ledger.json`` (``ledger.py``): every plan's light summary, and where its pieces lie in
  the summary files, so a rebuild splices those files instead of making them again. A plan is
  still reused only when its key (file name, the bytes read now, the code) equals the recorded
  one: the plan files are read and hashed on every build (0.3 s for 3,000 plans), and no size
  or modification time is trusted instead.
- ``state/registry.json``: the registries' triple counts, description counts and validation
  results, under the code fingerprint; while that is unchanged the registry graphs are linked
  from the previous folder and the Workbench (registries, ontology, shapes, reasoner: 1.7 s)
  is not even loaded unless a plan must be built.
- ``state/similarity.bin``: what ``corpus.similarity_state.update_links`` keeps to update the links
  exactly (its own format; not RDF, so not under ``graph/``).
- ``state/similarity-files.json``: the plan each similarity file was written for and a digest
  of its links, under the code fingerprint. A plan's file is ``similarity_turtle`` of its links, a
  function of the links (task, other task, score, rank: all digested) and of code the
  fingerprint covers; so an equal digest under an equal fingerprint means equal bytes, and
  the file is linked from the previous folder instead of written (formatting every plan's
  links costs 1 s of CPU at 3,000 plans). The links are never presumed: a plan added anywhere
  can enter an unchanged plan's top links, so a file is linked only when the similarity update
  proves that plan's links unchanged (then the recorded digest is kept) or their digest is the
  recorded one; and only for the plan it was written for (a stem can name another plan after
  files are renamed).

Each file is read defensively: anything unreadable, malformed or of another format version is
ignored, and the build falls back to the work it would do without it (same bytes, more time).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from array import array
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from sciplan_kg.corpus.description import Counts
from sciplan_kg.corpus.similarity import Link
from sciplan_kg.pipeline.folder import REGISTRY, REGISTRY_INFERRED
from sciplan_kg.validation.report import Report

STATE_DIR = "state"
REGISTRY_STATE = "state/registry.json"
SIMILARITY_STATE = "state/similarity.bin"
SIMILARITY_FILES = "state/similarity-files.json"
FORMAT = 1
SIMILARITY_FILES_FORMAT = 2  # 2: each file's plan beside its digest


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """``target`` as a hard link to ``source`` (a copy where links are not possible). Raises
    ``FileNotFoundError`` when ``source`` is gone."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(source, target)


@dataclass
class RegistryState:
    """The registries' part of a build: counts and validation, under the code fingerprint."""

    code: str
    triples: int
    inferred: int
    counts: Counts
    report: Report

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "code": self.code,
            "triples": self.triples,
            "inferred": self.inferred,
            "counts": asdict(self.counts),
            "conforms": self.report.conforms,
            "results": [asdict(r) for r in self.report.results],
        }
        return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def reuse_registry(previous: Path | None, out: Path, code: str) -> RegistryState | None:
    """The registries' outputs of ``previous``, linked into ``out``, when they were made by the
    same code (fingerprint: code, ontology, shapes, registries); None otherwise."""
    if previous is None:
        return None
    try:
        data = json.loads((previous / REGISTRY_STATE).read_bytes())
        if data.get("format") != FORMAT or data.get("code") != code:
            return None
        state = RegistryState(
            code,
            int(data["triples"]),
            int(data["inferred"]),
            Counts(**data["counts"]),
            Report.from_dict(data),
        )
        for rel in (REGISTRY, REGISTRY_INFERRED):
            link_or_copy(previous / rel, out / rel)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        for rel in (REGISTRY, REGISTRY_INFERRED):
            (out / rel).unlink(missing_ok=True)
        return None
    return state


def read_similarity_state(previous: Path | None) -> bytes | None:
    if previous is None:
        return None
    try:
        return (previous / SIMILARITY_STATE).read_bytes()
    except OSError:
        return None


def links_digest(links: Sequence[Link]) -> str:
    """A digest of every field of ``links`` (one plan's, in their order; IRIs as strings or
    rdflib terms alike)."""
    h = hashlib.blake2b(digest_size=20)
    h.update("\0".join(iri for link in links for iri in (link.task, link.other)).encode("utf-8"))
    h.update(array("d", [link.score for link in links]).tobytes())
    h.update(array("q", [link.rank for link in links]).tobytes())
    return h.hexdigest()


def similarity_files_bytes(code: str, files: dict[str, tuple[str, str]]) -> bytes:
    """Each similarity file's plan and the digest of its links, by plan stem."""
    data = {"format": SIMILARITY_FILES_FORMAT, "code": code, "files": {k: list(v) for k, v in sorted(files.items())}}
    return (json.dumps(data, ensure_ascii=False, indent=0) + "\n").encode("utf-8")


def read_similarity_files(previous: Path | None, code: str) -> dict[str, tuple[str, str]]:
    """The plan and links digest of each of the previous build's similarity files by plan stem,
    if it was made by the same code; empty otherwise (every file is then written). The plan is
    recorded because a stem can name another plan in the next build (files renamed)."""
    if previous is None:
        return {}
    try:
        data = json.loads((previous / SIMILARITY_FILES).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != SIMILARITY_FILES_FORMAT or data.get("code") != code:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    return {
        k: (v[0], v[1])
        for k, v in files.items()
        if isinstance(k, str) and isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)
    }
