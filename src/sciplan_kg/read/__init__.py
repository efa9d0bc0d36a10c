"""Reading: a plan file's bytes → the plan text (``PlanText``: the decoded text, its folded
copy, its lines, its checksum), with offsets that every later stage reports into.

In: a path (or bytes already read). Out: ``read.text.PlanText``. Imports only ``errors`` (and
the shared modules), never another stage; every other stage may import it. New input
formats (web pages, Word files, PDFs) land here, each giving the same ``PlanText``.
"""
