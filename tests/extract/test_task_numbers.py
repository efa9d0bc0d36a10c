"""Task numbers of any size: a measure of 250 numbered tasks gives 250 tasks, numbered 1..250,
each with its own IRI (no task 100, 101, … merged into task 99)."""

from __future__ import annotations

from sciplan_kg.extract import extract_text
from sciplan_kg.extract.patterns import cn_number
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.rdf.graph import plan_graph
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.read.text import plan_text
from sciplan_kg.resolve.records import resolve
from sciplan_kg.resolve.registry import load_registry

HEAD = """测政办发〔2022〕7号
测试县人民政府办公室

关于印发《测试县全民科学素质行动规划纲要实施方案（2021—2025年）》的通知

各乡镇、县直各部门：

现将《测试县全民科学素质行动规划纲要实施方案（2021—2025年）》印发给你们，请认真组织实施。

测试县人民政府办公室

2022年5月5日

测试县全民科学素质行动规划纲要实施方案（2021—2025年）

为贯彻落实国务院《全民科学素质行动规划纲要（2021—2035年）》，制定本方案。到2025年，全县公民具备科学素质比例达到11%以上。

"""
# the forms the genre numbers tasks with and the extractor reads as the level below （一）
_FORMS = ("{}.", "{}．", "{}、", "{} .", "{}. ")


def _cn(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 105 → 一百零五, 250 → 二百五十, 1000 → 一千."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = (
            "" if rest == 0 else ("零" + digits[rest] if rest < 10 else _cn(rest) if rest >= 20 else "一" + _cn(rest))
        )
        return digits[n // 100] + "百" + tail
    rest = n % 1000
    tail = "" if rest == 0 else ("零" + _cn(rest) if rest < 100 else _cn(rest))
    return digits[n // 1000] + "千" + tail


def _extract(text: str) -> PlanRecord:
    return resolve(extract_text(plan_text(text, "numbers.txt")), load_registry())


def _task_iris(rec: PlanRecord, text: str) -> list[str]:
    g = plan_graph(rec, load_registry(), text)
    return sorted(str(t) for t in g.subjects(SK.inMeasure, None))


def test_250_tasks_numbered_in_arabic_figures() -> None:
    lines = [
        "二、提升行动",
        "",
        "（一）青少年科学素质提升行动。围绕义务教育阶段“双减”部署，完善青少年科学教育体系。",
        "牵头单位：县教体局",
    ]
    for n in range(1, 251):
        lines.append(_FORMS[n % len(_FORMS)].format(n) + f"开展第{n}项科普活动。组织学生参加。")
    lines += ["（二）农民科学素质提升行动。开展农村科普活动。", "牵头单位：县农业农村局", "1.培育高素质农民。", ""]
    text = HEAD + "\n".join(lines) + "\n"
    rec = _extract(text)
    youth, farmers = rec.measures
    assert [t.no for t in youth.tasks] == list(range(1, 251))
    assert [t.title for t in youth.tasks] == [f"开展第{n}项科普活动" for n in range(1, 251)]
    assert [t.no for t in farmers.tasks] == [1]
    for task in youth.tasks:  # the number is not part of the task's text, and the span quotes it
        assert text[task.span.start : task.span.end] == task.text
    iris = _task_iris(rec, text)
    assert len(iris) == 251
    assert any(i.endswith("/action/1/task/100") for i in iris)
    assert any(i.endswith("/action/1/task/250") for i in iris)


def test_250_tasks_numbered_in_chinese_numerals() -> None:
    lines = ["一、青少年科学素质提升行动", "牵头单位：县教体局"]
    for n in range(1, 251):
        lines.append(f"（{_cn(n)}）开展第{n}项科普活动。组织学生参加。")
    lines += ["二、农民科学素质提升行动", "牵头单位：县农业农村局", "（一）培育高素质农民。", ""]
    text = HEAD + "\n".join(lines) + "\n"
    rec = _extract(text)
    youth, farmers = rec.measures
    assert [t.no for t in youth.tasks] == list(range(1, 251))
    assert [t.title for t in youth.tasks] == [f"开展第{n}项科普活动" for n in range(1, 251)]
    assert [t.no for t in farmers.tasks] == [1]
    assert len(_task_iris(rec, text)) == 251


def test_chinese_numerals_of_any_size() -> None:
    for n in (1, 9, 10, 11, 20, 99, 100, 101, 105, 110, 119, 250, 999, 1000, 1001, 2345):
        assert cn_number(_cn(n)) == n, (n, _cn(n))
    assert cn_number("二〇二二") == 2022  # digit by digit (years)
    assert cn_number("十") == 10
