"""Steps over all plans at once: similar tasks across plans (character n-grams), and the
dataset's description (VoID and DCAT) counted from the build. The research layer lands here.

In: what each plan's build kept (task texts, counts). Out: ``Graph``s and their Turtle.
Imports ``rdf`` (and the shared ``workers``); never ``pipeline`` or after.
"""
