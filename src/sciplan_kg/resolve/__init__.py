"""Resolving: extraction records + the curated registries (``data/registry/``) → resolved
records: each written agency name to one agency of its jurisdiction, each cited document to a
registry directive, each measure to the national measure it corresponds to.

In: ``extract.records.PlanRecord``. Out: the same records, resolved, and the ``Registry``.
Imports ``read`` and ``extract``; never ``rdf`` or anything after it.
"""
