"""A second embedded engine for the whole-corpus listings: DuckDB over narrow tables made from
the graph files the store holds (issue 22: every catalogue query evaluated over 3,000 plans in
under 5 s).

Why: Oxigraph answers the whole-corpus listings (``tasks``, ``sources``, ``co-responsibility``,
``similar-tasks``, ``instrument-mix-by-measure``, and, over a corpus of provinces' and
counties' plans, ``parent-task-match`` and ``parent-diffusion``) row by row, 5–47 s at 3,000
plans; they are joins and aggregations over a few properties, which a columnar engine does in
bulk. Each is written here by hand in SQL to give the same rows as its SPARQL text (the same
joins, multiset semantics, COALESCE/IF of the agency lists, the same order keys), held equal to
Oxigraph's rows by ``tests/query/test_frames.py``; measured in docs/engines.md
(``bench/engines.py``).

What it serves: only those seven catalogue queries, only over the whole corpus (no ``plan`` or
``task`` bound: one plan is already fast on its own graph, ``backends.plan_scope``), with their
other parameters (``minTasks``, ``minScore``, ``matchClass``) bound as SQL parameters, and only
when the query text is the catalogue's own (a user's ``.rq`` of the same name is evaluated by Oxigraph). The
store's kept answers come first (``query/kept.py``). Every other query is Oxigraph's
(``OxigraphBackend``, which this backend extends), and so is every query when DuckDB cannot be
imported or its database cannot be written or read (``tables.Unavailable``).

The tables (one per property: subject, object, language tag; one per class: ``rdf/rows.py``)
are kept in a DuckDB database in the store's folder, made from the store's files and brought in
step with them file by file (``query/tables.py``).
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import URIRef

from sciplan_kg.errors import QueryError
from sciplan_kg.query.backends import OxigraphBackend
from sciplan_kg.query.catalogue import CatalogueQuery, catalogue
from sciplan_kg.query.run import QueryResult, Value, bindings, finish, plain_number
from sciplan_kg.rdf import rows

SK = rows.SK

_NAMES = "names AS (SELECT s AS a, o AS name FROM preflabel WHERE lang = 'zh')"
# a plan's place (or anything's with an area), with no type asked: as the parent listings' sub-query.
# A view's DISTINCT holds every row of its table in a hash table (the labels of everything, the
# texts of every task): where a query needs the values of a few subjects, those subjects are
# taken first (``parent-task-match`` at 3,000 plans: DuckDB's memory before the rows are fetched
# 880 → 410 MB, the process's peak 1,028 → 676 MB; the same rows)
_PLACE_OF = (
    "arealabel AS (SELECT DISTINCT s, o FROM r_label WHERE lang = 'zh' AND s IN (SELECT o FROM r_area)),\n"
    "placeof AS (SELECT ar.s AS plan, lb.o AS place FROM area ar JOIN arealabel lb ON lb.s = ar.o)"
)
_PLACE = (
    "place AS (SELECT tp.s AS plan, lb.o AS place FROM t_plan tp JOIN area ar ON ar.s = tp.s"
    " JOIN label lb ON lb.s = ar.o WHERE lb.lang = 'zh')"
)

# the whole-corpus listings, written by hand in SQL to give the SPARQL text's rows
# (queries/*.rq): the same joins, the same multiset semantics, parameters as $name
SQL = {
    "tasks": f"""
WITH {_NAMES}, {_PLACE},
ms AS (
  SELECT ip.s AS m, ip.o AS plan, CAST(od.o AS BIGINT) AS measureNo, lb.o AS measure,
         CASE WHEN ip.s IN (SELECT s FROM t_action) THEN 'action' ELSE 'project' END AS measureKind
  FROM inplan ip JOIN ordinal od ON od.s = ip.s JOIN label lb ON lb.s = ip.s),
ag AS (
  SELECT fi.o AS task, CASE WHEN ro.o = '{SK}LeadRole' THEN 'stated lead' ELSE 'stated support' END AS kind, a.o AS a
  FROM foritem fi JOIN role ro ON ro.s = fi.s JOIN agency a ON a.s = fi.s
  UNION ALL SELECT s, 'inherited lead', o FROM inhlead
  UNION ALL SELECT s, 'inherited support', o FROM inhsupp),
