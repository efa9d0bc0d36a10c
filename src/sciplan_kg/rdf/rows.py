"""The narrow tables the whole-corpus listings read (``query/frames.py``, DuckDB): which
properties and classes, and how one graph file's triples become their rows.

Why here, in the rdf layer: the rows are a function of a graph file's triples alone, so
whoever holds those triples can make them — the query layer parsing a file the store loaded
(``query/tables.py``: ``oxigraph_rows``), or the writer of a graph file holding them in memory
(the build, for each plan's two files: ``triples_rows``), which writes them beside the file as
its *rows companion* (``companion_bytes``, ``X.ttl`` → ``X.rows``). The tables read a
companion instead of parsing its file when it says it was made from exactly that file's bytes
(``companion_matches``: the file's size and CRC-32 in its first line): at 3,000 plans parsing
every file in Python was 44 s of a full load on 2 cores.

A row: the table's name, the subject's IRI, the object's text (an IRI's IRI, a literal's
lexical form), the literal's language tag ("" when none). A class table's rows have the
member as subject and empty object and language. Blank nodes are left out: the files this
package writes have none, and a blank node's label means nothing outside its file.
"""

from __future__ import annotations

import hashlib
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sciplan_kg.rdf.triples import Triples

SK = "https://w3id.org/sciplan-kg/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# one table per property the whole-corpus listings read (query/frames.py: subject, object, language tag) …
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
    # … and the child tasks' matches with their parents' (corpus/parents.py), which the two
    # parent listings read over the whole corpus (99k matches at 3,000 generated plans)
    "childtask": SK + "childTask", "parenttask": SK + "parentTask", "matchedplan": SK + "matchedPlan",
    "matchscore": SK + "matchScore", "matchclass": SK + "matchClass",
}  # fmt: skip
# … and one per class (its members)
CLASSES = {
    "t_task": SK + "Task", "t_action": SK + "Action", "t_plan": SK + "ImplementationPlan",
    "t_measure": SK + "Measure", "t_instr": SK + "PolicyInstrument", "t_project": SK + "Project",
    "t_agency": SK + "Agency", "t_match": SK + "ParentTaskMatch",
}  # fmt: skip
# what each property's objects are (``query/translate.py`` types a user's query by them): an IRI,
# a string literal (plain or language-tagged), an xsd:integer, an xsd:decimal; held true of the
# data by tests/rdf/test_rows.py
KINDS = {
    **dict.fromkeys(("inmeasure", "inplan", "area", "foritem", "role", "agency", "inhlead", "inhsupp", "derived",
                     "hassource", "selector", "resp", "fromtask", "totask", "uses", "broader", "lead", "support",
                     "agencytype", "taskgroup", "childtask", "parenttask", "matchedplan", "matchclass"), "iri"),
    **dict.fromkeys(("text", "label", "preflabel", "exact", "filename", "sha256", "notation"), "lit"),
    **dict.fromkeys(("ordinal", "line", "start", "end_", "rank_"), "int"),
    "score": "num", "matchscore": "num",
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


def triples_rows(triples: Triples) -> list[Row]:
    """The rows of indexed rdflib triples: what ``oxigraph_rows`` gives for the Turtle file
    ``rdf.serialize.turtle_bytes`` writes of them, read from the index by predicate (the
    lexical forms as that file holds them: an xsd:decimal with an integer's lexical form is
    written with ".0"). Held equal on every plan by tests/rdf/test_rows.py."""
    from rdflib import URIRef

    rows: list[Row] = []
    for table, text, lang, subjects in _groups(triples):
        rows.extend((table, str(s), text, lang) for s in subjects if isinstance(s, URIRef))
    return rows


def triples_companion(triples: Triples, graph: bytes) -> bytes:
    """``companion_bytes(triples_rows(triples), graph)``, the same bytes, made a group at a
    time: the rows of one table and one object differ only in their subject, so each group is
    one ``str.join`` of its subjects, not a tuple per row and then a line per tuple (3.4 → 2.4
    ms per plan). Subjects are written as they are, so a file with a subject that needs quoting
    (a '"') or is not an IRI takes the row-by-row way."""
    from rdflib import URIRef

    if any(type(s) is not URIRef or '"' in s for s in triples.spo):
        return companion_bytes(triples_rows(triples), graph)
    parts: list[str] = []
    add = parts.append
    for table, text, lang, subjects in _groups(triples):
        head, tail = f'{table},"', f'","{text.replace(_Q, _QQ)}",{lang}\n'
        add(head)
        add((tail + head).join(subjects))
        add(tail)
    return _with_head(graph, "".join(parts).encode())


def _groups(triples: Triples) -> Iterator[tuple[str, str, str, Iterable[Any]]]:
    """The rows of ``triples`` a group at a time: (table, object text, language tag, the
    subjects that have it), blank-node objects left out; a class table's groups have an empty
    object and tag."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD

    decimal = {XSD.decimal}  # a set: the datatype found by identity, no Python ``__eq__`` call
    pos = triples.pos
    for iri, table in BY_PROPERTY.items():
        by_object = pos.get(URIRef(iri))
        if not by_object:
            continue
        for o, subjects in by_object.items():
            kind = type(o)  # before isinstance: rdflib's terms are ABCs, a false isinstance a Python call
            if kind is URIRef:
                yield table, str(o), "", subjects
            elif kind is Literal or isinstance(o, Literal):
                text = str(o)
                if o.datatype in decimal and _INTEGER.match(text):
                    text += ".0"
                yield table, text, o.language or "", subjects
            elif not isinstance(o, BNode):
                yield table, str(o), "", subjects
    types = pos.get(URIRef(RDF_TYPE))
    if types:
        for iri, table in BY_CLASS.items():
            members = types.get(URIRef(iri))
            if members:
                yield table, "", "", members


_INTEGER = re.compile(r"^[+-]?\d+$")


# a rows companion: this line (which tables it was made for, the size and CRC-32 of the graph
# file's bytes it was made from, and the length of the rows after it), then one CSV line per
# row: table,"subject","object",language — quoted as RFC 4180 quotes (a doubled '"'), so a
# text may hold commas, quotes and line breaks. The tables' digest: a companion written when
# the tables held other properties (a folder built by another version) is not read, its file
# is parsed.
COMPANION_SUFFIX = ".rows"
# the digest of the tables (their names and what each holds), public: the query tables' database
# is made anew when it was made for other tables (query/tables.py)
SCHEMA = hashlib.sha256(repr((sorted(PROPERTIES.items()), sorted(CLASSES.items()))).encode()).hexdigest()[:16]
_COMPANION_HEAD = f"#sciplan-kg rows 2 {SCHEMA} ".encode()
_HEAD = re.compile(rb"#sciplan-kg rows 2 ([0-9a-f]{16}) (\d+) ([0-9a-f]{8}) (\d+)\n")


def companion_of(name: str) -> str:
    """The name of a graph file's rows companion (``graph/asserted/X.ttl`` → ``…/X.rows``; the
    store's link ``<link>.ttl`` → ``<link>.rows``)."""
    return name.removesuffix(".ttl") + COMPANION_SUFFIX


def companion(path: Path) -> Path:
    """The rows companion of a graph file, beside it."""
    return path.with_name(companion_of(path.name))


def companion_bytes(rows: Iterable[Row], graph: bytes) -> bytes:
    """A rows companion of the graph file whose bytes are ``graph``."""
    q, qq = _Q, _QQ
    text = "".join(f'{t},"{s.replace(q, qq)}","{o.replace(q, qq)}",{lang}\n' for t, s, o, lang in rows)
    return _with_head(graph, text.encode())


_Q, _QQ = '"', '""'  # a quote in a CSV field, and how it is written


def _with_head(graph: bytes, body: bytes) -> bytes:
    """A companion: its first line, for the graph file whose bytes are ``graph`` and the rows
    ``body`` (its length: a companion cut short or added to is not read), then the body."""
    return b"%s%d %08x %d\n%s" % (_COMPANION_HEAD, len(graph), zlib.crc32(graph), len(body), body)


def companion_matches(rows_file: Path, graph_file: Path) -> bool:
    """Was ``rows_file`` made for these tables from exactly the bytes ``graph_file`` holds now
    (its first line names the tables' digest and the bytes' size and CRC-32), and is its body
    as long as that line says (not cut short by a full disk or a copy that stopped)? False
    when either cannot be read. The CRC is taken from ``note_crc`` when this process has read
    the very file (same inode, size and modification time) since, else from reading it."""
    try:
        with rows_file.open("rb") as fh:
            line = fh.readline(120)
            head = _HEAD.fullmatch(line)
            if head is None or head[1].decode() != SCHEMA:
                return False
            if os.fstat(fh.fileno()).st_size != len(line) + int(head[4]):
                return False
        with graph_file.open("rb") as fh:
            st = os.fstat(fh.fileno())
            if int(head[2]) != st.st_size:
                return False
            crc = _CRCS.get((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
            if crc is None:
                crc = 0
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    crc = zlib.crc32(chunk, crc)
        return f"{crc:08x}".encode() == head[3]
    except OSError:
        return False


# CRC-32s of graph files this process read whole (the store's full load reads every file it
# loads, then the tables check every companion against its file: reading 1 GB twice at 3,000
# plans), by the file's identity: a file written since has another modification time
_CRCS: dict[tuple[int, int, int, int], int] = {}
_CRCS_KEPT = 100_000


def note_crc(st: os.stat_result, crc: int) -> None:
    """Remember that the file of ``st`` (its ``fstat`` when read) has the CRC-32 ``crc``."""
    if len(_CRCS) >= _CRCS_KEPT:
        _CRCS.clear()
    _CRCS[(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)] = crc
