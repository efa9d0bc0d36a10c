"""Parsing a query keeps nothing of its caller alive: pyparsing's memo (switched on by
matplotlib, which the report imports) held failed attempts with their tracebacks, whose frames
held their callers' frames, so the report's corpus read kept its whole working set."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator

import pytest
from pyparsing import ParserElement

from sciplan_kg.query.catalogue import CatalogueQuery, find_query
from sciplan_kg.query.run import prepare
from sciplan_kg.query.translate import translate_text


class _Big:
    """Stands for a caller's working set."""


@pytest.fixture
def memo() -> Iterator[None]:
    """pyparsing's memo on, as matplotlib leaves it; restored afterwards."""
    was = ParserElement._packratEnabled
    ParserElement.enable_packrat()
    try:
        yield
    finally:
        ParserElement.reset_cache()
        if not was:
            ParserElement.disable_memoization()


def _caller_kept(parse: Callable[[], object]) -> bool:
    def caller() -> weakref.ref[_Big]:
        held = _Big()
        parse()
        return weakref.ref(held)

    ref = caller()
    gc.collect()
    return ref() is not None


def _tasks() -> CatalogueQuery:
    return find_query("tasks")


def test_the_memo_is_on_in_this_test(memo: None) -> None:
    """What the other tests stand on: a parse under the memo, not emptied, keeps the caller."""
    from rdflib.plugins.sparql import prepareQuery

    assert _caller_kept(lambda: prepareQuery(_tasks().text))


@pytest.mark.parametrize("how", ["prepare", "translate", "syntax error"])
def test_a_parse_keeps_nothing_of_its_caller(memo: None, how: str) -> None:
    q = _tasks()
    if how == "prepare":
        assert not _caller_kept(lambda: prepare(q))
    elif how == "translate":
        assert not _caller_kept(lambda: translate_text(q.text))
    else:
        broken = CatalogueQuery(**{**q.__dict__, "text": q.text.replace("WHERE", "WHERE {", 1)})

        def failing() -> None:
            with pytest.raises(Exception, match="syntax error"):
                prepare(broken)

        assert not _caller_kept(failing)
