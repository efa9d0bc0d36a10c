"""Similarity updated one plan at a time: ``link_corpus`` with any previous state gives exactly
the links of a full computation (``similar_tasks``), and a state it cannot trust is ignored;
``update_links`` gives the same links per plan, and a plan it calls unchanged has the links it
had before."""

from __future__ import annotations

import importlib.util
import math
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from sciplan_kg.corpus import similarity_state
from sciplan_kg.corpus.similarity import REFERENCE, Link, reference, similar_tasks
from sciplan_kg.corpus.similarity_state import link_corpus, update_links
from sciplan_kg.pipeline.build import BuildResult

# shared phrases, so that copies (score 1.0), ties and the 0.3 threshold all occur
PHRASES = [
    "深入开展全国科普日",
    "科技活动周",
    "综合性科普品牌活动",
    "建设农村科普示范基地",
    "培训高素质农民",
    "完善干部考核评价机制",
    "扩大覆盖面",
    "青少年科学素质提升",
    "老年人智能技术培训",
    "产业工人技能",
    "应急科普",
    "加强科普队伍建设",
    "Ｗｉｆｉ全覆盖2025",
]

Tasks = dict[URIRef, tuple[URIRef, str]]


def _plan(rng: random.Random, name: int, version: int) -> Tasks:
    plan = URIRef(f"urn:plan:{name}")
    return {
        URIRef(f"{plan}/task/{i}"): (plan, "，".join(rng.sample(PHRASES, rng.randint(1, 3))) + "。" * version)
        for i in range(rng.randint(0, 5))
    }


def _corpus(plans: dict[int, Tasks]) -> Tasks:
    return {t: v for tasks in plans.values() for t, v in tasks.items()}


steps = st.lists(st.tuples(st.sampled_from(["add", "remove", "replace"]), st.integers(0, 11), st.integers(0, 9)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), steps=steps)
def test_updated_links_equal_the_full_computation_at_every_step(seed: int, steps: list[tuple[str, int, int]]) -> None:
    rng = random.Random(seed)
    plans = {p: _plan(rng, p, 0) for p in range(rng.randint(0, 8))}
    state: bytes | None = None
    before: dict[str, list[Link]] = {}
    for n, (op, p, version) in enumerate(steps):
        if op == "remove":
            plans.pop(p, None)
        else:  # add a plan, or replace one (the same IRIs, other texts)
            plans[p] = _plan(rng, p, version)
        tasks = _corpus(plans)
        update = update_links(((str(t), str(v[0]), v[1]) for t, v in tasks.items()), state)
        links, state = link_corpus(tasks, state)
        assert links == similar_tasks(tasks), f"step {n}: {op} {p}"
        assert state == link_corpus(tasks, None)[1], "the same tasks give the same state however reached"
        assert update.state == state and update.count == len(links)
        now = _by_plan(links, tasks)
        assert update.links_of(now) == now
        for plan in now:
            if update.unchanged(plan):
                assert now[plan] == before[plan], f"step {n}: {plan} called unchanged"
        before = now


def _by_plan(links: list[Link], tasks: Tasks) -> dict[str, list[Link]]:
    """Each plan's links (every plan of ``tasks``, plain-string IRIs)."""
    out: dict[str, list[Link]] = {str(plan): [] for plan, _ in tasks.values()}
    for link in links:
        out[str(tasks[URIRef(link.task)][0])].append(Link(str(link.task), str(link.other), link.score, link.rank))
    return out


def test_updates_take_the_incremental_path(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    plans = {p: _plan(rng, p, 0) for p in range(12)}
    _, state = link_corpus(_corpus(plans), None)
    full = similarity_state._full
    calls = []
    monkeypatch.setattr(similarity_state, "_full", lambda *a: calls.append(1) or full(*a))
    for change in ("replace", "add", "remove"):
        p = {"replace": 3, "add": 12, "remove": 5}[change]
        if change == "remove":
            plans.pop(p)
        else:
            plans[p] = _plan(rng, p, 1)
        links, state = link_corpus(_corpus(plans), state)
        assert not calls, f"no full computation for one plan changed ({change})"
        monkeypatch.setattr(similarity_state, "_full", full)
        assert links == similar_tasks(_corpus(plans))
        monkeypatch.setattr(similarity_state, "_full", lambda *a: calls.append(1) or full(*a))


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: b"",
        lambda s: b"garbage",
        lambda s: s[: len(s) // 2],
        lambda s: s[:-1] + bytes([s[-1] ^ 1]),
        lambda s: s.replace(b"char-2gram-tfidf-cosine-refidf", b"char-2gram-tfidf-cosine"),
        lambda s: s.replace(reference().sha256.encode(), b"0" * 64),
    ],
)
def test_a_state_it_cannot_trust_is_ignored(damage) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    before = _corpus({p: _plan(rng, p, 0) for p in range(6)})
    after = _corpus({p: _plan(rng, p, 1) for p in range(1, 7)})
    _, state = link_corpus(before, None)
    links, new_state = link_corpus(after, damage(state))
    assert links == similar_tasks(after)
    assert new_state == link_corpus(after, None)[1]


def test_an_empty_corpus_and_back() -> None:
    rng = random.Random(5)
    tasks = _corpus({p: _plan(rng, p, 0) for p in range(5)})
    links, state = link_corpus({}, None)
    assert links == []
    links, state = link_corpus(tasks, state)
    assert links == similar_tasks(tasks)
    assert link_corpus({}, state)[0] == []


def test_common_genre_bigrams_weigh_less_than_rare_ones() -> None:
    ref = reference()
    assert ref.documents > 100
    assert ref.idf("科普") < ref.idf("农民") < ref.idf("鲸鱼")
    assert ref.idf("鲸鱼") == math.log(ref.documents + 1) + 1  # never seen: the rarest


def test_the_script_reproduces_the_committed_table(five: BuildResult) -> None:
    spec = importlib.util.spec_from_file_location("bigram_df", Path(__file__).parents[2] / "scripts" / "bigram_df.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    committed = REFERENCE.read_text(encoding="utf-8")
    date = next(line for line in committed.splitlines() if line.startswith("# date: ")).removeprefix("# date: ")
    texts = [text for _, text in sorted((t, text) for p in five.plans for t, _, text in p.tasks)]
    assert script.table(texts, date) == committed
