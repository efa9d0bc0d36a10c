"""Profile the catalogue queries on a built corpus's embedded store.

    python bench/queries.py BUILD [NAME ...] [--limit SECONDS]

For each query: the time Oxigraph takes to produce every solution (``evaluate``), the time of
the whole backend call as a user sees it (``total``: syntax check, evaluation, conversion to
Python rows; stopped at the limit) and the row count.
Used to find which queries miss the 2 s goal and why; `make bench` times them too.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sciplan_kg.errors import QueryError
from sciplan_kg.index import open_store
from sciplan_kg.query.backends import OxigraphBackend, with_values
from sciplan_kg.query.catalogue import catalogue
from sciplan_kg.query.run import bindings


def evaluate(store: object, text: str) -> float:
    """Seconds to iterate every solution, without converting it."""
    start = time.perf_counter()
    for _ in store.query(text):  # type: ignore[attr-defined]
        pass
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", type=Path)
    ap.add_argument("names", nargs="*")
    ap.add_argument("--limit", type=float, default=30.0)
    args = ap.parse_args()
    store = open_store(args.build)
    backend = OxigraphBackend(store)
    print(f"{'query':24} {'evaluate s':>10} {'total s':>9} {'rows':>8}")
    for q in catalogue().values():
        if args.names and q.name not in args.names:
            continue
        start = time.perf_counter()
        try:
            rows = len(backend.run(q, {}, timeout=args.limit).rows)
        except QueryError:  # stopped at the limit
            print(f"{q.name:24} {'-':>10} {'>' + format(args.limit, 'g'):>9} {'-':>8}", flush=True)
            continue
        total = time.perf_counter() - start
        ev = evaluate(store, with_values(q.text, bindings(q, {})))
        print(f"{q.name:24} {ev:10.2f} {total:9.2f} {rows:8}", flush=True)


if __name__ == "__main__":
    main()
