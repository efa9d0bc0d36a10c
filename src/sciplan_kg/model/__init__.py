"""Records → RDF: namespaces, IRI minting, and the graph builder."""
