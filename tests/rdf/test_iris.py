"""Stable, readable IRIs."""

from __future__ import annotations

import pytest

from sciplan_kg.rdf import iris


@pytest.mark.parametrize(
    "printed",
    [
        "九龙坡府发〔2021〕7号",
        "九龙坡府发[2021]7号",
        "九龙坡府发【2021】7号",
        "九龙坡府发（2021）7号",
        "九龙坡府发〔２０２１〕７号",
        "九龙坡府发 〔2021〕 7 号",
    ],
)
def test_a_document_number_is_one_iri_however_its_brackets_are_printed(printed: str) -> None:
    """The provenance audit: [2021] gave document/九龙坡府发%5B2021%5D7号, another document."""
    assert iris.document(printed) == iris.document("九龙坡府发〔2021〕7号")
    assert str(iris.document(printed)).endswith("/document/九龙坡府发〔2021〕7号")


def test_a_title_keeps_its_brackets() -> None:
    """Only a number (…号) is respelled: a title's (2021—2025年) or (2021) stays as written."""
    title = "某市全民科学素质行动规划纲要实施方案（2021）"
    assert str(iris.document(title)).endswith("/document/" + title)
