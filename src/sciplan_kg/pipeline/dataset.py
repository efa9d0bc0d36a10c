"""The graph as a dataset of named graphs: one per plan (its asserted and inferred triples),
one for the registries, one for the ontology. This is what goes to a SPARQL store, so that
adding or replacing one plan touches one graph.

Graph IRIs: ``…/id/graph/plan/{place}-{start}-{end}``, ``…/id/graph/registry``,
``…/id/graph/ontology``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph, URIRef

from sciplan_kg.rdf import iris
from sciplan_kg.rdf.namespaces import ID, SK
from sciplan_kg.resolve.registry import load_registry

REGISTRY_GRAPH = URIRef(str(ID) + "graph/registry")
ONTOLOGY_GRAPH = URIRef(str(ID) + "graph/ontology")
SIMILARITY_GRAPH = URIRef(str(ID) + "graph/similarity")
PARENTS_GRAPH = URIRef(str(ID) + "graph/parents")  # built plans as parents, task matches (corpus/parents.py)
DATASET_GRAPH = URIRef(str(ID) + "graph/dataset")  # the VoID/DCAT description
_PLAN_PREFIX = str(ID) + "plan/"


def plan_graph_iri(plan: URIRef) -> URIRef:
    return URIRef(str(ID) + "graph/plan/" + str(plan)[len(_PLAN_PREFIX) :])


def _owners(asserted: Graph) -> tuple[dict[str, URIRef], dict[URIRef, URIRef]]:
    """IRI prefixes and single nodes that belong to each plan."""
    prefixes: dict[str, URIRef] = {}
    nodes: dict[URIRef, URIRef] = {}
    registry_slugs = {iris.segment(a.slug) for a in load_registry().areas.values()}
    for plan in asserted.subjects(RDF.type, SK.ImplementationPlan):
        if not isinstance(plan, URIRef):
            continue
        graph = plan_graph_iri(plan)
        prefixes[str(plan) + "/"] = graph
        nodes[plan] = graph
        source = asserted.value(plan, SK.sourceFile)
        if isinstance(source, URIRef):
            nodes[source] = graph
            for text in asserted.subjects(SK.extractedFrom, source):  # the text read from it: the spans' source
                if isinstance(text, URIRef):
                    nodes[text] = graph
        area = asserted.value(plan, SK.area)
        if isinstance(area, URIRef):
            slug = str(area).rsplit("/", 1)[-1]
            prefixes[str(ID) + f"agency/{slug}/"] = graph
            if slug not in registry_slugs:
                nodes[area] = graph  # an area no registry knows is described by its plan
    return prefixes, nodes


def named_graphs(
    asserted: Graph,
    inferred: Graph | None = None,
    ontology: Graph | None = None,
    similarity: Graph | None = None,
    parents: Graph | None = None,
) -> dict[URIRef, Graph]:
    """Split the graph into one named graph per plan, the registries, the ontology, the
    similarity links and the parent links (which span plans, so they have graphs of their own)."""
    prefixes, nodes = _owners(asserted)
    ordered = sorted(prefixes.items(), key=lambda kv: -len(kv[0]))
    out: dict[URIRef, Graph] = {REGISTRY_GRAPH: Graph()}
    for graph in set(nodes.values()) | set(prefixes.values()):
        out[graph] = Graph()

    def owner(subject: object) -> URIRef:
        if isinstance(subject, URIRef):
            if subject in nodes:
                return nodes[subject]
            text = str(subject)
            for prefix, graph in ordered:
                if text.startswith(prefix):
                    return graph
        return REGISTRY_GRAPH

    for part in (asserted, inferred):
        if part is None:
            continue
        for triple in part:
            out[owner(triple[0])].add(triple)
    if ontology is not None:
        out[ONTOLOGY_GRAPH] = ontology
    if similarity is not None:
        out[SIMILARITY_GRAPH] = similarity
    if parents is not None:
        out[PARENTS_GRAPH] = parents
    return out


def graph_files(build: Path) -> dict[URIRef, list[Path]]:
    """Each named graph of a build folder and the files it is made of."""
    from sciplan_kg.paths import ONTOLOGY_FILE
    from sciplan_kg.pipeline.folder import DATASET, REGISTRY, REGISTRY_INFERRED, BuildFolder

    folder = BuildFolder.open(build)
    graphs = {
        REGISTRY_GRAPH: [build / REGISTRY, build / REGISTRY_INFERRED],
        ONTOLOGY_GRAPH: [ONTOLOGY_FILE],
        SIMILARITY_GRAPH: folder.similarity_files(),  # one file per plan, sorted
    }
    if parents := folder.parent_files():
        graphs[PARENTS_GRAPH] = parents
    if (build / DATASET).is_file():
        graphs[DATASET_GRAPH] = [build / DATASET]
    for graph, asserted, inferred in folder.plan_graph_files():
        graphs[URIRef(graph)] = [asserted, inferred]
    return graphs


def load_dataset(path: Path) -> dict[URIRef, Graph]:
    """The named graphs of a build folder (or one RDF file), with the ontology.

    In a build folder each plan's graph is its own files (asserted and inferred), so what a
    plan adds to the registries' inferences travels with it."""
    from sciplan_kg.pipeline.folder import load_graphs
    from sciplan_kg.rdf.parse import load_ontology, parse_files

    if not path.is_dir():
        graphs = load_graphs(path)
        return named_graphs(
            graphs["asserted"], graphs.get("inferred"), load_ontology(), graphs.get("similarity"), graphs.get("parents")
        )
    return {name: parse_files(files) for name, files in graph_files(path).items()}