agg AS (
  SELECT task, SUM(CASE WHEN kind = 'stated lead' THEN 1 ELSE 0 END) AS slc,
         SUM(CASE WHEN kind = 'stated support' THEN 1 ELSE 0 END) AS ssc,
         string_agg(DISTINCT name, '; ' ORDER BY name) FILTER (WHERE kind = 'stated lead') AS sl,
         string_agg(DISTINCT name, '; ' ORDER BY name) FILTER (WHERE kind = 'stated support') AS ss,
         string_agg(DISTINCT name, '; ' ORDER BY name) FILTER (WHERE kind = 'inherited lead') AS il,
         string_agg(DISTINCT name, '; ' ORDER BY name) FILTER (WHERE kind = 'inherited support') AS isu
  FROM ag JOIN names USING (a) GROUP BY task)
SELECT ms.plan, place.place, ms.measureKind, ms.measureNo, ms.measure, CAST(od.o AS BIGINT) AS taskNo, t.s AS task,
       tx.o AS text, COALESCE(CASE WHEN agg.slc > 0 THEN agg.sl ELSE agg.il END, '') AS leadAgencies,
       COALESCE(agg.slc > 0, false) AS leadStated,
       COALESCE(CASE WHEN agg.ssc > 0 THEN agg.ss ELSE agg.isu END, '') AS supportAgencies
FROM t_task t JOIN inmeasure im ON im.s = t.s JOIN ordinal od ON od.s = t.s JOIN text tx ON tx.s = t.s
JOIN ms ON ms.m = im.o LEFT JOIN place ON place.plan = ms.plan LEFT JOIN agg ON agg.task = t.s
ORDER BY ms.plan, ms.measureKind, ms.measureNo, taskNo""",
    "sources": """
SELECT t.s AS task, fn.o AS source, sh.o AS sha256, CAST(ln.o AS BIGINT) AS line, CAST(st.o AS BIGINT) AS start,
       CAST(en.o AS BIGINT) AS "end", ex.o AS quote
FROM t_task t JOIN derived d ON d.s = t.s JOIN hassource hs ON hs.s = d.o JOIN line ln ON ln.s = d.o
JOIN selector p ON p.s = d.o JOIN start st ON st.s = p.o JOIN end_ en ON en.s = p.o
JOIN selector q ON q.s = d.o JOIN exact ex ON ex.s = q.o
JOIN filename fn ON fn.s = hs.o JOIN sha256 sh ON sh.s = hs.o
ORDER BY source, start""",
    "co-responsibility": f"""
WITH {_NAMES},
pairs AS (
  SELECT ip.o AS plan, a.o AS source, b.o AS target, COUNT(DISTINCT a.s) AS weight
  FROM resp a JOIN resp b ON b.s = a.s AND a.o < b.o
  JOIN inmeasure im ON im.s = a.s JOIN inplan ip ON ip.s = im.o
  GROUP BY ip.o, a.o, b.o)
SELECT plan, source, sn.name AS sourceName, target, tn.name AS targetName, weight
FROM pairs JOIN names sn ON sn.a = source JOIN names tn ON tn.a = target
WHERE weight >= $minTasks
ORDER BY plan, weight DESC, sourceName, targetName""",
    "similar-tasks": """
WITH info AS (
  SELECT im.s AS task, ip.o AS plan, lb.o AS title
  FROM inmeasure im JOIN inplan ip ON ip.s = im.o JOIN t_task t ON t.s = im.s JOIN label lb ON lb.s = im.s),
links AS (
  SELECT sc.o AS score, f.o AS task, o.o AS otherTask, CAST(r.o AS BIGINT) AS rank
  FROM score sc JOIN fromtask f ON f.s = sc.s JOIN totask o ON o.s = sc.s JOIN rank_ r ON r.s = sc.s
  WHERE CAST(sc.o AS DOUBLE) >= $minScore)
SELECT a.plan, l.task, a.title AS taskTitle, b.plan AS otherPlan, l.otherTask, b.title AS otherTitle,
       CAST(l.score AS DOUBLE) AS score, l.rank
FROM links l JOIN info a ON a.task = l.task JOIN info b ON b.task = l.otherTask
ORDER BY CAST(l.score AS DOUBLE) DESC, l.task, l.rank""",
    "instrument-mix-by-measure": f"""
WITH {_NAMES}, {_PLACE},
mt AS (SELECT im.o AS measure, COUNT(DISTINCT im.s) AS measureTasks
       FROM inmeasure im JOIN t_task t ON t.s = im.s GROUP BY im.o),
