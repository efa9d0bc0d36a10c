"""Publishing: exports (Turtle, TriG, N-Triples, JSON-LD), a load to a SPARQL server, a local
Oxigraph server, the HTML report, the ontology's documentation.

In: a build folder (and its store, through ``query``). Out: files, a server. Imports every
stage before it; only ``api`` and ``cli`` import it.
"""
