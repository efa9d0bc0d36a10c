"""Plans of every level in one corpus: which built plan is the document another plan names as
its basis, and how each task of the child relates to the parent's tasks (copied, adapted, new).

Identity. A plan names its basis by document number, by title, or both (``DirectiveRef``); the
citation becomes a registry directive's IRI or a document IRI (``rdf.graph``). When the corpus
holds the plan cited, the graph says so in a graph of its own (``graph/parents.ttl``), written by
the corpus step, so that a plan's own graph never depends on which other plans are built:

- ``P sk:publishedAs D``: the built plan P is the document cited as D (a registry directive or a
  document node); also when P's number is a registry directive's, cited or not;
- ``C sk:parentPlan P``: the plan C names P (as D) as its basis.

Two documents are the same when their numbers agree (folded as ``registry.number_key``); when
either has no number, when their titles agree (folded as ``read.text.title_key``: no issuer
wrapper, brackets or 年). A number or title that two built plans share names neither (it is
ambiguous); a plan is never its own parent. No ``owl:sameAs``: the reasoner would copy every
triple of P onto D and back; queries follow ``sk:publishedAs`` where they need to.

Task matching (``METHOD``). Each task of C is compared with every task of each parent P: the
score is the share of C's character bigrams (letters and digits only, as ``similarity.letters``;
counted with repeats) found in the parent task — how much of the child's wording the parent
already has. The closest parent task is the one with the highest score (ties: the higher bigram
Dice, then the task IRI). Classes: ``copied`` at ``COPIED`` or above (near-verbatim: the child's
text is the parent's, or an excerpt of it, with at most a few characters changed), ``adapted``
from ``ADAPTED`` (the parent's wording reworded, shortened, extended or localised), ``new`` below
(the thresholds and their examples: docs/parent-matching.md). A parent without tasks leaves
every child task ``new`` with no parent task.

Shared bigrams are exact multiset intersections computed as sparse products: the k-th
occurrence of a bigram in a text is a feature of its own, so a dot product of 0/1 vectors
counts ``min(count_a, count_b)`` per bigram.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import numpy as np
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node
from scipy import sparse

from sciplan_kg.corpus.similarity import letters
from sciplan_kg.rdf import iris
from sciplan_kg.rdf.namespaces import ELI, SK
from sciplan_kg.rdf.rows import Row
from sciplan_kg.rdf.serialize import turtle_prefixes
from sciplan_kg.rdf.triples import Triples
from sciplan_kg.read.text import title_key
from sciplan_kg.resolve.registry import Registry, number_key

METHOD = "char-2gram-containment"
COPIED = 0.9
ADAPTED = 0.5
CLASSES = {"copied": SK.CopiedTask, "adapted": SK.AdaptedTask, "new": SK.NewTask}
MATCH_TRIPLES = 7  # triples of a match with a parent task (one fewer without)


# ---------------------------------------------------------------- what a plan names as its basis


def plan_basis(g: Graph | Triples, plan: URIRef, registry: Registry) -> dict[str, Any]:
    """What the corpus step needs of a built plan to find its parents and children, JSON-ready:
    its number and title, the registry directives it is by number (or by title when one side
    has none), and each document it cites with the number and titles known for it."""
    by_iri = {iris.directive(d.key): d for d in registry.directives.values()}
    number = _str(g.value(plan, ELI.id_local))
    titles = [_str(g.value(plan, ELI.title))] if g.value(plan, ELI.title) is not None else []
    same_as = sorted(
        str(node) for node, d in by_iri.items() if _same(number, [t for t in titles if t], d.number, list(d.titles))
    )
    cites = []
    for node in sorted(g.objects(plan, ELI.cites), key=str):
        d = by_iri.get(node)  # type: ignore[call-overload]
        if d is not None:
            cites.append({"node": str(node), "number": d.number, "titles": sorted(d.titles)})
        else:
            title = g.value(node, ELI.title)
            cites.append(
                {
                    "node": str(node),
                    "number": _str(g.value(node, ELI.id_local)),
                    "titles": [str(title)] if title is not None else [],
                }
            )
    return {"number": number, "titles": [t for t in titles if t], "same_as": same_as, "cites": cites}


def _str(value: object) -> str | None:
    return str(value) if value is not None else None


def _same(number_a: str | None, titles_a: Iterable[str], number_b: str | None, titles_b: Iterable[str]) -> bool:
    """One document? Numbers decide when both sides have one; titles otherwise."""
    if number_a and number_b:
        return number_key(number_a) == number_key(number_b)
    keys = {title_key(t) for t in titles_a if t}
    return bool(keys & {title_key(t) for t in titles_b if t})


@dataclass(frozen=True)
class Identity:
    """The plan-level links: (built plan, node it is published as), (child, parent plan)."""

    published_as: list[tuple[str, str]]
    parents: list[tuple[str, str]]


def identities(bases: dict[str, dict[str, Any]]) -> Identity:
    """``bases`` maps a plan IRI to its ``plan_basis``. Every citation that names a built plan
    (by number, or by title where a side has no number) links child and parent; a number or
    title key held by two built plans names neither."""
    keys = _TitleKeys()
    by_number: dict[str, list[str]] = defaultdict(list)
    by_title: dict[str, list[str]] = defaultdict(list)
    for plan, basis in sorted(bases.items()):
        if basis.get("number"):
            by_number[number_key(basis["number"])].append(plan)
        for key in sorted({keys[t] for t in basis.get("titles", [])}):
            by_title[key].append(plan)
    published: set[tuple[str, str]] = set()
    parents: set[tuple[str, str]] = set()
    for plan, basis in bases.items():
        published.update((plan, node) for node in basis.get("same_as", []))
    for child, basis in bases.items():
        for cite in basis.get("cites", []):
            for parent in _named(cite, bases, by_number, by_title, keys):
                if parent != child:
                    published.add((parent, cite["node"]))
                    parents.add((child, parent))
    return Identity(sorted(published), sorted(parents))


class _TitleKeys(dict[str, str]):
    """``title_key`` of each title, computed once: a corpus cites the same few documents
    thousands of times (at 3,000 generated plans 12k titles, 3k distinct; the keys were two
    thirds of the step)."""

    def __missing__(self, title: str) -> str:
        key = self[title] = title_key(title)
        return key


def _named(
    cite: dict[str, Any],
    bases: dict[str, dict[str, Any]],
    by_number: dict[str, list[str]],
    by_title: dict[str, list[str]],
    keys: Mapping[str, str],
) -> list[str]:
    """The one built plan a citation names, or none (not in the corpus, or ambiguous): by number;
    by title when the citation or the plan has no number."""
    number = cite.get("number")
    found: set[str] = set()
    if number:
        held = by_number.get(number_key(number), [])
        if len(held) > 1:
            return []
        found.update(held)
    for key in sorted({keys[t] for t in cite.get("titles", []) if t}):
        held = by_title.get(key, [])
        if len(held) == 1 and not (number and bases[held[0]].get("number")):
            found.update(held)
    return sorted(found) if len(found) == 1 else []


# ---------------------------------------------------------------- task matching


@dataclass(frozen=True)
class Match:
    child_task: str
    parent_plan: str
    parent_task: str | None
    score: float  # share of the child task's bigrams found in the parent task
    dice: float  # bigram Dice of the two (ties; shown in the examples)
    cls: str  # copied, adapted, new

    @property
    def node(self) -> URIRef:
        return URIRef(f"{self.child_task}/parent-match/{self.parent_plan.rsplit('/', 1)[-1]}")


def classify(score: float) -> str:
    return "copied" if score >= COPIED else "adapted" if score >= ADAPTED else "new"


@lru_cache(maxsize=1 << 16)
def _occurrences(text: str) -> np.ndarray:
    """The text's bigrams as (bigram, occurrence) features, one int64 each (sorted): code points
    are below 2**21, so a bigram takes 42 bits and its occurrence number the 12 above 0."""
    chars = np.frombuffer(letters(text).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    if len(chars) < 2:
        return np.zeros(0, dtype=np.int64)
    codes = np.sort((chars[:-1] << 21) | chars[1:])
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    occurrence = np.arange(len(codes)) - np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    return (codes << 12) | np.minimum(occurrence, 4095)


def _features(child: list[str], parent: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """0/1 rows of (bigram, occurrence) features of the child's and the parent's texts."""
    parts = [_occurrences(t) for t in child + parent]
    sizes = np.array([len(p) for p in parts], dtype=np.int64)
    every = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    columns, inverse = np.unique(every, return_inverse=True)
    rows = np.repeat(np.arange(len(parts)), sizes)
    shape = (len(parts), max(len(columns), 1))
    m = sparse.csr_matrix((np.ones(len(every)), (rows, inverse.ravel())), shape=shape)
    return m[: len(child)], m[len(child) :]


def match_tasks(child: list[tuple[str, str]], parent: list[tuple[str, str]], parent_plan: str) -> list[Match]:
    """Each (task, text) of ``child`` with its closest task of ``parent`` (the parent plan's
    (task, text)), in the child's task order as given."""
    if not parent:
        return [Match(t, parent_plan, None, 0.0, 0.0, "new") for t, _ in child]
    parent = sorted(parent)
    cm, pm = _features([text for _, text in child], [text for _, text in parent])
    csize = np.asarray(cm.sum(axis=1), dtype=np.float64).ravel()
    psize = np.asarray(pm.sum(axis=1), dtype=np.float64).ravel()
    shared = (cm @ pm.T).toarray()
    containment = np.round(shared / np.maximum(csize, 1.0)[:, None], 3)
    dice = np.round(2 * shared / np.maximum(csize[:, None] + psize[None, :], 1.0), 3)
    out = []
    for i, (task, _) in enumerate(child):
        # highest score, then highest Dice, then first IRI (the parent list is sorted)
        j = int(np.lexsort((np.arange(len(parent)), -dice[i], -containment[i]))[0])
        score = float(containment[i, j])
        out.append(Match(task, parent_plan, parent[j][0], score, float(dice[i, j]), classify(score)))
    return out


