"""What the evaluate tests compare: a county plan written the way 万年-like offices write it
(〔牵头部门：…〕 per measure, —— tasks ending in 〔…按职责分工负责〕), its hand-labelled gold, and
small records built by hand as the build writes them (``records/<stem>.json``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sciplan_kg.evaluation.gold import GoldPlan, read_gold_file

SHIMEN = """石门县人民政府关于印发石门县全民科学素质行动规划纲要实施方案（2021—2025年）的通知
石政发〔2022〕15号
各乡镇人民政府、街道办事处，县直各单位：
现将《石门县全民科学素质行动规划纲要实施方案（2021—2025年）》印发给你们，请认真组织实施。
石门县人民政府
2022年7月8日
石门县全民科学素质行动规划纲要实施方案（2021—2025年）
为贯彻落实《国务院关于印发全民科学素质行动规划纲要（2021—2035年）的通知》（国发〔2021〕9号）和《湖南省全民科学素质行动规划纲要实施方案（2021—2025年）》，结合我县实际，制定本方案。
一、主要目标
到2025年，全县公民具备科学素质的比例超过12%。
二、提升行动
（一）实施青少年科学素质提升行动
〔牵头部门：县教育局、县科协〕
——激发青少年好奇心和想象力。每年举办青少年科技创新大赛，培训科技辅导员200名以上。〔县科技局、团县委按职责分工负责〕
——加强学校科学教育。推动中小学科学课程改革，配齐科学教师。〔县人力资源和社会保障局，县财政局按职责分工负责〕
（二）实施农民科学素质提升行动
〔牵头部门：县农业农村局〕
——培育高素质农民。到2025年，培育高素质农民3000人以上。〔县农业农村局、县人社局、县妇联按职责分工负责〕
三、重点工程
（一）实施科普信息化提升工程
〔牵头部门：县委宣传部、县科协〕
——推动科普内容创作。建设科普融媒体平台，开展科普作品征集活动1.2万人次。〔县融媒体中心按职责分工负责〕
四、保障措施
各乡镇、各有关单位要将科普经费列入预算，加强督促检查。
"""

# labelled by hand from SHIMEN, per docs/annotation.md
SHIMEN_GOLD = """# tests: hand-labelled
source = "shimen.txt"

[header]
doc_number = "石政发〔2022〕15号"
issuer = "石门县人民政府"
issued = "2022-07-08"
published = ""
title = "石门县全民科学素质行动规划纲要实施方案（2021—2025年）"
place = "石门县"
level = "county"
period = [2021, 2025]
literacy_target = { value = 12.0, comparator = "gt", year = 2025 }
directives = ["国发〔2021〕9号", "湖南省全民科学素质行动规划纲要实施方案（2021—2025年）"]

[[measure]]
kind = "action"
no = 1
title = "青少年科学素质提升行动"
line = 12
lead = ["县教育局", "县科协"]
support = []

[[measure]]
kind = "action"
no = 2
title = "农民科学素质提升行动"
line = 16
lead = ["县农业农村局"]
support = []

[[measure]]
kind = "project"
no = 1
title = "科普信息化提升工程"
line = 20
lead = ["县委宣传部", "县科协"]
support = []

[[task]]
measure = "action 1"
no = 1
line = 14
starts = "激发青少年好奇心和想象力"
lead = ["县教育局", "县科协"]
support = ["县科技局", "团县委"]
open_list = false
targets = [ { value = 200, unit = "名", quote = "培训科技辅导员200名以上" } ]

[[task]]
measure = "action 1"
no = 2
line = 15
starts = "加强学校科学教育"
lead = ["县人力资源和社会保障局"]
support = ["县财政局"]

[[task]]
measure = "action 2"
no = 1
line = 18
starts = "培育高素质农民"
lead = ["县农业农村局"]
support = ["县人社局", "县妇联"]
targets = [ { value = 3000, unit = "人", quote = "培育高素质农民3000人以上" } ]

[[task]]
measure = "project 1"
no = 1
line = 22
starts = "推动科普内容创作"
lead = ["县委宣传部", "县科协"]
support = ["县融媒体中心"]
targets = [ { value = 12000, unit = "人次", quote = "开展科普作品征集活动1.2万人次" } ]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def gold(tmp_path: Path, text: str, name: str = "plan.toml") -> GoldPlan:
    return read_gold_file(write(tmp_path, name, text))


# -- records as the build writes them (resolved: every mention carries its agency key) --------


def span(line: int) -> dict[str, int]:
    return {"start": 0, "end": 0, "line": line}


def mention(written: str, agency: str, line: int = 1) -> dict[str, Any]:
    return {"written": written, "agency": agency, "collective": False, "span": span(line)}


def stated(role: str, *mentions: dict[str, Any], line: int = 1) -> dict[str, Any]:
    return {"role": role, "span": span(line), "mentions": list(mentions)}


def target(value: float, unit: str, quote: str = "", line: int = 1) -> dict[str, Any]:
    return {"value": value, "unit": unit, "comparator": "eq", "year": None, "quote": quote, "span": span(line)}


def task(
    no: int, text: str, *assignments: dict[str, Any], targets: tuple[dict[str, Any], ...] = (), line: int = 1
) -> dict[str, Any]:
    return {
        "no": no,
        "title": text.split("。")[0],
        "text": text,
        "span": span(line),
        "assignments": list(assignments),
        "targets": list(targets),
    }


def measure(
    kind: str, no: int, title: str, *assignments: dict[str, Any], tasks: tuple[dict[str, Any], ...] = (), line: int = 1
) -> dict[str, Any]:
    return {
        "kind": kind,
        "no": no,
        "title": title,
        "span": span(line),
        "assignments": list(assignments),
        "tasks": list(tasks),
    }


def record(*measures: dict[str, Any], **header: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "source": "plan.txt",
        "title": None,
        "place": "石门县",
        "level": "county",
        "doc_number": None,
        "issuer": None,
        "issued": None,
        "period": None,
        "literacy_target": None,
        "directives": [],
        "measures": list(measures),
    }
    rec.update(header)
    return rec


HEADERLESS_GOLD = """source = "plan.txt"
[header]
place = "石门县"
level = "county"
"""
