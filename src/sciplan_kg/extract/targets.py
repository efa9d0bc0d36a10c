"""Numeric commitments in task texts: 培育高素质农民3000人以上, 培训产业工人1.2万人次,
科技类设施对外开放率达到90%以上, 每学期举办科普讲座不少于2次, 培训200名以上科技辅导员.

Each becomes a :class:`Target`: the value as a number (1.2万 = 12000), the unit, the comparator
(超过/高于 >, 不少于/不低于/至少/…以上 ≥, 达到 or nothing =), the deadline found in the same
sentence (到2025年; "十四五"期间 = 2021–2025) or a recurring frequency (每学期, 每年), and:

- **indicator**, the thing counted or measured, as written: the noun after the number when one
  follows it (培训200名以上科技辅导员, 60%以上的社区, 至少配备一名专（兼）职科技教师 → 科技教师), else
  the noun before it, without the verb, deadline, scope, frequency and comparator around it
  (“十四五”期间培训产业工人1.2万人次 → 产业工人; 科普信息员覆盖率达到100% → 科普信息员覆盖率).
  **Rule for tiers:** the tier of a designation (国家级, 全国, 市级, 县级, 区、市级) is not part of the
  indicator; it is kept in ``tier`` (县级科普示范基地3个以上 → 科普示范基地, tier 县级), so one indicator
  holds a county's and a city's bases alike. A staff modifier (专（兼）职) and 各类 are left off too.
- **scope**, where or per what it holds, as written (全县, 每所学校, 各乡镇, 各行政村), from the clause.
- **base_value / base_year**: a baseline given with the target (由2020年的8%提高到12%; 比2020年增长20%
  has a base year only). The baseline's own number is no target.
- **quote**: the clause from the last separator before the number (or the end of the target
  before it in the same clause: 60%以上的社区和50%的行政村 is two quotes) to the end of the unit, or
  of the indicator when it follows the number.

Chinese numerals are read as figures are (三万 = 30000, 两千五百, 一点五, 百分之十 = 10 %), with the
same units and comparators, but a count in them is a target only where the words make it one (一批,
一是, 五大提升行动, 第五 count nothing): after a floor, 达到, 各 or a frequency in its clause (至少配备一名,
每年选派科技特派员五百名以上); from two up right after a verb that delivers places or events
(建设十个科普示范村), from one when each place does it (每个乡镇建成一个科普活动站); or when it ends the
noun phrase it measures (全市建成科技馆五座，其中新建县级科技馆二座), has 以上/左右, is large (八千人) or
counts visits (一万人次). 分别举办A和B各一期 is one target for each of A and B: they share the quote,
which holds the one number both have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sciplan_kg.extract.patterns import cn_number
from sciplan_kg.extract.records import Span, Target
from sciplan_kg.read.text import PlanText

UNITS = (
    "人次", "场次", "个百分点", "人", "名", "个", "家", "所", "场", "次", "项", "支", "期", "部", "篇",
    "件", "处", "座", "户", "批", "门", "套", "节", "册", "份", "万册", "元", "%",
)  # fmt: skip
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
QUANTITY = re.compile(
    r"(?P<pre>超过|高于|不少于|不低于|至少|达到|力争达到|力争|累计|新增)?\s*"
    r"(?<![\d.第])(?P<num>\d+(?:\.\d+)?)\s*(?P<mult>亿|万|千|百)?\s*(?P<unit>" + _UNIT + r")(?P<post>以上|左右)?"
)
_NOT_A_TARGET_AFTER = re.compile(r"^(?:届|月|日|号|年|级|批次|G\b)")
_CLAUSE_START = re.compile(r"[,;。:、!?\n]")
_WIDE_CLAUSE = ",;。:!?\n"  # a clause with its 、 lists: where a scope is looked for
_SENTENCE_END = "。;!?"
_DEADLINE = re.compile(r"(?:到|至|在)\s*((?:19|20)\d{2})\s*年(?:底|末|前)?|((?:19|20)\d{2})\s*年(?:底|末)?前")
_FIVE_YEAR = re.compile(r"[“\"]?十四五[”\"]?\s*(?:期间|时期|末)")
_FREQUENCY = re.compile(r"每(?:学期|学年|年度|年|季度|季|月|周)")
MAX_PER_TASK = 100  # more than this in one task is not a plan's wording; stop and warn
_MULTIPLIERS = {"亿": 100_000_000, "万": 10000, "千": 1000, "百": 100}
_GT = ("超过", "高于")
_GE = ("不少于", "不低于", "至少")

# -- the words around a number -------------------------------------------------------------
# where or per what a target holds: 全县, 我区, 各乡镇（街道）, 每所学校, 每个行政村
_PLACE = (
    r"乡镇(?:\((?:街道|场)\))?|街道|行政村|村(?:\((?:社区|居)\))?|村居|社区|中小学校?|学校|高校|镇|乡"
    r"|县(?:\((?:市|区)\))?|区(?:\(县\))?|市|州|单位|部门|企业|园区|医院|家庭|户|班级"
)
SCOPE = re.compile(
    rf"人均|每人每年|全(?:县|区|市|州|省|旗|盟|镇|乡|村)|我(?:县|区|市|州|省|旗)|(?:各|每个|每所|每一个?|每)(?:{_PLACE})"
)
# the subject a frequency is counted per: 学校每学期至少安排1次 (each school, each term)
_PER_SUBJECT = re.compile(rf"(?<![\u4e00-\u9fff])(?:{_PLACE})(?=每(?:学期|学年|年度|年|季度|季|月|周))")
# the tier of a designation: 国家级, 全国, 省级, 区、市级, 县级
TIER = re.compile(r"全国|国家级|(?:[省市州县区乡镇村](?:、|和|及))*[省市州县区乡镇村]级|自治区级")
_DEADLINE_WORDS = re.compile(
    r"(?:到|至|在)?\s*(?:(?:19|20)\d{2}\s*年(?:底|末|前)?|[“\"]?十[一二三四五六七八九]五[”\"]?(?:期间|时期|末|期末)?)(?:期间|前)?"
)
# what is said around the noun and is not it: adverbs, comparators, 分别, 力争
_FILLER = re.compile(
    r"(?:其中|力争达到|力争|确保|努力|分别|累计|共计|共|新增|再|至少|不少于|不低于|超过|高于|达到|达|总数|总量|"
    r"人数达到|各类|各种|各|全体|广大|每年度|每学期|每学年|每年|每季度|每季|每月|每周|专\(兼\)职|专兼职|的)"
)
# verbs that deliver what a target counts: 培训产业工人, 建设科普基地, 新注册科技志愿者
_VERB = re.compile(
    r"新?(?:培育|培训|轮训|培养|推出|建设|建成|创建|新建|举办|开展|组织|安排|配备|注册|发展|招募|认定|评选|命名|打造|扶持|"
    r"吸纳|发放|推送|建立|创作|出版|制作|编印|印发|发行|播放|征集|选派|选聘|聘请|开设|开放|完成|实施|评定|改造|提升)"
)
# what follows a number and names no thing counted
_NOT_A_NOUN_AFTER = re.compile(r"(?:目标|水平|标准|规模|任务|以内|以下|左右|以上|的目标|的水平|、|和|及|与)")
# where a noun after the number ends: a verb of having or reaching, a connective before the next number
_NOUN_END = re.compile(
    r"具有|具备|达到|实现|建有|拥有|参加|参与|接受|得到|覆盖|进行|开展|以上|等|[和及与、](?=\d|[一二两三四五六七八九十]+[个家所名])"
)
_STANDARD = re.compile(
    r"的?标准(?:安排|落实|列支|拨付|足额安排|列入预算安排|纳入预算安排|核拨|保障)"
    r"([\u4e00-\u9fff]{2,10}?)(?=[,;。:]|$|并|纳入|列入|用于)"
)
_NOUN_CHARS = re.compile(r"[\u4e00-\u9fff“”\"()A-Za-z]")
_MAX_NOUN = 20
# a baseline stated with the target: 由2020年的8%提高到12%, 比2020年增长20%
_FROM = re.compile(r"(?:由|从)\s*(?:((?:19|20)\d{2})\s*年(?:底|末)?(?:的)?)?\s*$")
_FROM_TO = re.compile(r"\s*(?:提高|提升|增加|增长|上升|扩大|增至|升至)了?\s*(?:到|至)?")

_SINCE = re.compile(r"比\s*((?:19|20)\d{2})\s*年(?:底|末)?(?:的水平)?\s*(?:提高|提升|增加|增长|上升)了?\s*$")


@dataclass
class _Quantity:
    """One number with its unit: where the words that make it a target start (a cue or verb before
    it, else the number), where the number starts (百分之 included) and where it ends (以上 included)."""

    start: int
    num_start: int
    end: int
    unit: str
    post: str
    cue: str | None  # 各 right before the number: 分别举办A和B各一期
    value: float


# -- counts in Chinese numerals ----------------------------------------------------------------
# 五, 二十五, 两千五百, 一万二千, 三万, 一百零五, 一点五, 一点二万: the same numbers as in Arabic figures
_CN_DIGIT = "〇零一二两三四五六七八九"
_CN_NUM = rf"[{_CN_DIGIT}十百千万亿]+(?:点[{_CN_DIGIT}]+[万亿]?)?"
# the units of the Arabic path, but 批 (打造一批: "a batch of", no count) and % (百分之十 instead)
_CN_UNITS = (
    "人次", "场次", "个百分点", "人", "名", "个", "家", "所", "场", "次", "项", "支", "期", "部", "篇",
    "件", "处", "座", "户", "门", "套", "节", "册", "份", "元",
)  # fmt: skip
_CN_UNIT = "|".join(sorted(_CN_UNITS, key=len, reverse=True))
# what a count of the plan's own parts is followed by (五项重点工程, 开展三项工作, 两个方面, 五个一,
# 一部分, 一次性): never a target
_NOT_COUNTED = (
    rf"[{_CN_DIGIT}十百千万]|方面|领域|环节|重点|层次|阶段|维度|方向|体系|机制|目标|任务|工作|行动|工程|计划|结合"
    r"|分|性|化"
)
CN_COUNT = re.compile(
    rf"(?<![{_CN_DIGIT}十百千万亿第])(?<![{_CN_DIGIT}十百千]点)(?P<num>{_CN_NUM})(?P<unit>{_CN_UNIT})(?P<post>以上|左右)?"
    rf"(?!{_NOT_COUNTED})"
)
# 百分之十, 不低于百分之九十: a share in words
CN_PERCENT = re.compile(rf"(?<![{_CN_DIGIT}十])百分之(?P<num>{_CN_NUM})(?P<unit>)(?P<post>以上|左右)?")
# a Chinese count is a target only where the words around it make it one, unlike an Arabic figure
# (一批, 一是, 五大提升行动, 第五, 一流, 三级网络 count nothing):
# - a floor, 达到, 各 (each) or a frequency before it in the clause: 至少配备一名, 各一期,
#   每年选派科技特派员五百名以上, 注册科技志愿者达到三万名, 人均科普经费达到一点五元以上;
_CN_CUE = re.compile(
    r"至少|不少于|不低于|超过|高于|达到|累计|新增|共计|各|每(?:学期|学年|年度|年|季度|季|月|周)(?:至少)?"
    r"|(?:提高|提升|增加|增长|上升|扩大)了?(?:到|至)|增至|升至"
)
_CUE_GAP = 12  # Han characters at most between the cue and the number (每年选派科技特派员五百名)
_GAP_CHARS = re.compile(r"[\u4e00-\u9fff“”\"()]*")
# - from two up, a verb that builds places or holds events right before it: 建设十个科普示范村,
#   举办两期培训班; from one up when each place does it (每个乡镇建成一个科普活动站);
_CN_DELIVER = re.compile(
    r"(?:建设|建成|创建|新建|培育|打造|认定|命名|评选|举办|组织|培训|培养|选派|招募|配备|推出|创作|出版|制作|编印|征集|开设)$"
)
_EACH_PLACE = re.compile(rf"(?:各|每个|每所|每一个?|每)(?:{_PLACE})")
# - a count that ends the noun phrase it measures (全市建成科技馆五座；其中新建县级科技馆二座。),
#   one with 以上/左右 (科普教育基地一百个以上), a large or decimal one (培育高素质农民八千人) or
#   one of visits (一万人次): all count something whatever comes before; a count at the end of a
#   clause right after a verb is its object, no measure of a noun (建设一个，带动一片 is a slogan);
_VERB_BEFORE = re.compile(rf"(?:{_VERB.pattern}|抓好|办好|做好|带动|推广|树立|抓住|办成|形成)$")
_PHRASE_END = re.compile(r"[,;。:、!?\n)]|和|及|与|并|$")
# - never after 第, 其中, 之, 每, 这, 以下 …: an ordinal, a part of a whole (其中一项, 之一), 每一个,
#   a list announced (以下三项：)
_NOT_A_COUNT_AFTER = re.compile(
    r"(?:第|其中|之|每|这|那|该|此|等|以下|下列|如下|上述|以上|前|后|同|统|唯|单|逐|任|某)$"
)
# a baseline stated before the target: 由2020年的8%提高到12%, 比2020年增长20%, 由三座增加到五座
_BASE_PHRASE = re.compile(rf"(?:由|从|比)\s*(?:(?:19|20)\d{{2}}\s*年|\d|(?:{_CN_NUM})(?:{_CN_UNIT}))")


def cn_value(num: str) -> float | None:
    """三万 → 30000, 两千五百 → 2500, 一点五 → 1.5, 一点二万 → 12000, 一亿二千万 → 120000000. None
    for what is no count: 百/千/万 with no digit before them (百场千人, 进万家, 每万人口 are names
    or rates) and digits read one by one (二〇二五 is a year, 三五个 is "a few")."""
    s = num.replace("两", "二")
    if not s or s[0] in "百千万亿":
        return None
    mult = 1
    whole, _, decimals = s.partition("点")
    if decimals and decimals[-1] in "万亿":
        mult, decimals = _MULTIPLIERS[decimals[-1]], decimals[:-1]
    value = 0.0
    high, _, low = whole.partition("亿")
    if low or whole.endswith("亿"):
        if not high:
            return None
        h = cn_number(high)
        rest = cn_number(low) if low else 0
        if h is None or rest is None:
            return None
        value = h * 100_000_000 + rest
    else:
        if len(whole) > 1 and not any(c in "十百千万" for c in whole):
            return None
        n = cn_number(whole)
        if n is None:
            return None
        value = float(n)
    if decimals:
        digits = [cn_number(c) for c in decimals]
        if any(d is None for d in digits):
            return None
        value += float("0." + "".join(str(d) for d in digits))
    return value * mult


def _cn_counts(text: str, start: int, end: int) -> list[_Quantity]:
    """The counts in Chinese numerals between ``start`` and ``end`` that the words around make targets."""
    found: list[_Quantity] = []
    for m in CN_PERCENT.finditer(text, start, end):
        value = cn_value(m.group("num")) if m.group("num") != "百" else 100.0  # 百分之百
        if value:
            found.append(_Quantity(m.start(), m.start(), m.end(), "%", m.group("post") or "", None, value))
        if len(found) > MAX_PER_TASK:
            break
    for m in CN_COUNT.finditer(text, start, end):
        at = m.start("num")
        value = cn_value(m.group("num"))
        if not value:
            continue
        floor = max(start, at - 60)
        if _NOT_A_COUNT_AFTER.search(text, floor, at):
            continue
        q = _Quantity(at, at, m.end(), m.group("unit"), m.group("post") or "", None, value)
        if _cn_is_target(text, q, m.group("num"), floor, end):
            found.append(q)
        if len(found) > MAX_PER_TASK:
            break
    return found


def _cn_is_target(text: str, q: _Quantity, num: str, floor: int, end: int) -> bool:
    """Whether a Chinese count is a target, by the words around it; sets the quantity's cue and
    start (the cue or verb that makes it one)."""
    at = q.num_start
    clause = at
    while clause > floor and text[clause - 1] not in _WIDE_CLAUSE + "、":
        clause -= 1
    # the nearest cue no further than _CUE_GAP characters before the number, in the same clause
    lo = max(clause, at - _CUE_GAP - 4)
    cue = None
    for c in _CN_CUE.finditer(text, lo, at):
        if at - c.end() <= _CUE_GAP and _GAP_CHARS.fullmatch(text, c.end(), at):
            cue = c
    if cue is not None:
        q.start = cue.start()
        q.cue = "各" if cue.group(0) == "各" and at - cue.end() <= 3 else None  # 分别举办A和B各一期
        return True
    if at > 0 and text[at - 1] == "达":  # 总数达三万人
        q.start = at - 1
        return True
    if _FROM.search(text, clause, at) and _FROM_TO.match(text, q.end):
        return True  # 由三座增加到五座: the baseline, read as the Arabic one is
    verb = _CN_DELIVER.search(text, max(clause, at - 2), at)
    if verb is not None:
        least = 1 if _EACH_PLACE.search(text, clause, verb.start()) else 2
        if q.value >= least:
            q.start = verb.start()
            return True
    if q.post or q.unit in ("人次", "场次", "个百分点") or any(c in num for c in "百千万亿点"):
        return True
    # the tail of a noun phrase, not the object of a verb (建设一个，带动一片 is a slogan)
    return (
        at > clause
        and _PHRASE_END.match(text, q.end, end) is not None
        and bool(_NOUN_CHARS.match(text, at - 1))
        and _VERB_BEFORE.search(text, max(clause, at - 4), at) is None
    )


def comparator(lead_in: str, post: str) -> str:
    """> for 超过/高于, ≥ for 不少于/不低于/至少 or a trailing 以上, = otherwise (达到, or a bare number).
    ``lead_in`` is the clause up to the number, so 至少安排1次 counts as ≥."""
    if any(w in lead_in for w in _GT):
        return "gt"
    if any(w in lead_in for w in _GE) or post == "以上":
        return "ge"
    return "eq"


_REACH = 300  # a sentence is looked for at most this far either way, so a line without
# punctuation costs linear time, not quadratic


def _sentence(text: str, start: int, lo: int, hi: int) -> tuple[int, int]:
    s = start
    floor = max(lo, start - _REACH)
    while s > floor and text[s - 1] not in _SENTENCE_END:
        s -= 1
    e = start
    ceiling = min(hi, start + _REACH)
    while e < ceiling and text[e] not in _SENTENCE_END:
        e += 1
    return s, e


def _quantities(text: str, start: int, end: int) -> list[_Quantity]:
    """Every count in [start, end), in Arabic or Chinese numerals, in text order, with its value."""
    found: list[_Quantity] = []
    for m in QUANTITY.finditer(text, start, end):
        if not _NOT_A_TARGET_AFTER.match(text, m.end()):
            value = float(m.group("num")) * _MULTIPLIERS.get(m.group("mult") or "", 1)
            found.append(
                _Quantity(m.start(), m.start("num"), m.end(), m.group("unit"), m.group("post") or "", None, value)
            )
        if len(found) > MAX_PER_TASK:
            break
    found.extend(_cn_counts(text, start, end))
    found.sort(key=lambda q: q.num_start)
    return found


def _clause_start(text: str, at: int, floor: int) -> int:
    """Where the clause holding offset ``at`` begins: after the last separator, looking back at most
    60 characters. A 、 between tiers (区、市级) separates nothing."""
    clause = at
    while clause > max(floor, at - 60):
        c = text[clause - 1]
        if _CLAUSE_START.match(c) and not (c == "、" and TIER.match(text, clause - 2) and clause >= 2):
            break
        clause -= 1
    return clause


@dataclass
class _Words:
    """What the words around one number say: the thing counted and where the quote ends."""

    indicator: tuple[int, int] | None
    tier: str | None
    quote_end: int
    parts: list[tuple[int, int]]  # 分别举办A和B各一期: A and B


_TRAILING = (
    "力争达到", "达到", "不少于", "不低于", "超过", "高于", "至少", "力争", "累计", "新增", "达", "共", "各", "的",
)  # fmt: skip


def _strip(text: str, s: int, e: int) -> tuple[int, int, str | None]:
    """Trim a noun phrase [s, e) of what is not the thing itself: deadline, scope, filler words,
    a leading verb; a trailing comparator. Returns the phrase and the tier it carried."""
    tier: str | None = None
    while s < e:
        for pattern in (_DEADLINE_WORDS, SCOPE, _FILLER, _VERB):
            m = pattern.match(text, s, e)
            if m and m.end() > s:
                s = m.end()
                break
        else:
            m = TIER.match(text, s, e)
            if m and tier is None and m.end() < e:
                tier, s = m.group(0), m.end()
                continue
            if text[s] == " ":
                s += 1
                continue
            break
    changed = True
    while changed and e > s:
        changed = False
        for word in _TRAILING:
            if text.endswith(word, s, e):
                e -= len(word)
                changed = True
        while e > s and text[e - 1] in " ":
            e -= 1
            changed = True
    return s, e, tier


def _noun_after(text: str, at: int, end: int) -> tuple[int, int] | None:
    """The noun right after a number (培训200名以上科技辅导员, 60%以上的社区): from ``at``, over 的, up
    to a separator, a digit, a verb of having or a connective before the next number. After a
    rate (按人均不低于1元的标准安排科普经费) it is what the rate is for."""
    standard = _STANDARD.match(text, at, end)
    if standard:
        return standard.span(1)
    s = at
    if text.startswith("的", s):
        s += 1
    if s >= end or not _NOUN_CHARS.match(text, s) or _NOT_A_NOUN_AFTER.match(text, s):
        return None
    e = s
    limit = min(end, s + _MAX_NOUN)
    while e < limit and _NOUN_CHARS.match(text, e) and not _NOUN_END.match(text, e):
        e += 1
    if e < limit and _NOUN_CHARS.match(text, e) is None and text[e].isdigit():
        return None  # a name holding the number (1+3+X模式)
    s2, e2, _ = _strip(text, s, e)
    return (s2, e2) if e2 > s2 else None


def _words(text: str, quote_start: int, m: _Quantity, end: int) -> _Words:
    before_num = m.num_start
    after = _noun_after(text, m.end, end)
    stated = _BASE_PHRASE.search(text, quote_start, before_num)  # 占比由2020年的35%提高到60%
    s, e, tier = _strip(text, quote_start, stated.start() if stated else before_num)
    if after is not None:
        t = TIER.match(text, after[0], after[1])  # 60%以上的县级科普示范学校
        if t and t.end() < after[1]:
            after, tier = (t.end(), after[1]), t.group(0)
        return _Words(after, tier, after[1], [])
    if e <= s:
        return _Words(None, tier, m.end, [])
    parts: list[tuple[int, int]] = []
    if m.cue == "各":
        # 分别举办A和B各一期: one target each
        for piece in re.finditer(r"[^和及与、]+", text[s:e]):
            ps, pe, _ = _strip(text, s + piece.start(), s + piece.end())
            if pe > ps:
                parts.append((ps, pe))
        if len(parts) < 2:
            parts = []
    return _Words((s, e), tier, m.end, parts)


def scope_in(text: str) -> str | None:
    """The first scope a phrase names (全县, 每所学校, 各乡镇), as written; None when it names none."""
    m = SCOPE.search(text)
    return m.group(0) if m else None


def task_targets(pt: PlanText, start: int, end: int) -> list[Target]:
    """The numeric targets in the text between offsets ``start`` and ``end``."""
    text = pt.folded
    out: list[Target] = []
    previous_end = start
    pending_base: tuple[float, int | None, int] | None = None  # value, year, sentence start
    for m in _quantities(text, start, end):
        value = m.value
        if len(out) >= MAX_PER_TASK:
            break
        s_start, s_end = _sentence(text, m.num_start, start, end)
        clause = _clause_start(text, m.start, s_start)
        lead_in = text[clause : m.num_start]
        base = _FROM.search(lead_in)
        if base and _FROM_TO.match(text, m.end):
            pending_base = (round(value, 6), int(base.group(1)) if base.group(1) else None, s_start)
            continue  # 由2020年的8%提高到…: the 8% is the target's baseline
        if previous_end > clause and previous_end <= m.start:
            clause = previous_end  # the target before it in the same clause has its own words
            while clause < m.start and text[clause] in "和及与、 ":
                clause += 1
        sentence = text[s_start:s_end]
        year: int | None = None
        period: tuple[int, int] | None = None
        deadline = _DEADLINE.search(sentence)
        if deadline:
            year = int(deadline.group(1) or deadline.group(2))
        elif _FIVE_YEAR.search(sentence):
            year, period = 2025, (2021, 2025)
        freq = _FREQUENCY.search(text, clause, m.end)
        if freq is None and m.unit != "%":
            # 每学期至少安排1次…，举办讲座2次: the sentence's frequency; a share is a state, never recurs
            freq = _FREQUENCY.search(text, s_start, m.start)
        quote_start = clause
        while quote_start < m.end and text[quote_start] in " \t":
            quote_start += 1
        words = _words(text, quote_start, m, min(end, s_end))
        base_value: float | None = None
        base_year: int | None = None
        if pending_base is not None and pending_base[2] == s_start:
            base_value, base_year = pending_base[0], pending_base[1]
        pending_base = None
        since = _SINCE.search(text, s_start, m.num_start)
        if since and base_year is None:
            base_year = int(since.group(1))
        wide = m.start
        while wide > max(s_start, m.start - 80) and text[wide - 1] not in _WIDE_CLAUSE:
            wide -= 1
        scope_match = SCOPE.search(text, wide, m.num_start)
        if scope_match is None and words.indicator is not None and words.indicator[0] >= m.end:
            scope_match = SCOPE.search(text, m.end, words.indicator[0])
        if scope_match is None and freq is not None:
            scope_match = _PER_SUBJECT.search(text, s_start, m.num_start)  # 学校每学期…: per school
        span = Span(quote_start, words.quote_end, pt.line_of(quote_start))
        for ind in words.parts or ([words.indicator] if words.indicator else [None]):
            out.append(
                Target(
                    value=round(value, 6),
                    unit=m.unit,
                    comparator=comparator(text[clause : m.num_start], m.post),  # type: ignore[arg-type]
                    year=year,
                    quote=pt.quote(quote_start, words.quote_end),
                    span=span,
                    period=period,
                    frequency=freq.group(0) if freq else None,
                    indicator=pt.quote(*ind) if ind else None,
                    scope=pt.quote(scope_match.start(), scope_match.end()) if scope_match else None,
                    base_value=base_value,
                    base_year=base_year,
                    tier=pt.quote(*_tier_span(text, words.tier, quote_start, words.quote_end)) if words.tier else None,
                )
            )
        previous_end = words.quote_end
    return out[:MAX_PER_TASK]


def _tier_span(text: str, tier: str, start: int, end: int) -> tuple[int, int]:
    at = text.find(tier, start, end)
    return (at, at + len(tier)) if at >= 0 else (start, start)