@dataclass(frozen=True)
class ParentLinks:
    identity: Identity
    matches: list[Match]


def parent_links(bases: dict[str, dict[str, Any]], tasks: Iterable[tuple[str, str, str]]) -> ParentLinks:
    """The identity links of the corpus and every child task matched against each parent
    present, the whole corpus at once (the build keeps them child by child:
    ``pipeline/parent_links.py``). ``tasks`` are (task, plan, text) of every plan."""
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for task, plan, text in tasks:
        pairs[plan].append((task, text))
    identity = identities(bases)
    parents_of: dict[str, list[str]] = defaultdict(list)
    for child, parent in identity.parents:
        parents_of[child].append(parent)
    matches = [
        m
        for child, parents in parents_of.items()
        for m in child_matches(pairs[child], {parent: pairs[parent] for parent in parents})
    ]
    matches.sort(key=lambda m: (m.child_task, m.parent_plan))
    return ParentLinks(identity, matches)


# ---------------------------------------------------------------- RDF


def parent_triples(links: ParentLinks) -> Iterator[tuple[Node, Node, Node]]:
    """The links as triples (the same as ``parents_turtle`` writes)."""
    for plan, node in links.identity.published_as:
        yield (URIRef(plan), SK.publishedAs, URIRef(node))
    for child, parent in links.identity.parents:
        yield (URIRef(child), SK.parentPlan, URIRef(parent))
    method = Literal(METHOD)
    for m in links.matches:
        node = m.node
        yield (node, RDF.type, SK.ParentTaskMatch)
        yield (node, SK.childTask, URIRef(m.child_task))
        yield (node, SK.matchedPlan, URIRef(m.parent_plan))
        if m.parent_task is not None:
            yield (node, SK.parentTask, URIRef(m.parent_task))
        yield (node, SK.matchScore, Literal(Decimal(str(m.score)), datatype=XSD.decimal))
        yield (node, SK.matchClass, CLASSES[m.cls])
        yield (node, SK.matchMethod, method)


