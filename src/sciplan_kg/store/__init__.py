"""The embedded query store: an Oxigraph database beside a build folder (``build/`` →
``build.oxigraph/``), kept in step with it graph by graph (``sync``).

In: a build folder. Out: a synced store on disk. Imports ``pipeline`` (the folder's graph
files, owned folders) and before; never ``query`` or ``publish``: the query layer asks the
store, the store never asks the query layer.
"""