title AS (SELECT m.s AS measure, lb.o AS title FROM t_measure m JOIN label lb ON lb.s = m.s
          WHERE lb.lang = 'zh' OR lb.lang = ''),
tc AS (SELECT s AS task, o AS c FROM uses UNION ALL SELECT u.s, b.o FROM uses u JOIN broader b ON b.s = u.o),
par AS (SELECT b.s AS c, bn.o AS parent FROM broader b JOIN notation bn ON bn.s = b.o),
instr AS (
  SELECT pi.s AS c, n.o AS instrument, nm.name AS label, COALESCE(par.parent, n.o) AS grp,
         CASE WHEN par.parent IS NULL THEN 'group' ELSE 'instrument' END AS level
  FROM t_instr pi JOIN notation n ON n.s = pi.s JOIN names nm ON nm.a = pi.s LEFT JOIN par ON par.c = pi.s)
SELECT ip.o AS plan, place.place, im.o AS measure, title.title, instr.grp AS "group", instr.level, instr.instrument,
       instr.label, COUNT(DISTINCT im.s) AS tasks, mt.measureTasks,
       round(1000.0 * COUNT(DISTINCT im.s) / mt.measureTasks) / 10.0 AS sharePercent
FROM mt JOIN inmeasure im ON im.o = mt.measure JOIN inplan ip ON ip.s = im.o JOIN title ON title.measure = im.o
JOIN tc ON tc.task = im.s JOIN instr ON instr.c = tc.c LEFT JOIN place ON place.plan = ip.o
GROUP BY ip.o, place.place, im.o, title.title, instr.grp, instr.level, instr.instrument, instr.label, mt.measureTasks
ORDER BY plan, measure, "group", level, instrument""",
    "parent-task-match": f"""
WITH {_PLACE_OF},
cls (c, matchClass) AS (VALUES ('{SK}CopiedTask', 'copied'), ('{SK}AdaptedTask', 'adapted'), ('{SK}NewTask', 'new')),
ctext AS (SELECT DISTINCT s, o, lang FROM r_text WHERE s IN (SELECT o FROM r_childtask)),
clabel AS (SELECT DISTINCT s, o FROM r_label WHERE lang = 'zh' AND s IN (SELECT o FROM r_childtask)),
ptext AS (SELECT DISTINCT s, o, lang FROM r_text WHERE s IN (SELECT o FROM r_parenttask)),
plabel AS (SELECT DISTINCT s, o FROM r_label WHERE lang = 'zh' AND s IN (SELECT o FROM r_parenttask)),
pt AS (
  SELECT p.s AS m, p.o AS parentTask, tx.o AS parentText, lb.o AS parentTitle
  FROM parenttask p JOIN ptext tx ON tx.s = p.o LEFT JOIN plabel lb ON lb.s = p.o)
SELECT ip.o AS plan, placeof.place, im.o AS measure, ct.o AS task, tl.o AS taskTitle, mp.o AS parent,
       pt.parentTask, pt.parentTitle, CAST(ms.o AS DOUBLE) AS score, cls.matchClass, tx.o AS text,
       pt.parentText
FROM childtask ct JOIN matchedplan mp ON mp.s = ct.s JOIN matchscore ms ON ms.s = ct.s
JOIN matchclass mc ON mc.s = ct.s JOIN cls ON cls.c = mc.o
JOIN inmeasure im ON im.s = ct.o JOIN inplan ip ON ip.s = im.o JOIN ctext tx ON tx.s = ct.o
LEFT JOIN clabel tl ON tl.s = ct.o LEFT JOIN pt ON pt.m = ct.s
LEFT JOIN placeof ON placeof.plan = ip.o
WHERE $matchClass IS NULL OR cls.matchClass = $matchClass
ORDER BY plan, parent, measure, task""",
    "parent-diffusion": f"""
WITH {_PLACE_OF},
rowsof AS (
  SELECT ip.o AS plan, mp.o AS parent, im.o AS m, lb.o AS measureTitle, mc.o AS class
  FROM childtask ct JOIN matchedplan mp ON mp.s = ct.s JOIN matchclass mc ON mc.s = ct.s
  JOIN inmeasure im ON im.s = ct.o JOIN inplan ip ON ip.s = im.o
  LEFT JOIN label lb ON lb.s = im.o AND lb.lang = 'zh'),
scopes (scope) AS (VALUES ('plan'), ('measure')),
parentplace AS (
  SELECT plan AS parent, place AS parentPlace FROM placeof WHERE plan IN (SELECT o FROM matchedplan)),