def parents_graph(links: ParentLinks) -> Graph:
    g = Graph()
    for triple in parent_triples(links):
        g.add(triple)
    return g


def _term(iri: URIRef) -> str:
    return "sk:" + str(iri)[len(str(SK)) :]


def parents_turtle(links: ParentLinks) -> Iterator[bytes]:
    """The links as Turtle, written straight from them (one block per subject, blank-line
    separated, as the store's incremental load reads them), in a fixed order."""
    yield turtle_prefixes().encode("utf-8")
    yield identity_turtle(links.identity)
    for k in range(0, len(links.matches), 10_000):
        yield matches_turtle(links.matches[k : k + 10_000])


def identity_turtle(identity: Identity) -> bytes:
    """The identity links as Turtle blocks, one per plan, in the plans' order."""
    plans: dict[str, list[str]] = defaultdict(list)
    for plan, node in identity.published_as:
        plans[plan].append(f"sk:publishedAs <{node}>")
    for child, parent in identity.parents:
        plans[child].append(f"sk:parentPlan <{parent}>")
    return "".join(f"<{plan}> " + " ;\n    ".join(sorted(plans[plan])) + " .\n\n" for plan in sorted(plans)).encode(
        "utf-8"
    )


def matches_turtle(matches: Sequence[Match]) -> bytes:
    """Task matches as Turtle blocks, in the order given."""
    out = []
    for m in matches:
        parent_task = f"    sk:parentTask <{m.parent_task}> ;\n" if m.parent_task is not None else ""
        out.append(
            f"<{m.node}> a sk:ParentTaskMatch ;\n"
            f"    sk:childTask <{m.child_task}> ;\n"
            f"    sk:matchClass {_term(CLASSES[m.cls])} ;\n"
            f'    sk:matchMethod "{METHOD}" ;\n'
            f"    sk:matchScore {Decimal(str(m.score))} ;\n"
            f"    sk:matchedPlan <{m.parent_plan}> ;\n"
            f"{parent_task}"
            f"\n"
        )
    return "".join(out).replace(" ;\n\n", " .\n\n").encode("utf-8")


