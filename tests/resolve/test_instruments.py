"""Policy instruments coded by the word-cue rules of data/registry/instruments.toml.

The phrases are written the way implementation plans of other places and levels word them (a
province, a prefecture, a county of another region), not copied from the five bundled plans:
at least two that use each instrument, and wordings that look like one but are not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sciplan_kg.errors import InputError
from sciplan_kg.extract.records import Commitment, Measure, PlanRecord, Span, Task
from sciplan_kg.read.text import fold
from sciplan_kg.resolve.instruments import Instrument, code_record, code_text, compile_cue, explain, load_scheme

SCHEME_ORDER = [
    "funding", "talent", "facilities", "information", "public-services",
    "goals-planning", "regulation", "incentives-evaluation", "organisation", "publicity",
    "procurement", "pilots", "outsourcing", "cooperation",
]  # fmt: skip

# (instrument, phrase that uses it)
USES = [
    ("funding", "各级财政要将科普经费列入同级财政预算，并随经济发展逐步增加。"),
    ("funding", "设立科普创作专项，对优秀原创科普作品给予资助。"),
    ("funding", "加大对农村科普设施的投入，落实以奖代补政策。"),
    ("talent", "加强专兼职科普人才队伍建设，每个乡镇配备1名科普专干。"),
    ("talent", "组建州级科学传播专家团，深入基层开展巡回宣讲。"),
    ("talent", "每年培训科技辅导员200人次，提高科学教师的专业能力。"),
    ("facilities", "新建市科技馆，推动县级科技馆全覆盖。"),
    ("facilities", "在行政村建设科普活动室和科普宣传栏。"),
    ("facilities", "推进科普基地建设，完善展品和设备的更新机制。"),
    ("information", "建设全省科普信息化平台，汇聚优质科普资源。"),
    ("information", "依托大数据和人工智能，建立科普专家数据库。"),
    ("information", "利用微信公众号、抖音等新媒体推送科普内容。"),
    ("public-services", "广泛开展科普日、科技活动周等群众性科普活动。"),
    ("public-services", "面向农民举办农村实用技术培训和专题讲座。"),
    ("public-services", "推动健康科普进社区、进家庭。"),
    ("public-services", "依托县科技馆开展青少年科普活动。"),
    ("public-services", "利用广播、电视、微信等媒体普及防灾减灾知识。"),
    ("goals-planning", "将科普工作纳入全市国民经济和社会发展规划。"),
    ("goals-planning", "将青少年科技教育纳入中小学教学计划。"),
    ("goals-planning", "编制全县科普场馆建设方案，统筹布局流动科普设施。"),
    ("regulation", "认真贯彻落实《中华人民共和国科学技术普及法》。"),
    ("regulation", "制定科普基地认定管理办法，完善科普工作标准和规范。"),
    ("regulation", "落实税收优惠等支持科普事业发展的政策。"),
    ("incentives-evaluation", "对在科普工作中做出突出贡献的单位和个人给予表彰奖励。"),
    ("incentives-evaluation", "将科普工作纳入各部门年度目标考核。"),
    ("incentives-evaluation", "开展公民科学素质监测评估，定期督查通报。"),
    ("incentives-evaluation", "将科普工作实绩作为专业技术人员职称评聘的依据。"),
    ("organisation", "成立由分管副州长任组长的科学素质工作领导小组。"),
    ("organisation", "建立科协牵头、部门协同、上下联动的工作机制。"),
    ("organisation", "各成员单位要按照职责分工抓好落实。"),
    ("publicity", "大力宣传科普工作中涌现的先进典型和经验做法。"),
    ("publicity", "营造崇尚科学、鼓励创新的社会氛围。"),
    ("publicity", "加强舆论引导，弘扬科学精神。"),
    ("procurement", "通过政府购买服务方式支持社会组织开展科普。"),
    ("procurement", "采购优质科普展品和数字科普资源。"),
    ("pilots", "开展科普示范县创建活动。"),
    ("pilots", "选择3个乡镇开展全域科普试点，以点带面推动工作。"),
    ("pilots", "建设一批青少年科技创新特色学校。"),
    ("pilots", "探索“科普+旅游”融合发展模式。"),
    ("outsourcing", "鼓励和引导社会力量兴办科普事业。"),
    ("outsourcing", "支持企业和社会组织参与科普基础设施建设。"),
    ("outsourcing", "推动科普产业发展，探索市场化运作模式。"),
    ("outsourcing", "鼓励社会资金投入科普基础设施建设。"),
    ("cooperation", "深化馆校合作，推动科技场馆与学校共建共享。"),
    ("cooperation", "加强与周边市州的科普交流与协作。"),
    ("cooperation", "积极参与国际科技人文交流。"),
    ("information", "推动传统媒体与新媒体深度融合。"),
    ("outsourcing", "鼓励主流媒体增加科普内容。"),
    ("organisation", "建立部门协同、上下联动的工作机制。"),
]

# (instrument, phrase with its cue word that does not use it)
DOES_NOT = [
    ("funding", "承担市级科技计划（专项、基金等）项目的单位结合科研任务开展科普。"),
    ("funding", "科普大篷车已投入使用。"),
    ("funding", "县财政局、县科协按职责分工负责。"),
    ("cooperation", "依托农民专业合作社开展技术指导。"),
    ("cooperation", "县妇联、县残疾人联合会配合。"),
    ("pilots", "充分发挥领导干部的示范引领作用。"),
    ("regulation", "鼓励领导干部宣传国家科技政策。"),
    ("regulation", "推进科技志愿服务规范化、常态化。"),
    ("goals-planning", "开展职业生涯规划等通识培训。"),
    ("goals-planning", "贯彻落实《全民科学素质行动规划纲要》。"),
    ("outsourcing", "提升产业工人科学素质。"),
    ("outsourcing", "引导科技工作者坚守社会责任。"),
    ("information", "完善数学、物理、通用技术、信息技术等学科的学业水平考试。"),
    ("information", "积极开发老年人力资源。"),
    ("incentives-evaluation", "激励青少年树立科技报国的志向。"),
    ("organisation", "有计划地组织领导干部到科研院所参观学习。"),
    ("public-services", "建好村级科普活动室。"),
    ("public-services", "加大科技辅导员培训力度。"),
    ("facilities", "开展科普宣传教育活动。"),
    ("facilities", "依托县科技馆开展青少年科普活动。"),
    ("facilities", "开展市级科普示范基地创建活动。"),
    ("information", "利用广播、电视、微信等媒体普及防灾减灾知识。"),
    ("funding", "鼓励社会资金投入科普基础设施建设。"),
    ("organisation", "建立科普工作考核评价机制。"),
    ("goals-planning", "到2025年，全县建成乡镇科普站12个以上。"),
    ("talent", "开展老年人智能手机使用培训。"),
    # revisions after the measurement (docs/instruments.md: a mechanism by what it does; 融入 is practice)
    ("talent", "大力弘扬劳模精神、工匠精神。"),
    ("goals-planning", "将科学精神融入课堂教学。"),
    ("organisation", "建立科技资源科普化机制。"),
    ("organisation", "统筹利用各类科普资源。"),
    ("facilities", "依托合作社建立农业示范基地。"),
    ("publicity", "倡导启发式、探究式教学。"),
]


@pytest.mark.parametrize(("instrument", "phrase"), USES)
def test_a_phrase_that_uses_an_instrument_is_coded_with_it(instrument: str, phrase: str) -> None:
    assert instrument in code_text(phrase), explain(phrase)


@pytest.mark.parametrize(("instrument", "phrase"), DOES_NOT)
def test_a_cue_word_in_a_wording_that_means_something_else_is_no_code(instrument: str, phrase: str) -> None:
    assert instrument not in code_text(phrase), explain(phrase)


def test_every_instrument_has_two_phrases_and_the_scheme_order_is_fixed() -> None:
    scheme = load_scheme()
    assert [i.key for i in scheme.instruments] == SCHEME_ORDER
    assert [g.key for g in scheme.groups] == ["supply", "environment", "demand"]
    for key in SCHEME_ORDER:
        assert sum(1 for k, _ in USES if k == key) >= 2, key
    assert {scheme.group_of(k) for k in SCHEME_ORDER[:5]} == {"supply"}
    assert {scheme.group_of(k) for k in SCHEME_ORDER[5:10]} == {"environment"}
    assert {scheme.group_of(k) for k in SCHEME_ORDER[10:]} == {"demand"}


def test_codes_come_in_scheme_order_without_repeats() -> None:
    text = "开展科普交流合作。加强宣传，营造氛围。设立专项经费。建设科技馆。建设科技馆。"
    codes = code_text(text)
    assert codes == sorted(codes, key=SCHEME_ORDER.index)
    assert len(codes) == len(set(codes))
    assert codes[0] == "funding" and codes[-1] == "cooperation"


def test_a_text_with_no_cue_has_no_code() -> None:
    assert code_text("") == []
    assert code_text("提高领导干部和公务员科学履职水平。") == []


def test_a_vetoed_cue_elsewhere_in_the_text_still_counts() -> None:
    assert "cooperation" not in code_text("依托农民专业合作社开展培训。")
    assert "cooperation" in code_text("依托农民专业合作社开展培训，加强与高校合作。")


def test_full_width_and_half_width_punctuation_code_alike() -> None:
    assert code_text("到2025年，建成科普站１２个以上；") == code_text("到2025年,建成科普站12个以上;")


def test_the_gap_stays_in_one_sentence() -> None:
    cue = compile_cue("建设…科技馆", 25)
    assert cue.search("建设县级科技馆")
    assert not cue.search("加强建设。科技馆")
    assert not cue.search("加强建设；科技馆")
    assert not cue.search("建设" + "很" * 26 + "科技馆")


def test_explain_names_the_words_behind_each_code() -> None:
    found = dict(explain("成立领导小组，设立专项经费。"))
    assert found["organisation"] == ["领导小组"]
    assert "经费" in found["funding"]


def _record() -> PlanRecord:
    span = Span(0, 1, 1)
    header: list[None] = [None] * 9  # title … issued_span
    rec = PlanRecord("x.txt", "0", 1, *header, period=None, level=None)
    task = Task(1, "加强科普基地建设", "加强科普基地建设。开展科普示范基地创建活动。", span)
    no_title = Task(2, "建设科技馆", "鼓励企业参与。", span)
    rec.measures.append(Measure("project", 1, "科普基础设施工程", span, tasks=[task, no_title]))
    rec.commitments.append(Commitment(["funding"], "将科普经费列入财政预算。", span))
    return rec


def test_code_record_fills_tasks_and_commitments() -> None:
    rec = code_record(_record())
    first, second = (t for _, t in rec.tasks())
    assert first.instruments == ["facilities", "public-services", "pilots"]
    assert second.instruments == ["facilities", "outsourcing"]  # the title is read too
    assert rec.commitments[0].instruments == ["funding"]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "instruments.toml"
    text = (
        'gap = 25\n[scheme]\nzh = "工具"\nen = "Tools"\ndefinition_zh = "定义"\ndefinition_en = "Definition"\n'
        '[[group]]\nkey = "supply"\nzh = "供给"\nen = "Supply"\ndefinition_zh = "定义"\ndefinition_en = "Def"\n'
    )
    path.write_text(text + body, encoding="utf-8")
    return path


_INSTRUMENT = (
    '[[instrument]]\nkey = "funding"\ngroup = "{group}"\nzh = "资金"\nen = "Funding"\n'
    'definition_zh = "定义"\ndefinition_en = "Def"\n'
)


def test_a_bad_pattern_is_an_error_naming_file_instrument_pattern_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, _INSTRUMENT.format(group="supply") + "cues = [\n  '经费',\n  '(资金',\n]\n")
    load_scheme.cache_clear()
    try:
        with pytest.raises(InputError) as info:
            load_scheme(path)
    finally:
        load_scheme.cache_clear()
    message = str(info.value)
    assert str(path) in message and "funding" in message and "(资金" in message
    assert "不是有效的正则表达式" in message and "not a valid regular expression" in message
    assert info.value.line == 22


def test_an_unknown_group_or_an_empty_cue_list_is_an_error(tmp_path: Path) -> None:
    load_scheme.cache_clear()
    try:
        with pytest.raises(InputError, match="group 'demand' is none of"):
            load_scheme(_write(tmp_path, _INSTRUMENT.format(group="demand") + "cues = ['经费']\n"))
        with pytest.raises(InputError, match="has no cues"):
            load_scheme(_write(tmp_path, _INSTRUMENT.format(group="supply") + "cues = []\n"))
        with pytest.raises(InputError, match="matches the empty text"):
            load_scheme(_write(tmp_path, _INSTRUMENT.format(group="supply") + "cues = ['(经费)?']\n"))
    finally:
        load_scheme.cache_clear()


def test_the_rule_file_reads_as_documented() -> None:
    text = (Path(__file__).parents[2] / "data" / "registry" / "instruments.toml").read_text(encoding="utf-8")
    assert "Rothwell" in text and "unless" in text and "…" in text
    for cue in re.findall(r"^\s+'([^']*)',", text, flags=re.M):
        compile_cue(cue)  # every cue and unless pattern compiles


def test_an_instrument_shows_a_cue_exactly_where_a_cue_pattern_matches() -> None:
    """``Instrument.shows`` (plain-word cues by a substring test, the others by regex) is the
    prefilter of every coding: it must say yes wherever any cue's pattern matches, on every
    phrase above and on each phrase with its cue words alone."""
    scheme = load_scheme()
    texts = [phrase for _, phrase in USES + DOES_NOT]
    texts += [w for i in scheme.instruments for w in i.words] + ["", "与本方案无关的一句话。"]
    assert any(i.words for i in scheme.instruments) and any(i.patterns for i in scheme.instruments)
    for instrument in scheme.instruments:
        assert set(instrument.words) | {p.pattern for p in instrument.patterns} == {c.pattern for c in instrument.cues}
        for text in texts:
            folded = fold(text)
            assert instrument.shows(folded) == any(c.search(folded) for c in instrument.cues), (instrument.key, text)


def test_a_cue_is_a_plain_word_only_without_syntax_or_case_folding() -> None:
    cues = (re.compile("科普"), re.compile("e站", re.IGNORECASE), re.compile("经费|资金"))
    instrument = Instrument("k", "g", "中", "en", "定义", "definition", cues, ())
    assert instrument.words == ("科普",)
    assert instrument.shows("建设E站") and instrument.shows("落实资金") and not instrument.shows("建设场馆")
