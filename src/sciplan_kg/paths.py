"""Where the project's own files are: the bundled plans, registries, ontology and queries.

They live beside ``src/`` in the repository; an installed copy finds them the same way, since
the package is installed editable (``pip install -e .``) by the Makefile.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
PLANS_DIR = DATA_DIR / "plans"
REGISTRY_DIR = DATA_DIR / "registry"
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "sciplan.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = ROOT / "queries"
DEFAULT_BUILD_DIR = ROOT / "build"