def match_rows(matches: Sequence[Match]) -> list[Row]:
    """The rows of the query tables (``rdf/rows.py``) that ``matches_turtle(matches)`` gives when
    parsed (``oxigraph_rows``): each match's class, child task, matched plan, score (its text as
    that file writes it) and parent task when it has one (tested; the method is in no table)."""
    rows: list[Row] = []
    for m in matches:
        node = str(m.node)
        rows += (
            ("t_match", node, "", ""),
            ("childtask", node, m.child_task, ""),
            ("matchclass", node, str(CLASSES[m.cls]), ""),
            ("matchscore", node, str(Decimal(str(m.score))), ""),
            ("matchedplan", node, m.parent_plan, ""),
        )
        if m.parent_task is not None:
            rows.append(("parenttask", node, m.parent_task, ""))
    return rows


def match_triples(matches: Iterable[Match]) -> int:
    """Triples ``matches_turtle`` writes for ``matches``."""
    return sum(MATCH_TRIPLES - (m.parent_task is None) for m in matches)


def child_matches(child: Sequence[tuple[str, str]], parents: Mapping[str, Sequence[tuple[str, str]]]) -> list[Match]:
    """Each (task, text) of one child plan matched against each of its ``parents`` (plan IRI →
    its (task, text)), in the order of ``ParentLinks.matches`` (by child task, then parent)."""
    tasks = sorted(child)
    matches = [m for parent, theirs in parents.items() for m in match_tasks(tasks, list(theirs), parent)]
    matches.sort(key=lambda m: (m.child_task, m.parent_plan))
    return matches


def link_count(links: ParentLinks) -> int:
    """Triples written for ``links``."""
    return len(links.identity.published_as) + len(links.identity.parents) + match_triples(links.matches)


# ---------------------------------------------------------------- differences, for a side-by-side view


def differences(parent: str, child: str) -> list[tuple[str, str]]:
    """The child text against the parent's as runs of ("same" | "added" | "removed", text):
    what the child kept, what it added, what it left out (characters, in order)."""
    out: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(None, parent, child, autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            out.append(("same", parent[a0:a1]))
            continue
        if a1 > a0:
            out.append(("removed", parent[a0:a1]))
        if b1 > b0:
            out.append(("added", child[b0:b1]))
    return out
