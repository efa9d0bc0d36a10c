"""An ``Evaluation`` as people read it (a table, then every disagreement, one per line) or as
JSON (every number and every disagreement). Both are sorted, so the same build and gold give
the same bytes.

The table::

    field            gold  build     tp    fp    fn  precision  recall      f1  macro-f1  plans
    doc_number          5      5      5     0     0     1.0000  1.0000  1.0000    1.0000      5
    …
    header             49     48     47     1     2     0.9792  0.9592  0.9691    0.9700      5

A disagreement::

    003_120be5be3c056120:38  supports  missing  团县委 [youth-league]  (task "将科学精神贯穿于育人全链条。坚持立")
"""

from __future__ import annotations

import json

from sciplan_kg.evaluation import Evaluation, FieldScore

COLUMNS = ("field", "gold", "build", "tp", "fp", "fn", "precision", "recall", "f1", "macro-f1", "plans")


def _score(x: float | None) -> str:
    return "-" if x is None else f"{x:.4f}"


def _cells(row: FieldScore) -> list[str]:
    m = row.micro
    judged = m.items > 0
    return [
        row.field,
        str(m.tp + m.fn),
        str(m.tp + m.fp),
        str(m.tp),
        str(m.fp),
        str(m.fn),
        _score(m.precision if judged else None),
        _score(m.recall if judged else None),
        _score(m.f1 if judged else None),
        _score(row.macro_f1),
        str(row.plans),
    ]


def format_text(evaluation: Evaluation, bar: float | None = None) -> str:
    """The table, then the notes, then every disagreement (``<stem>:<line>  <field>
    missing|extra|wrong  <what>  (task "…")``), then the fields under ``bar`` if one is given."""
    rows = [list(COLUMNS), *(_cells(r) for r in evaluation.rows)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    out = []
    for r in rows:
        out.append("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)).rstrip())
    out.append("")
    out.append(
        f"{len(evaluation.plans)} 个方案 plans evaluated ({', '.join(p.stem for p in evaluation.plans)})"
        + (f"; not labelled in the gold: {', '.join(evaluation.unlabelled)}" if evaluation.unlabelled else "")
    )
    out.extend(f"note: {n}" for n in evaluation.notes)
    out.append("")
    out.append(f"{len(evaluation.disagreements)} 处不一致 disagreements:")
    out.extend(d.text() for d in evaluation.disagreements)
    if bar is not None:
        below = evaluation.below(bar)
        out.append("")
        if below:
            listed = ", ".join(f"{r.field} {r.micro.f1:.4f}" for r in below)
            out.append(f"低于 below --min {bar:g}: {listed}")
        else:
            out.append(f"every field's micro F1 ≥ --min {bar:g}")
    return "\n".join(out) + "\n"


def format_json(evaluation: Evaluation, bar: float | None = None) -> str:
    data = evaluation.to_dict()
    if bar is not None:
        data["min"] = bar
        data["below"] = [r.field for r in evaluation.below(bar)]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
