"""The reference corpus's bigram document frequencies, ``data/reference/bigram-df.tsv``: the
frozen idf of task similarity (``sciplan_kg.corpus.similarity``).

Why frozen: with idf over the built corpus, adding one plan changes every task's vector and an
incremental build must score every pair again. With idf from a fixed reference, a task's vector
depends only on its own text, and one plan can be added or removed exactly.

The reference is the task texts of the five bundled plans (``data/plans/*.txt``), taken by the
build's own extraction (read → extract → resolve → RDF → ``similarity.plan_tasks``), one
document per task, letters and digits only (``similarity.letters``). Deterministic: the same
plans and ``--date`` give the same bytes (a test regenerates the committed file).

    .venv/bin/python scripts/bigram_df.py --date 2026-12-03 -o data/reference/bigram-df.tsv
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from sciplan_kg.corpus.similarity import letters, plan_tasks
from sciplan_kg.extract import extract_text
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.rdf.graph import PlanGraph, SourceFacts
from sciplan_kg.read.text import read_plan_text
from sciplan_kg.resolve.records import resolve
from sciplan_kg.resolve.registry import load_registry

COMMAND = ".venv/bin/python scripts/bigram_df.py --date {date} -o data/reference/bigram-df.tsv"


def reference_texts(plans: Iterable[Path]) -> list[str]:
    """The task texts of ``plans``, as the build extracts them (one per task, sorted by task)."""
    registry = load_registry()
    texts: list[tuple[str, str]] = []
    for path in plans:
        data = path.read_bytes()
        pt = read_plan_text(path, data)
        rec = resolve(extract_text(pt), registry)
        g = PlanGraph(rec, registry, pt.raw, SourceFacts(pt.format, len(data), pt.metadata, pt.ocr)).build()
        texts.extend((task, text) for task, _, text in plan_tasks(g))
    return [text for _, text in sorted(texts)]


def table(texts: Iterable[str], date: str) -> str:
    """The table of ``texts`` (one document each): a comment header, then ``bigram<TAB>df``
    sorted by bigram (code points)."""
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        n += 1
        chars = letters(text)
        df.update({chars[i : i + 2] for i in range(len(chars) - 1)})
    head = [
        "# Bigram document frequencies of the reference corpus of task similarity",
        "# (sciplan_kg.corpus.similarity: idf(g) = ln((N + 1) / (df(g) + 1)) + 1).",
        "# source: the task texts of the five bundled plans (data/plans/*.txt), one document per task,",
        "#   letters and digits only (similarity.letters)",
        f"# documents: {n}",
        f"# date: {date}",
        f"# made by: {COMMAND.format(date=date)}",
        "bigram\tdf",
    ]
    return "\n".join(head + [f"{gram}\t{count}" for gram, count in sorted(df.items())]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--date", default=datetime.date.today().isoformat(), help="date written in the header")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    out = table(reference_texts(sorted(PLANS_DIR.glob("*.txt"))), args.date)
    if args.output is None:
        sys.stdout.write(out)
        return 0
    tmp = args.output.with_name(args.output.name + ".tmp")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(out, encoding="utf-8", newline="\n")
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
