"""RDF: resolved records → triples. The namespaces and IRIs (minted from what the text says),
the plan graph builder, deterministic serialisation (same triples, same bytes) and parsing of
RDF files back into graphs.

In: resolved ``PlanRecord`` and ``Registry``. Out: rdflib ``Graph``s and their bytes.
Imports ``read``, ``extract``, ``resolve``; never the stages after it.
"""
