"""The kinds of safeguard commitment (data/registry/safeguards.toml, issue 18 item 2): the rule
file's shape, each kind in the wordings of the five plans and in another wording, the heading as a
fallback, ``other``, and a malformed file named in its error."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.errors import InputError
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.resolve.safeguards import OTHER, kinds_of, load_kinds

KEYS = [
    "leadership", "coordination", "planning", "funding", "talent", "assessment", "monitoring", "incentives",
    "regulation", "publicity", "research", "other",
]  # fmt: skip
FIXTURES = Path(__file__).parent.parent / "fixtures" / "sections"
PLANS = {p.stem.split("_")[0]: p for p in sorted(PLANS_DIR.glob("*.txt"))}


def test_the_rule_file() -> None:
    kinds = load_kinds()
    assert [k.key for k in kinds] == KEYS
    assert kinds[-1].key == OTHER and kinds[-1].cues == ()
    for k in kinds:
        assert k.zh and k.en and k.zh_definition and k.en_definition
        assert k.key == OTHER or k.cues


def _main(text: str, heading: str | None = None) -> str:
    return kinds_of(text, heading, load_kinds())[0]


# (text, main kind): the five plans' wordings first, then another wording of each kind
WORDINGS = [
    ("成立全民科学素质工作领导小组，完善全民科学素质行动实施协调机制，加强对科学素质建设的督促检查。", "leadership"),
    ("县委、县政府分管领导每年至少听取2次科学素质建设工作情况。", "leadership"),
    ("县人民政府负责领导全县的《科学素质纲要》实施工作。", "leadership"),
    ("建立区全民科学素质工作联席会议制度，召集人由分管副区长担任。", "leadership"),
    ("县科协牵头实施全民科学素质行动，会同相关部门全面推进科学素质建设。", "coordination"),
    ("区科协发挥综合协调作用，完善工作机制。", "coordination"),
    ("各镇政府、街道办事处负责本辖区全民科学素质行动组织实施工作。", "coordination"),
    ("县纲要办设在县科协，负责日常工作。", "coordination"),
    ("将公民科学素质发展目标纳入国民经济和社会发展规划。", "planning"),
    ("把科学素质建设列入各乡镇年度工作计划。", "planning"),
    ("将科普经费纳入县级财政预算，并逐步增加投入。", "funding"),
    ("提倡个人、企业、社会组织等社会力量，采取设立科普基金、资助科普项目等方式为科学素质建设投入资金。", "funding"),
    ("县财政按照人均科普经费不低于1元的标准安排科普经费。", "funding"),
    ("各乡镇要安排配套经费。", "funding"),
    ("根据科普专业技术职称评定办法，开展科普专业人才职称评定工作。", "talent"),
    ("建立科普人才库，加强科普队伍建设。", "talent"),
    ("县委、县政府加强督查检查，对工作不力的成员单位给予通报批评。", "assessment"),
    ("继续将科普工作纳入全民科学素质工作领导小组成员单位年度党建带群建考核内容。", "assessment"),
    ("区委督查室每年开展一次专项督查。", "assessment"),
    ("完善评估监测机制，落实国家科普工作评估制度。", "monitoring"),
    ("2023年开展中期评估，2025年开展总结评估。", "monitoring"),
    ("对在科学素质建设中作出突出贡献的集体和个人给予表彰奖励。", "incentives"),
    ("探索设立县级科普工作奖。", "incentives"),
    ("落实支持和鼓励科普事业发展的税收优惠等相关政策", "regulation"),
    ("贯彻落实《中华人民共和国科学技术普及法》，制定鼓励科普事业发展的政策。", "regulation"),
    ("充分利用各类媒体加强宣传，营造全社会支持科学素质建设的舆论氛围。", "publicity"),
    ("大力宣传先进事迹。", "publicity"),
    ("围绕科学素质建设开展专项调研和理论研究。", "research"),
    ("每半年报送一次工作进展情况。", "other"),
]


@pytest.mark.parametrize(("text", "kind"), WORDINGS)
def test_the_main_kind_of_a_wording(text: str, kind: str) -> None:
    assert _main(text) == kind


def test_several_kinds_in_the_files_order() -> None:
    kinds = kinds_of("要将科普经费列入同级财政预算并逐年增加，加强经费管理和绩效考评。", None, load_kinds())
    assert kinds == ["funding", "assessment"]


def test_the_heading_when_the_text_says_nothing_of_its_kind() -> None:
    text = "积极创建全国科普示范区，充分调动全社会力量参与全民科学素质工作。"
    assert _main(text, "选树先进典型") == "publicity"
    assert _main(text, None) == OTHER
    assert _main("确保工作落地有效。", "严格督查考核") == "assessment"


@pytest.mark.parametrize(
    ("n", "counts"),
    [
        ("000", {"funding": 4, "leadership": 2, "coordination": 2, "incentives": 2, "assessment": 2, "monitoring": 1}),
        ("001", {"coordination": 4, "funding": 4, "incentives": 3, "leadership": 1, "monitoring": 1, "assessment": 1}),
        ("002", {"funding": 3, "leadership": 2, "coordination": 2}),
        ("003", {"funding": 3, "leadership": 2, "coordination": 2}),
        (
            "004",
            {
                "funding": 4,
                "coordination": 3,
                "regulation": 3,
                "leadership": 1,
                "talent": 1,
                "planning": 1,
                "publicity": 1,
                "incentives": 1,
            },
        ),
    ],
)
def test_main_kinds_of_the_five_plans(n: str, counts: dict[str, int]) -> None:
    rec = extract_file(PLANS[n])
    assert Counter(c.kinds[0] for c in rec.commitments) == counts


def test_every_kind_in_the_fixtures() -> None:
    seen = {k for path in sorted(FIXTURES.glob("*.txt")) for c in extract_file(path).commitments for k in c.kinds}
    assert seen >= set(KEYS) - {"planning"}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "safeguards.toml"
    path.write_text(body, encoding="utf-8")
    load_kinds.cache_clear()
    return path


OTHER_TABLE = (
    '[[kind]]\nkey = "other"\nzh = "其他"\nen = "Other"\nzh_definition = "x"\nen_definition = "x"\ncues = []\n'
)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('[[kind]]\nkey = "funding"\nzh = "经费"\n', "zh_definition"),
        (OTHER_TABLE.replace("cues = []", 'cues = ["(经费"]'), "(经费"),
        (OTHER_TABLE + OTHER_TABLE, "twice"),
        (OTHER_TABLE.replace('"other"', '"funding"'), "other"),
        ("[[kind]\n", "malformed"),
    ],
)
def test_a_malformed_rule_file_is_named(tmp_path: Path, body: str, says: str) -> None:
    path = _write(tmp_path, body)
    try:
        with pytest.raises(InputError) as err:
            load_kinds(path)
        assert str(path) in str(err.value) and says in str(err.value)
    finally:
        load_kinds.cache_clear()
