"""The ontology's documentation, in Chinese and in English (``make docs``).

pyLODE renders one page per ontology and cannot choose a language, so each page is rendered
from a copy of the ontology that keeps only that language's literals (and the untagged ones).
The copy also drops the ``skos:ConceptScheme`` typing of the ontology's small code lists:
pyLODE would otherwise take each scheme for the ontology and merge their titles. Each page
gets a diagram of the classes (sub-class links) and object properties (domain → range),
drawn with networkx and matplotlib in that language, as SVG and PNG beside it.

    python -m sciplan_kg.publish.ontodocs docs/ontology
"""

from __future__ import annotations

import html
import logging
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import SKOS

from sciplan_kg.paths import ONTOLOGY_FILE
from sciplan_kg.rdf.namespaces import SK

LANGUAGES = {"zh": "中文", "en": "English"}


def language_copy(ontology: Graph, lang: str) -> Graph:
    """The ontology with only ``lang`` (and untagged) literals, for pyLODE.

    pyLODE lists each section's entities in the order its graph yields them, which is the order
    the triples went in. A parsed graph's order changes from one process to the next (its blank
    nodes get random labels; its sets follow the string hash), so the copy is made in one fixed
    order: blank nodes relabelled canonically, triples added sorted."""
    out = Graph()
    for prefix, ns in ontology.namespaces():
        out.bind(prefix, ns)
    kept = []
    for s, p, o in to_canonical_graph(ontology):
        if isinstance(o, Literal) and o.language and o.language != lang:
            continue
        if p == RDF.type and o == SKOS.ConceptScheme:
            continue
        kept.append((s, p, o))
    for triple in sorted(kept):
        out.add(triple)
    return out


def _label(g: Graph, node: URIRef, lang: str) -> str:
    for label in g.objects(node, RDFS.label):
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def diagram(ontology: Graph, lang: str, folder: Path) -> tuple[str, str]:
    """Classes and object properties of the sk: namespace as a picture; (png, svg) names."""
    import networkx as nx

    from sciplan_kg.publish.report import charts

    charts._setup()
    plt = charts.plt
    ns = str(SK._NS)
    subjects = ontology.subjects(RDF.type, OWL.Class)
    classes = sorted(c for c in subjects if isinstance(c, URIRef) and str(c).startswith(ns))
    g = nx.DiGraph()
    for c in classes:
        g.add_node(c)
    sub_edges, prop_edges, prop_labels = [], [], {}
    for c in classes:
        for sup in sorted(ontology.objects(c, RDFS.subClassOf)):
            if isinstance(sup, URIRef) and str(sup).startswith(ns):
                g.add_edge(c, sup)
                sub_edges.append((c, sup))
    for p in sorted(ontology.subjects(RDF.type, OWL.ObjectProperty)):
        dom, rng = ontology.value(p, RDFS.domain), ontology.value(p, RDFS.range)
        if isinstance(dom, URIRef) and isinstance(rng, URIRef) and dom in g and rng in g and dom != rng:
            g.add_edge(dom, rng)
            prop_edges.append((dom, rng))
            prop_labels[(dom, rng)] = _label(ontology, p, lang)
    fig, ax = plt.subplots(figsize=(16, 12))
    # one layout for the whole picture: a hidden hub holds the separate parts together
    layout = g.to_undirected()
    for i, part in enumerate(sorted(nx.connected_components(layout), key=lambda c: sorted(map(str, c)))):
        layout.add_edge(("hub",), sorted(part, key=str)[0], weight=0.3)
        layout.nodes[("hub",)]["i"] = i
    pos = nx.kamada_kawai_layout(layout)
    pos.pop(("hub",), None)
    box = {"boxstyle": "round,pad=0.3", "fc": "#d6eaf8", "ec": "#1b4f72"}
    nx.draw_networkx_labels(g, pos, {c: _label(ontology, c, lang) for c in g}, ax=ax, font_size=9, bbox=box)
    nx.draw_networkx_edges(g, pos, edgelist=sub_edges, ax=ax, style="dashed", edge_color="#7f8c8d", arrowsize=14)
    nx.draw_networkx_edges(g, pos, edgelist=prop_edges, ax=ax, edge_color="#2471a3", arrowsize=12)
    nx.draw_networkx_edge_labels(g, pos, prop_labels, ax=ax, font_size=7, font_color="#1a5276")
    title = {
        "zh": "类（虚线：子类）与对象属性（实线：定义域 → 值域）",
        "en": "Classes (dashed: sub-class of) and object properties (solid: domain → range)",
    }[lang]
    ax.set_title(title)
    ax.axis("off")
    chart = charts._save(fig, folder, "diagram", title, title)
    return Path(chart.png).name, Path(chart.svg).name


def write_docs(out: Path, ontology_file: Path = ONTOLOGY_FILE, home: str | None = None) -> list[Path]:
    """Write ``out/index.html`` and ``out/<lang>/index.html`` with their diagrams; ``home``, a
    link relative to ``out`` (the report's ``../index.html``), is linked from every page."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    from pylode import OntPub  # its import configures the root logger at DEBUG: undone below

    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    ontology = Graph().parse(ontology_file)
    written = []
    for lang, name in LANGUAGES.items():
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        page = OntPub(ontology=language_copy(ontology, lang)).make_html()
        png, svg = diagram(ontology, lang, folder)
        others = " · ".join(f'<a href="../{x}/index.html">{n}</a>' for x, n in LANGUAGES.items() if x != lang)
        if home:
            others += f' · <a href="../{home}">{"报告首页" if lang == "zh" else "Report"}</a>'
        others += ' · <a href="../index.html">本体 ontology</a>'
        figure = (
            f'<div style="margin:1em 3em"><p>{html.escape(name)} · {others}</p>'
            f'<figure><a href="{svg}"><img src="{png}" style="max-width:100%" alt="diagram"></a>'
            f"<figcaption>{'本体图（点击看 SVG）' if lang == 'zh' else 'Diagram of the ontology (click for SVG)'}"
            "</figcaption></figure></div>"
        )
        page = page.replace("<body>", "<body>\n" + figure, 1)
        (folder / "index.html").write_text(page, encoding="utf-8")
        written.append(folder / "index.html")
    links = "".join(f'<li><a href="{x}/index.html">{n}</a></li>' for x, n in LANGUAGES.items())
    (out / "index.html").write_text(
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>sciplan-kg ontology</title></head>\n'
        f"<body><h1>sciplan-kg 本体 / ontology</h1><ul>{links}</ul>"
        + (f'<p><a href="{home}">报告首页 / report</a></p>' if home else "")
        + "</body></html>\n",
        encoding="utf-8",
    )
    written.append(out / "index.html")
    return written


if __name__ == "__main__":
    for path in write_docs(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/ontology")):
        print(path)
