"""Reasoning: asserted triples + the ontology → their OWL 2 RL inferences, in a graph of their
own (a targeted materialiser proved equal to owlrl's closure).

In: ``Graph``s. Out: the inferred ``Graph``. Imports ``rdf``; never validation or after.
"""
