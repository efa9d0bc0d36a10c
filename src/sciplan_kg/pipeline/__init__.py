"""The build: one plan through the chain (read → extract → resolve → rdf → reason →
validation, ``plan``), every plan across the cores with unchanged plans reused and the corpus
steps after them (``build``), the build folder's layout and how it is opened (``folder``),
folders the tool owns and replaces safely (``outputs``), coverage, and the build folder as a
dataset of named graphs (``dataset``).

(Named ``pipeline``, not ``build``: ``sciplan_kg.build`` is the API function.)
In: plan files. Out: a build folder. Imports every stage before it; never ``store``,
``query`` or ``publish``.
"""
