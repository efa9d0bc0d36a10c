"""The genre's vocabulary as regular expressions over folded text (see :mod:`.text`).

Folding turns （）〔〕【】：，；． into ()[]:,;. and every dash into —, so one pattern reads
full-width and ASCII plans alike.
"""

from __future__ import annotations

import re

CN_DIGITS = "〇零一二三四五六七八九十"
CN_NUMERALS = CN_DIGITS + "百千"  # heading numbers of any size: 一百零一、 （二百五十）

# A document number: issuer's abbreviation, the year in brackets, the serial, 号. Folded text has
# [] for 〔〕【】［］ and () for （）; web and OCR text also print the year in 「」 『』 〖〗 ﹝﹞ 〈〉 <>
# or between quote marks („2022‟ "2022" “2022”), with spaces anywhere: 渝府办发〔2021〕138号,
# 国发(2021)9号, 平政办发[2022]45号, 大政发 〔 2022〕 19号, 鹰府发„2022‟9号, 九府发〔2022〕第9号.
_NUMBER_OPEN = "\\[(「『〖﹝〈<{„‟“”‘’\"'"
_NUMBER_CLOSE = "\\])」』〗﹞〉>}„‟“”‘’\"'"
DOC_NUMBER_TAIL = rf"\s*[{_NUMBER_OPEN}]\s*(?:19|20)\d{{2}}\s*[{_NUMBER_CLOSE}]\s*第?\s*\d{{1,4}}\s*号"  # year, serial
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,14}?\s*\[\s*(?:19|20)\d{2}\s*\]\s*\d{1,4}\s*号")  # folded 〔〕 only
DOC_NUMBER_LOOSE = re.compile(r"[\u4e00-\u9fff]{1,14}?" + DOC_NUMBER_TAIL)

# Dates: 2022年5月5日, 2022 年 5 月 5 日; 二〇二二年五月五日 with the zero printed 〇 ○ 零, the Greek Ο
# (U+039F), the Latin or Cyrillic O or a digit 0 (二○二二年十二月三十一日); 2022-05-05 (folded —),
# 2022/5/5 and 2022.05.05 in metadata blocks.
CN_ZEROS = "〇零○ΟοOoОо0"
_CN_DATE_DIGITS = CN_ZEROS + "一二三四五六七八九十"
DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_CN = re.compile(
    rf"([{_CN_DATE_DIGITS}]{{4}})\s*年\s*([{_CN_DATE_DIGITS}]{{1,3}})\s*月\s*([{_CN_DATE_DIGITS}]{{1,3}})\s*日"
)
DATE_ISO = re.compile(r"((?:19|20)\d{2})\s*[—/.]\s*(\d{1,2})\s*[—/.]\s*(\d{1,2})(?!\d)")

# An issuing body as it signs: an office (…人民政府办公室/办公厅), the government itself, the State
# Council (国务院, 国务院办公厅), a 科协 (…科学技术协会, …科协), a 纲要办 (…纲要实施工作办公室,
# …工作领导小组办公室), a 委员会, a 党委 (中共XX县委, 中共XX县委办公室), a leading group, a bureau.
ISSUER = re.compile(
    r"^(?:国务院(?:办公厅)?|[\u4e00-\u9fff()]{2,40}?(?:人民政府办公室|人民政府办公厅|政府办公室|人民政府|办公厅|委员会|办公室"
    r"|科学技术协会|科协|领导小组|[省市州县区旗盟]委|厅|局))$"
)

# The plan's period: (2021—2025年), (2021年—2025年), 〈2021-2025〉, (2022~2025年), (2021至2025年),
# (2006—2010—2020年) (the first and last year); dashes are folded to —.
_YEAR = r"((?:19|20)\d{2})\s*年?"
_TO = r"\s*(?:—+|~|～|〜|至|到)\s*"
PERIOD = re.compile(rf"[(\[〈<]\s*{_YEAR}{_TO}(?:(?:19|20)\d{{2}}\s*年?{_TO})?{_YEAR}\s*[)\]〉>]")

NOTICE_START = re.compile(r"关于印发")
NOTICE_END = re.compile(r"的通知")

