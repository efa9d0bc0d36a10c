"""Validation: a plan's graph (asserted + inferred + registries) against the SHACL shapes →
a ``Report`` people can read in Chinese and English. Two engines give the same results: the
shapes compiled into checks (``compiled``) and pySHACL.

(Named ``validation``, not ``validate``: ``sciplan_kg.validate`` is the API function.)
In: ``Graph``s. Out: ``report.Report``. Imports ``rdf``; never ``reason``'s callers or after.
"""
