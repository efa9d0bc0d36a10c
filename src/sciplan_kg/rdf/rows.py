"""The narrow tables the whole-corpus listings read (``query/frames.py``, DuckDB): which
properties and classes, and how one graph file's triples become their rows.

Why here, in the rdf layer: the rows are a function of a graph file's triples alone, so
whoever holds those triples can make them — the query layer parsing a file the store loaded
(``query/tables.py``, what is done), or a writer of graph files holding them in memory (measured
in docs/engines.md: cheaper by a third end to end, not more, and a hook in every writer).

A row: the table's name, the subject's IRI, the object's text (an IRI's IRI, a literal's
lexical form), the literal's language tag ("" when none). A class table's rows have the
member as subject and empty object and language. Blank nodes are left out: the files this
package writes have none, and a blank node's label means nothing outside its file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

SK = "https://w3id.org/sciplan-kg/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# one table per property the five listings read (subject, object, language tag) …
PROPERTIES = {
    "inmeasure": SK + "inMeasure", "ordinal": SK + "ordinal", "text": SK + "text", "inplan": SK + "inPlan",
    "label": RDFS + "label", "area": SK + "area", "foritem": SK + "forItem", "role": SK + "role",
    "agency": SK + "agency", "inhlead": SK + "inheritedLeadAgency", "inhsupp": SK + "inheritedSupportAgency",
    "preflabel": SKOS + "prefLabel", "derived": PROV + "wasDerivedFrom", "hassource": OA + "hasSource",
    "line": SK + "line", "selector": OA + "hasSelector", "start": OA + "start", "end_": OA + "end",
    "exact": OA + "exact", "filename": SK + "fileName", "sha256": SK + "sha256", "resp": SK + "responsibleAgency",
    "score": SK + "score", "fromtask": SK + "fromTask", "totask": SK + "toTask", "rank_": SK + "rank",
    "uses": SK + "usesInstrument", "broader": SKOS + "broader", "notation": SKOS + "notation",
    # … and, for users' own queries (query/translate.py), the agencies' roles and types and the
    # tasks' target groups, the properties a listing of one's own most often asks for
    "lead": SK + "leadAgency", "support": SK + "supportAgency", "agencytype": SK + "agencyType",
    "taskgroup": SK + "taskTargetGroup",
}  # fmt: skip
# … and one per class (its members)
CLASSES = {
    "t_task": SK + "Task", "t_action": SK + "Action", "t_plan": SK + "ImplementationPlan",
    "t_measure": SK + "Measure", "t_instr": SK + "PolicyInstrument", "t_project": SK + "Project",
    "t_agency": SK + "Agency",
}  # fmt: skip
# what each property's objects are (``query/translate.py`` types a user's query by them): an IRI,
# a string literal (plain or language-tagged), an xsd:integer, an xsd:decimal; held true of the
# data by tests/rdf/test_rows.py
KINDS = {
    **dict.fromkeys(("inmeasure", "inplan", "area", "foritem", "role", "agency", "inhlead", "inhsupp", "derived",
                     "hassource", "selector", "resp", "fromtask", "totask", "uses", "broader", "lead", "support",
                     "agencytype", "taskgroup"), "iri"),
    **dict.fromkeys(("text", "label", "preflabel", "exact", "filename", "sha256", "notation"), "lit"),
    **dict.fromkeys(("ordinal", "line", "start", "end_", "rank_"), "int"),
    "score": "num",
}  # fmt: skip
TABLES = [*PROPERTIES, *CLASSES]
BY_PROPERTY = {iri: table for table, iri in PROPERTIES.items()}
BY_CLASS = {iri: table for table, iri in CLASSES.items()}

Row = tuple[str, str, str, str]  # table, subject, object text, language tag


def oxigraph_rows(quads: Iterable[Any]) -> Iterator[Row]:
    """The rows of pyoxigraph triples or quads (``pyoxigraph.parse``)."""
    import pyoxigraph as ox

    props = {ox.NamedNode(iri): table for iri, table in BY_PROPERTY.items()}
    classes = {ox.NamedNode(iri): table for iri, table in BY_CLASS.items()}
    rdf_type = ox.NamedNode(RDF_TYPE)
    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
    for q in quads:
        p = q.predicate
        table = props.get(p)
        if table is not None:
            s, o = q.subject, q.object
            if type(s) is not named or type(o) is blank:
                continue
            if type(o) is literal:
                yield table, s.value, o.value, o.language or ""
            else:
                yield table, s.value, o.value, ""
        elif p == rdf_type:
            table = classes.get(q.object)
            if table is not None and type(q.subject) is named:
                yield table, q.subject.value, "", ""