# The genre's numbering, outermost first (the order of GB/T 9704 and of most plans): 一、 > (一) > 1. >
# (1) > ①. Numbers of any size: a measure may list 250 tasks (一百零一、 (二百) 120.). The number is
# group ``n`` (``c`` for the one-character forms ⒈ ⑴ ①); a year (2023、 二〇二三、) is not a number.
SECTION_L1 = re.compile(rf"^(?P<n>[{CN_NUMERALS}]+)\s*[、.]")
# the second level is also written with the measure's kind in front (恩施: 行动一：青少年科学素质提升行动,
# 工程一：…; 专项一、…) or as 第一项: the number is then group ``n2``
SECTION_L2 = re.compile(
    rf"^(?:\(\s*(?P<n>[{CN_NUMERALS}]+)\s*\)|(?:行动|工程|专项|第)(?P<n2>[{CN_DIGITS}]{{1,3}})(?:项)?\s*(?:[:、.]|\s)\s*)"
)
SECTION_L3 = re.compile(r"^(?:(?P<n>\d+)\s*(?:\.(?!\d)|、)|(?P<c>[\u2488-\u249b]))")  # 1.  1、  1．  ⒈
SECTION_L4 = re.compile(r"^(?:\(?\s*(?P<n>\d+)\s*\)|(?P<c>[\u2474-\u2487]))")  # (1)  1)  ⑴
SECTION_L5 = re.compile(r"^(?P<c>[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf\u2776-\u277f\u2780-\u2793])")  # ① ㉑ ❶ ➀
# a bullet opens a line: —— or — (every dash folds to —), • ● ◆ ■ ▲ □ · and their kin; never a
# line of dashes or a page number (— 3 —); group ``b`` is the symbol
BULLET = re.compile(r"^(?P<b>—{1,2}(?!—)|[•·・∙●◆◇■□▲△▪►▶➢➤★☆√✓])(?!\s*\d+\s*—*\s*$)\s*(?=\S)")

# The share of citizens with scientific literacy promised for a year, in the forms offices write it:
# 到2025年，全县公民具备科学素质的比例达到12% / 力争超过12% / 达11% / 达到或超过11% / 力争达到百分之十五 /
# 由(从)2020年的8%提高到12% / 由2020年的7.6%提高到2025年的11% / 比2020年提高4个百分点，达到11%以上 /
# 在2020年基础上提高5个百分点，达到15%; the year before the share (全市…比例到2025年达到12%以上);
# 具备科学素质的公民比例, 公民科学素质比例, 公民科学素质水平; the year as 2025年(底) or 到“十四五”末
# (the five-year plan's last year).
# Groups: year or fyp (十四五) before the indicator, year_after (比例到2025年…) or year_to (提高到2025年
# 的11%) after it, base_from/base_year/base (由…的8%), gain_year/gain (比…提高N个百分点), word, value
# (Arabic) or cn (百分之十五), tail (以上, 左右). A statement naming no year is no target.
_LIT_NUMBER = r"\d+(?:\.\d+)?"
_LIT_YEAR = r"(?:19|20)\d{2}"
LITERACY_TARGET = re.compile(
    rf"(?:(?:(?:到|至|在)\s*)?(?:(?P<year>{_LIT_YEAR})\s*年(?:底|末)?|[“\"‘]?(?P<fyp>十[一二三四五]五)[”\"’]?\s*(?:期末|末|期间|时期))"
    r"[^。;]{0,40}?)?"
    r"(?:具备(?:基本)?科学素质(?:的)?(?:公民|人口)?(?:的)?比例|公民科学素质(?:水平|比例)|科学素质比例)"
    r"\s*(?:\((?:以下简称|简称)[^()]{0,20}\))?\s*(?:要|将)?\s*"
    rf"(?:(?:到|至)\s*(?P<year_after>{_LIT_YEAR})\s*年(?:底|末)?\s*,?\s*)?"
    rf"(?:(?P<base_from>由|从)\s*(?P<base_year>{_LIT_YEAR})\s*年(?:底|末)?的?\s*(?P<base>{_LIT_NUMBER})\s*%\s*"
    rf"|(?:比|较|在)\s*(?P<gain_year>{_LIT_YEAR})\s*年(?:底|末)?的?(?:基础上)?\s*(?:提高|提升|增加|增长)了?\s*"
    rf"(?P<gain>{_LIT_NUMBER})\s*个百分点\s*,?\s*)?"
    r"(?:力争|争取|确保|努力|稳步)?\s*"
    r"(?P<word>达到或超过|达到或高于|超过|达到|高于|不低于|不少于|提高到|提高至|提升到|提升至|增长到|增加到|上升到|上升至|突破|超|达|到)?\s*"
    rf"(?:(?P<year_to>{_LIT_YEAR})\s*年(?:底|末)?的?\s*)?"
    rf"(?:(?P<value>{_LIT_NUMBER})\s*%|百分之(?P<cn>[零〇一二两三四五六七八九十]+(?:点[零〇一二三四五六七八九]+)?))"
    r"\s*(?P<tail>以上|左右)?"
)
# the last year of a five-year plan (十一五 2006–2010 … 十五五 2026–2030)
FIVE_YEAR_PLANS = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}

