"""IRIs minted from what the text says: the place, the plan's period, the measure's kind and
number, the task's number in its measure, the agency's registry key. Never random, never a
counter over the whole corpus, so adding a plan or a line elsewhere moves nothing.

Scheme (base ``https://w3id.org/sciplan-kg/id/``)::

    plan/{place}-{start}-{end}                      an implementation plan
    plan/{place}-{start}-{end}/{action|project}/{n} its n-th action or project
    …/{action|project}/{n}/task/{m}                 the m-th task of that measure
    …/{lead|support}/{agency}                       a responsibility statement
    …/span                                          the text span an item came from
    agency/{place}/{key}                            an agency of a jurisdiction
    area/{slug}   directive/{key}   document/{number-or-title}   body/{name}
    source/{sha256}   national-measure/{key}   target-group/{key}   agency-type/{key}
"""

from __future__ import annotations

import re
from urllib.parse import quote

from rdflib import URIRef

from sciplan_kg.rdf.namespaces import ID
from sciplan_kg.read.text import INVISIBLE
from sciplan_kg.resolve.registry import number_key

# what IRIs forbid or what would change the path, and the invisible characters extraction
# removes from names (RFC 3987 forbids the direction marks; the others would make two IRIs
# that look the same): those reach a segment only from outside the text, a file name
_UNSAFE = re.compile(r"[\s<>\"{}|\\^`#?/%\[\]" + "".join(sorted(INVISIBLE)) + "]")


def segment(text: str) -> str:
    """A readable path segment: Chinese stays Chinese; spaces become '-'; ASCII characters
    that IRIs forbid or that would change the path, and invisible characters, are
    percent-encoded."""
    if text.isascii() and text.isalnum():  # ordinals and keys: nothing to change (most calls)
        return text
    text = re.sub(r"\s+", "-", text.strip())
    return _UNSAFE.sub(lambda m: quote(m.group(0), safe=""), text)


def iri(*parts: str) -> URIRef:
    return URIRef(str(ID) + "/".join(parts))


def plan(place_slug: str, period: tuple[int, int] | None, fallback: str) -> URIRef:
    if period:
        return iri("plan", segment(f"{place_slug}-{period[0]}-{period[1]}"))
    return iri("plan", segment(f"{place_slug}-{fallback}"))


def child(parent: URIRef, *parts: str) -> URIRef:
    return URIRef(str(parent) + "/" + "/".join(segment(p) for p in parts))


def agency(place_slug: str, key: str) -> URIRef:
    return iri("agency", segment(place_slug), segment(key))


def area(slug: str) -> URIRef:
    return iri("area", segment(slug))


def directive(key: str) -> URIRef:
    return iri("directive", segment(key))


# a document number's year, its brackets folded ([2021] (2021): ``number_key``)
_YEAR_BRACKET = re.compile(r"[\[(]((?:19|20)\d{2})[\])]")


def document(number_or_title: str) -> URIRef:
    """A cited document no registry knows, by its number as printed or else its title. A
    number is keyed in one spelling, so that two plans citing 九龙坡府发[2021]7号 and
    九龙坡府发〔２０２１〕７号 cite one document: the registry's ``number_key`` (digits and brackets
    folded, no spaces), the year in 〔〕."""
    key = number_or_title
    if key.rstrip().endswith("号"):
        key = _YEAR_BRACKET.sub(r"〔\1〕", number_key(key))
    return iri("document", segment(key))


def body(name: str) -> URIRef:
    return iri("body", segment(name))


def source(sha256: str) -> URIRef:
    return iri("source", sha256)


def national_measure(key: str) -> URIRef:
    return iri("national-measure", key)


def target_group(key: str) -> URIRef:
    return iri("target-group", key)


def agency_type(key: str) -> URIRef:
    return iri("agency-type", key)


def agency_category(key: str) -> URIRef:
    return iri("agency-category", key)


def safeguard_kind(key: str) -> URIRef:
    return iri("safeguard-kind", key)


def indicator(key: str) -> URIRef:
    return iri("indicator", key)


def population_group(key: str) -> URIRef:
    """A population group of data/registry/groups.toml; the five national groups keep the IRI
    they have as target groups of the national measures."""
    return target_group(key)


def instrument(key: str) -> URIRef:
    """A policy instrument (or its group: supply, environment, demand) of data/registry/instruments.toml."""
    return iri("policy-instrument", segment(key))
