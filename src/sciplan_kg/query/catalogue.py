"""The query catalogue: one SPARQL query per file under ``queries/<topic>/NN-name.rq``, each
opening with a header of ``#+ key: value`` comment lines (so the file stays valid SPARQL).

Header keys: ``summary_zh``, ``summary_en``, ``description`` (may continue on ``#+   `` lines),
``param`` (repeatable: ``name | type | default | description``; type is iri, string, zh,
integer, decimal, date or boolean), ``columns``, ``multivalued`` (columns whose value is
several names joined with "; "), ``booleans`` (columns that are true/false: some engines,
Virtuoso among them, answer EXISTS with 0/1), ``tags``, ``scope`` (``plan``: the query's rows
for one plan, ``-p plan IRI``, are its rows on that plan's graph, its own similarity links and
task matches, its parents' graphs and the corpus-wide graphs, so the embedded stores evaluate it
there, on a few thousand triples instead of millions: see ``backends.plan_scope``; a user's own
.rq file may say so too),
``keep`` (``yes`` or ``no``, the default: ``yes`` keeps the query's answer at its default
parameters beside the store at its first evaluation on each state, ``query/kept.py``; only
the whole-corpus listings that take seconds to evaluate at 3,000 plans say so, since a kept
answer costs time and disk and is stale after every change).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sciplan_kg.errors import QueryError
from sciplan_kg.paths import QUERIES_DIR

_HEADER = re.compile(r"^#\+\s?(\w+):\s?(.*)$")
_CONTINUATION = re.compile(r"^#\+\s{2,}(.*)$")
_PREFIX = re.compile(r"^\d+-")
SCOPES = ("plan",)
KEEPS = ("yes", "no")
PARAM_TYPES = ("iri", "string", "zh", "integer", "decimal", "date", "boolean")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str


@dataclass
class CatalogueQuery:
    name: str
    path: Path
    text: str
    summary_zh: str = ""
    summary_en: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    multivalued: list[str] = field(default_factory=list)
    booleans: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    scope: str = ""
    keep: bool = False


def query_name(path: Path) -> str:
    """'queries/core/01-plans.rq' → 'plans'."""
    return _PREFIX.sub("", path.stem)


def parse_query_file(path: Path) -> CatalogueQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(str(path), f"无法读取 / cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise QueryError(str(path), "不是 UTF-8 文本 / not UTF-8 text") from exc
    q = CatalogueQuery(name=query_name(path), path=path, text=text)
    last: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        cont = _CONTINUATION.match(line)
        if cont and last == "description":
            q.description += " " + cont.group(1).strip()
            continue
        m = _HEADER.match(line)
        if not m:
            if line.startswith("#+"):
                raise QueryError(str(path), f"第{lineno}行头部格式错误 / malformed header at line {lineno}")
            if line.strip() and not line.startswith("#"):
                break
            continue
        key, value = m.group(1), m.group(2).strip()
        last = key
        if key in ("summary_zh", "summary_en", "description"):
            setattr(q, key, value)
        elif key == "param":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != 4 or parts[1] not in PARAM_TYPES:
                raise QueryError(
                    str(path),
                    f"第{lineno}行参数应为 name | type | default | description / "
                    f"line {lineno}: a param is name | type | default | description, type one of {PARAM_TYPES}",
                )
            default = None if parts[2].startswith("(") else parts[2]
            q.params.append(Param(parts[0], parts[1], default, parts[3]))
        elif key == "scope":
            if value not in SCOPES:
                raise QueryError(
                    str(path), f"第{lineno}行 scope 只能是 {SCOPES} / line {lineno}: scope is one of {SCOPES}"
                )
            q.scope = value
        elif key == "keep":
            if value not in KEEPS:
                raise QueryError(str(path), f"第{lineno}行 keep 只能是 {KEEPS} / line {lineno}: keep is one of {KEEPS}")
            q.keep = value == "yes"
        elif key in ("columns", "multivalued", "booleans", "tags"):
            setattr(q, key, [c.strip() for c in value.split(",") if c.strip()])
    return q


def catalogue(directory: Path = QUERIES_DIR) -> dict[str, CatalogueQuery]:
    """Every catalogue query by name."""
    out: dict[str, CatalogueQuery] = {}
    for path in sorted(directory.rglob("*.rq")):
        q = parse_query_file(path)
        if q.name in out:
            raise QueryError(str(path), f"查询名重复 / duplicate query name '{q.name}' (also {out[q.name].path})")
        out[q.name] = q
    return out


def find_query(name_or_file: str, directory: Path = QUERIES_DIR) -> CatalogueQuery:
    """A catalogue query by name, or any .rq file by path."""
    path = Path(name_or_file)
    if name_or_file.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise QueryError(name_or_file, "找不到查询文件 / no such query file")
        return parse_query_file(path)
    queries = catalogue(directory)
    if name_or_file not in queries:
        known = ", ".join(sorted(queries))
        raise QueryError(name_or_file, f"目录中没有此查询 / no such catalogue query; known: {known}")
    return queries[name_or_file]