# responsibility (牵头/配合) vocabulary: extract/responsibility.py

# a measure's name: 青少年科学素质提升行动, 科学素质提升计划, 老年人科学素养行动; 科普信息化提升工程.
# A group's 科学素质提升工程 (青少年科学素质提升工程: plans that call all ten 工程) is its action
ACTION_SUFFIX = re.compile(r"(?:提升行动|素[质养][\u4e00-\u9fff]{0,4}(?:行动|计划)|素[质养]提升工程)$")
PROJECT_SUFFIX = re.compile(r"工程$")
# a heading naming the measures together, not one of them: 三、提升行动  (二)五项重点工程  实施五大提升行动
# 重点人群科学素质提升行动  科普重点工程  主要行动
GROUP_HEADING = re.compile(
    rf"^(?:深入|大力|全面|扎实|着力)?(?:实施|聚焦|开展|推进)?"
    rf"(?:[{CN_DIGITS}0-9]+[大项个类]|重点人群|重点|主要|专项|各项|若干|科普)*"
    r"(?:科学素质)?(?:提升行动|重点工程|提升工程|行动|工程|计划)$"
)
# a table row written on one line, its cells between tabs (a table copied out of Word or a page),
# box-drawing bars or pipes (│1│…│区教育局│, | 1 | … |): at least two of them
INLINE_ROW = re.compile(r"^[^\t│|\n]*(?:[\t│|][^\t│|\n]*){2,}$")


def is_inline_row(text: str) -> bool:
    """Is the (folded) line ``text`` a table row written on one line (a bar opening or closing
    it aside)?"""
    return INLINE_ROW.match(text.strip("\t│| ")) is not None


# a rule between such rows: |---|---|, ├──┼──┤, +----+ (dashes folded to —)
TABLE_RULE = re.compile(r"^[\s│|+—=:┼├┤┬┴┌┐└┘-]+$")
# where the body ends: an attachment (附件1, 附件:, 附件 alone, 附表), the 抄送 or 主送 line
ATTACHMENT = re.compile(r"^附\s*[件表]\s*(?:[:\d一二三四五六七八九十]|$)")
END_MATTER = re.compile(r"^(?:抄\s*送|主\s*送)\s*:")


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 一百零五 → 105, 二千三百 → 2300, 二〇二二 → 2022 (digit by digit when
    there is no 十, 百, 千 or 万)."""
    values = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    values.update(dict.fromkeys(CN_ZEROS, 0))  # 零 ○ Ο O 0: the zero as printed in the wild
    units = {"十": 10, "百": 100, "千": 1000}
    if not text:
        return None
    if any(c in units or c == "万" for c in text):
        total = section = 0
        digit: int | None = None
        for c in text:
            if c in values:
                digit = values[c]
            elif c in units:
                section += (1 if digit is None else digit) * units[c]
                digit = None
            elif c == "万":
                total = (total + section + (digit or 0)) * 10000
                section, digit = 0, None
            else:
                return None
        return total + section + (digit or 0)
    digits = [values.get(c) for c in text]
    if any(d is None for d in digits):
        return None
    out = 0
    for d in digits:
        out = out * 10 + int(d or 0)
    return out