counted AS (
  SELECT r.plan, pl.place, r.parent, pp.parentPlace, scopes.scope,
         CASE WHEN scopes.scope = 'measure' THEN r.m END AS measure,
         CASE WHEN scopes.scope = 'measure' THEN r.measureTitle END AS title,
         COUNT(*) AS tasks,
         SUM(CASE WHEN r.class = '{SK}CopiedTask' THEN 1 ELSE 0 END) AS copied,
         SUM(CASE WHEN r.class = '{SK}AdaptedTask' THEN 1 ELSE 0 END) AS adapted,
         SUM(CASE WHEN r.class = '{SK}NewTask' THEN 1 ELSE 0 END) AS new
  FROM rowsof r CROSS JOIN scopes LEFT JOIN placeof pl ON pl.plan = r.plan
  LEFT JOIN parentplace pp ON pp.parent = r.parent
  GROUP BY ALL)
SELECT plan, place, parent, parentPlace, scope, measure, title, tasks, copied, adapted, new,
       round(1000.0 * copied / tasks) / 10.0 AS copiedPercent,
       round(1000.0 * adapted / tasks) / 10.0 AS adaptedPercent,
       round(1000.0 * new / tasks) / 10.0 AS newPercent
FROM counted
ORDER BY plan, parent, scope DESC, measure NULLS FIRST""",
}


SERVED = frozenset(SQL)


def installed() -> bool:
    """Whether DuckDB is there to import, without importing it (0.06 s of every command that
    then asks Oxigraph, one plan's rows among them): whether a query layer should try it."""
    import importlib.util

    return importlib.util.find_spec("duckdb") is not None


def available() -> bool:
    """Whether DuckDB can be imported (a dependency; a broken install falls back to Oxigraph)."""
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def plain(value: Any) -> Value:
    """A DuckDB cell as ``run.python_value`` gives the RDF term: numbers as int when integral,
    otherwise a float rounded to 6 places (the engines differ in double vs decimal)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | float):
        return plain_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class FramesBackend(OxigraphBackend):
    """The embedded store's backend with DuckDB for the whole-corpus listings it is proven on
    (``SERVED``); everything else is ``OxigraphBackend``'s, unchanged. ``tables``: the store's
    folder, whose files the tables are made from (``query/tables.py``)."""

    def __init__(
        self,
        store: Any,
        tables: Path,
        kept: Path | None = None,
        scope: Path | None = None,
        opened: str | None = None,
        memory: str | None = None,
    ) -> None:
        super().__init__(store, kept=kept, scope=scope, opened=opened)
        self.tables = tables
        self.memory = memory  # DuckDB's memory limit ("300MB"), None for its own (80 % of the machine's)
        self._db: Any = None
        self._state: str | None = None

    def serves(self, q: CatalogueQuery, params: dict[str, str]) -> bool:
        """Whether ``q`` with ``params`` is answered here: one of the seven, the catalogue's own
        text, no plan or task bound."""
        if q.name not in SERVED or {"plan", "task"} & set(params):
            return False
        own = catalogue().get(q.name)
        if own is None or own.text != q.text:
            return False
        return available()  # imported only for a query it would answer

    def connection(self) -> Any:
        """The database, in step with the store (``tables.open_tables``); raises
        ``tables.Unavailable`` when it cannot be used."""
        from sciplan_kg.query import tables
        from sciplan_kg.store.sync import state_digest

        state = state_digest(self.tables)
        if self._db is not None and self._state == state:
            return self._db
        self.close()
        self._db = tables.open_tables(self.tables, memory=self.memory)
        self._state = state
        return self._db

    def close(self) -> None:
        if self._db is not None:
            if self.memory:  # the limit is the database's: give another connection here its own back
                with contextlib.suppress(Exception):
                    self._db.execute("RESET memory_limit")
            self._db.close()
            self._db = None

    def run(self, q: CatalogueQuery, params: dict[str, str], timeout: float | None = None) -> QueryResult:
        from sciplan_kg.query import kept as views
        from sciplan_kg.query.tables import Unavailable
        from sciplan_kg.store.sync import state_digest

        if not self.serves(q, params):
            return super().run(q, params, timeout)
        state = state_digest(self.kept) if self.kept is not None else None
        if self.kept is not None:
            answer = views.read(self.kept, state, q, params)
            if answer is not None:
                return answer
        try:
            db = self.connection()
        except Unavailable:
            return super().run(q, params, timeout)
        except Exception as exc:  # duckdb.Error, a file that will not parse: name the query
            raise QueryError(
                q.name, f"DuckDB 表无法建立 / the DuckDB tables could not be made: {str(exc)[:300]}"
            ) from exc
        result = self._evaluate(db, q, params, timeout)
        # as Oxigraph's evaluation does: the first on a new state is kept, under the state the
        # tables were brought in step with (the database follows the store; the store handle not)
        if self.kept is not None and state is not None and state == self._state:
            views.keep(self.kept, state, q, params, result)
        return result

    def _evaluate(self, db: Any, q: CatalogueQuery, params: dict[str, str], timeout: float | None) -> QueryResult:
        sql = SQL[q.name]
        # a parameter with no default and not given is NULL in SQL (``$p IS NULL OR …``), as it
        # is left unbound in SPARQL
        values: dict[str, Any] = {p.name: None for p in q.params if f"${p.name}" in sql}
        values |= {str(v): term.toPython() for v, term in bindings(q, params).items() if f"${v}" in sql}
        columns, found = _execute(db, q.name, sql, values, timeout)
        return finish(q, columns, [dict(zip(columns, map(plain, r), strict=True)) for r in found])

    def translates(self, q: CatalogueQuery, params: dict[str, str]) -> bool:
        """Whether ``q`` is one a user wrote (not the catalogue's own text, which is answered as
        measured: kept, by the listings' own SQL, or by Oxigraph) asked of the whole corpus (no
        parameter naming an IRI: one plan or task is a lookup Oxigraph's indexes answer at once)."""
        own = catalogue().get(q.name)
        if own is not None and own.text == q.text:
            return False
        if any(isinstance(term, URIRef) for term in bindings(q, params).values()):
            return False
        return available()

    def _select(
        self, q: CatalogueQuery, params: dict[str, str], text: str, timeout: float | None
    ) -> tuple[list[str], list[dict[str, Any]]]:
        """A user's SELECT query in SQL on the tables when ``translate`` covers it; Oxigraph's
        otherwise (and when the tables cannot be used)."""
        from sciplan_kg.query import translate
        from sciplan_kg.query.tables import Unavailable

        if self.translates(q, params) and translate.may_cover(text):
            try:
                translation = translate.translate_text(text)
            except Exception:  # Unsupported, or rdflib's algebra failing on its own
                translation = None  # (it raises bare Exception for parts it does not know): Oxigraph answers
            if translation is not None:
                try:
                    db = self.connection()
                except Unavailable:
                    db = None
                except Exception as exc:  # duckdb.Error, a file that will not parse: name the query
                    raise QueryError(
                        q.name, f"DuckDB 表无法建立 / the DuckDB tables could not be made: {str(exc)[:300]}"
                    ) from exc
                if db is not None:
                    try:
                        _, found = _execute(db, q.name, translation.sql, {}, timeout)
                        columns = translation.columns  # DuckDB's own names are the mangled ones
                    except TimedOut:
                        raise
                    except QueryError:
                        pass  # DuckDB could not run the translation: Oxigraph answers, as for any other
                    else:
                        return columns, [dict(zip(columns, map(plain, r), strict=True)) for r in found]
        return super()._select(q, params, text, timeout)


class TimedOut(QueryError):
    """A query stopped at its time limit."""


def _execute(
    db: Any, name: str, sql: str, values: dict[str, Any], timeout: float | None
) -> tuple[list[str], list[Any]]:
    """The columns and rows of ``sql`` on ``db``, stopped after ``timeout`` seconds."""
    timer = threading.Timer(timeout, db.interrupt) if timeout else None
    try:
        if timer is not None:
            timer.start()
        cursor = db.execute(sql, values) if values else db.execute(sql)
        columns = [d[0] for d in cursor.description]
        found = cursor.fetchall()
    except Exception as exc:  # duckdb.Error and its kin (an interrupt too): the query's failure
        if timer is not None and not timer.is_alive():
            raise TimedOut(
                name, f"查询超时（{timeout:g} 秒）/ the query took longer than {timeout:g} s and was stopped"
            ) from exc
        if type(exc).__name__ == "InterruptException":  # not by the timer: Ctrl-C, which DuckDB caught
            raise KeyboardInterrupt from exc
        raise QueryError(name, f"DuckDB 查询失败 / the DuckDB query failed: {str(exc)[:300]}") from exc
    finally:
        if timer is not None:
            timer.cancel()
    return columns, found
