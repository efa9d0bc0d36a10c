"""read/html: every fixture page gives the same records as its plan's .txt, field by field;
page metadata in every style; refused pages; encodings; the general fallback; a large page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sciplan_kg.errors import InputError
from sciplan_kg.extract import extract_text
from sciplan_kg.read.html import CONTAINERS, read_html, read_metadata
from sciplan_kg.read.reading import METADATA_LABELS
from sciplan_kg.resolve.records import resolve
from tests.read.records import assert_same, records, registry

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ROOT / "tests" / "fixtures" / "formats"
EXPECTED = json.loads((FORMATS / "expected_metadata.json").read_text(encoding="utf-8"))
PAGES = sorted(k for k, v in EXPECTED.items() if v["is_plan"])
SPECIAL = sorted(k for k, v in EXPECTED.items() if not v["is_plan"])


def _read(key: str):
    path = FORMATS / key
    return read_html(path.read_bytes(), path)


def _plan_txt(key: str) -> tuple[str, str]:
    plan = ROOT / EXPECTED[key]["plan"]
    return plan.read_text(encoding="utf-8"), plan.name


@pytest.mark.parametrize("key", PAGES)
def test_page_gives_the_records_of_its_txt(key: str) -> None:
    reading = _read(key)
    assert reading.format == "html"
    txt, name = _plan_txt(key)
    got = records(reading.text, name)
    want = records(txt, name)
    assert want["measures"], "the .txt itself gives measures"
    if name.startswith("004_"):
        # 九龙坡: the .txt begins with the saved page's metadata list (索引号, 发文字号, …), which
        # the page holds as metadata, not as body text. Everything but the document number
        # (and the warning that the body prints none) must match; the number comes from the
        # page metadata.
        assert got.pop("doc_number") is None
        doc_number = want.pop("doc_number")
        assert doc_number and reading.metadata["发文字号"] == doc_number
        # so is the 发布日期 (the list's 发布日期 line): none in the body, the page's in the build
        assert got.pop("published") is None and want.pop("published") == "2022-02-14"
        got["warnings"] = [w for w in got["warnings"] if w["code"] != "no-doc-number"]
        assert "11500107009293065M" not in reading.text  # the metadata list is not body text
        # read as the build reads it (with the page's metadata), the number is the page's
        from sciplan_kg.read.text import read_plan_text

        full = resolve(extract_text(read_plan_text(FORMATS / key)), registry())
        assert full.doc_number == doc_number
        assert full.published == "2022-02-14" and full.published_span is None  # from the page, no span
        assert "no-doc-number" not in {w.code for w in full.warnings}
    assert_same(got, want)


@pytest.mark.parametrize("key", [*PAGES, "html/special/attachment_only.html"])
def test_page_metadata(key: str) -> None:
    expected = dict(EXPECTED[key]["metadata"])
    expected["标题"] = expected.pop("title")
    if EXPECTED[key]["is_plan"]:
        metadata = _read(key).metadata
    else:  # refused, but its metadata is still read: check the reader's metadata step on it
        metadata = read_metadata((FORMATS / key).read_bytes())
    assert set(metadata) <= set(METADATA_LABELS)
    assert metadata == expected


def test_metadata_styles_are_each_read() -> None:
    # B: 发布日期 only as epoch milliseconds filled in by a script (Asia/Shanghai date)
    b = _read("html/b_zoom/000_0c79adcaae20951d.html").metadata
    assert b["发布日期"] == "2022-10-17"
    assert b["发文字号"] == "巫山府办发〔2022〕76号"
    # C: spaced labels (索 引 号：, 文　　号：), 发文机关 for 发布机构, Chinese dates as printed
    c = _read("html/c_gbk/000_0c79adcaae20951d.html").metadata
    assert c["成文日期"] == "2022年10月13日"
    assert c["发布机构"] == "巫山县人民政府办公室"


def test_metadata_from_meta_tags_and_info_line() -> None:
    page = """<html><head><meta charset="utf-8"><title>某某通知_某某县人民政府</title>
<meta name="ArticleTitle" content="某某县人民政府关于印发某某方案的通知">
<meta name="PubDate" content="2023-03-05 09:10"><meta name="ContentSource" content="某某县人民政府办公室">
</head><body><div class="info">文&nbsp;&nbsp;号：某府发〔2023〕1号&nbsp;&nbsp;&nbsp;&nbsp;索 引 号：123/2023-1</div>
<div id="zoom"><p>各乡镇人民政府：</p><p>现将方案印发给你们，请认真贯彻执行。</p></div></body></html>"""
    meta = read_html(page.encode(), Path("x.html")).metadata
    assert meta == {
        "标题": "某某县人民政府关于印发某某方案的通知",
        "发布日期": "2023-03-05",
        "发布机构": "某某县人民政府办公室",
        "发文字号": "某府发〔2023〕1号",
        "索引号": "123/2023-1",
    }


def test_not_found_page_is_refused() -> None:
    with pytest.raises(InputError) as info:
        _read("html/special/not_found.html")
    assert "不是规划" in info.value.message and "not a plan" in info.value.message
    assert "页面不存在" in info.value.message or "已删除" in info.value.message
    assert info.value.exit_code == 2


def test_attachment_only_page_is_refused_naming_the_attachment() -> None:
    expected = EXPECTED["html/special/attachment_only.html"]["attachment"]
    with pytest.raises(InputError) as info:
        _read("html/special/attachment_only.html")
    message = info.value.message
    assert "附件" in message and "attachment" in message and "not a plan" in message
    assert expected["link"] in message
    assert expected["link_text"] in message


def test_gbk_page_without_charset_declaration_decodes() -> None:
    key = "html/c_gbk/000_0c79adcaae20951d.html"
    data = (FORMATS / key).read_bytes()
    stripped = re.sub(rb'<meta http-equiv="Content-Type"[^>]*>', b"", data)
    assert b"charset" not in stripped
    reading = read_html(stripped, Path("undeclared.html"))
    assert reading.text == _read(key).text
    assert "巫山府办发〔2022〕76号" in reading.text


def test_gb2312_declaration_is_read_as_gbk() -> None:
    # ― (U+2015) is A844 in GBK, not in GB2312: a strict gb2312 decoder fails on it
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
    page += '<body><div id="zoom"><p>实施方案（2021―2025年）的通知。科学素质建设是一项工作。</p></div></body></html>'
    reading = read_html(page.encode("gbk"), Path("gbk.html"))
    assert "（2021―2025年）" in reading.text


def test_page_without_known_container_uses_the_general_method() -> None:
    key = "html/b_zoom/000_0c79adcaae20951d.html"
    data = (FORMATS / key).read_bytes().decode("utf-8")
    plain = data.replace('<div class="zoom" id="zoom">', '<div class="wrap-x">')
    for attr, value in CONTAINERS:  # nothing of the ordered list is left
        assert f'{attr}="{value}"' not in plain
    reading = read_html(plain.encode("utf-8"), Path("plain.html"))
    txt, name = _plan_txt(key)
    assert_same(records(reading.text, name), records(txt, name))
    assert "打印本页" not in reading.text and "网站标识码" not in reading.text
    assert "相关链接" not in reading.text


def test_body_text_shape() -> None:
    text = _read("html/a_trs/000_0c79adcaae20951d.html").text
    # a newline between two Chinese characters in the source is not a space
    assert "行动规划纲要" in text and "规 划" not in text
    # chrome is gone
    for chrome in ("打印本页", "关闭窗口", "网站标识码", "ICP", "分享到", "相关文章", "当前位置", "索引号"):
        assert chrome not in text
    # rowspan expanded into empty continuation cells, as in the .txt
    txt, _ = _plan_txt("html/a_trs/000_0c79adcaae20951d.html")
    assert text.count("\n\t\n") == txt.count("\n\t\n")
    assert "\n\n\t类别\n\t任务内容\n\t具体内容\n\t牵头部门\n\t责任部门\n" in text


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"<html><body></body></html>",
        b"<html><body><div><p></p></div></body></html>",
        b"<<<>>><p<p<div</table></tr><td>",
        b"\xff\xfe\x00\x00garbage",
        b"<?xml version='1.0' encoding='utf-8'?><html><body><p>\xe4\xb8</p></body></html>",
        b"<html><head><meta charset='no-such-codec'></head><body>\x80\x81</body></html>",
        b"<table><tr><td rowspan='x' colspan='99999'>a</td></tr></table>",
    ],
)
def test_bad_input_raises_only_input_error(data: bytes) -> None:
    with pytest.raises(InputError):
        read_html(data, Path("bad.html"))


def test_large_page_reads() -> None:
    key = "html/a_trs/000_0c79adcaae20951d.html"
    data = (FORMATS / key).read_bytes().decode("utf-8")
    head, rest = data.split('<div class="Custom_UnionStyle">', 1)
    body, tail = rest.split("</div></div>", 1)
    big = head + '<div class="Custom_UnionStyle">' + body * 12 + "</div></div>" + tail
    assert len(big.encode("utf-8")) > 1_000_000
    reading = read_html(big.encode("utf-8"), Path("big.html"))
    assert reading.text.count("附件：巫山县全民科学素质建设重点任务分工") == 12


def test_an_unclosed_embed_keeps_the_article_after_it() -> None:
    """<embed src=…> is void in HTML5, but the parser nests everything after it inside it: the
    rest of the article was dropped with it (6 of 10 measures), without a word."""
    key = "html/b_zoom/000_0c79adcaae20951d.html"
    page = (FORMATS / key).read_text(encoding="utf-8")
    at = page.index("（二）")  # inside the article, before most of its measures
    with_embed = page[:at] + '<embed src="flash/player.swf" width="400">' + page[at:]
    reading = read_html(with_embed.encode("utf-8"), Path("embed.html"))
    txt, name = _plan_txt(key)
    assert_same(records(reading.text, name), records(txt, name))


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("平政办发〔\n2022〕45号", "平政办发〔2022〕45号"),  # a break beside a digit: no space
        ("达到85%\n  以上", "达到85%以上"),
        ("“\n十四五”", "“十四五”"),
        ("科学\n素质", "科学素质"),
        ("开发 \nApp 应用", "开发 App 应用"),  # beside a Latin letter it stays a space
    ],
)
def test_a_line_break_in_the_source_beside_chinese_is_no_space(source: str, text: str) -> None:
    page = f"<html><body><div class='zoom'><p>{source}</p><p>{'科学素质' * 30}</p></div></body></html>"
    assert read_html(page.encode("utf-8"), Path("p.html")).text.splitlines()[0] == text


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("培训20\n0名以上", "培训200名以上"),  # a CMS's hard wrap inside a number: 0 read for 200
        ("（2022─202\n  5年）", "（2022─2025年）"),  # a range of years: 202 and 5
        ("(2021―\n2025年)", "(2021―2025年)"),
        ("(2021\n―2025年)", "(2021―2025年)"),
        ("达到85\n%以上", "达到85%以上"),
        ("提高到8.\n5%", "提高到8.5%"),
        ("岗位能手”\n“巾帼建功”", "岗位能手”“巾帼建功”"),  # between quotes
        ("He said.”\n“Yes.”", "He said.” “Yes.”"),  # among Latin words a space
        ("发布时间：2022-10-13\n09:27", "发布时间：2022-10-13 09:27"),  # a clock time keeps its space
        ("升级到 Windows 10\n11 版本", "升级到 Windows 10 11 版本"),  # numbers among Latin words too
    ],
)
def test_a_line_break_in_the_source_inside_a_number_in_chinese_text_is_no_space(source: str, text: str) -> None:
    page = f"<html><body><div class='zoom'><p>{source}</p><p>{'科学素质' * 30}</p></div></body></html>"
    assert read_html(page.encode("utf-8"), Path("p.html")).text.splitlines()[0] == text


def _hard_wrapped(page: str, width: int) -> str:
    """The page's text as an editor hard-wraps its source: a newline every ``width`` characters
    of each text node (not beside a Latin letter, where an editor breaks at the spaces, nor in
    an entity)."""

    def wrap(m: re.Match[str]) -> str:
        text, out = m.group(1), []
        for i, ch in enumerate(text):
            before = text[i - 1] if i else ""
            if i and i % width == 0 and not re.match(r"[A-Za-z&;#\s]", before + ch) and "&" not in text[i - 8 : i]:
                if not re.match(r"[A-Za-z&;#\s]", ch):
                    out.append("\n")
            out.append(ch)
        return ">" + "".join(out) + "<"

    body = page.index("<body")
    return page[:body] + re.sub(r">([^<>]+)<", wrap, page[body:])


@pytest.mark.parametrize("key", ["html/b_zoom/004_8005c2f2abebcfde.html", "html/a_trs/003_120be5be3c056120.html"])
@pytest.mark.parametrize("width", [60, 7])
def test_a_page_hard_wrapped_in_its_source_gives_the_same_records(key: str, width: int) -> None:
    """A CMS editor wraps the page's source every so many characters, inside numbers too (培训20
    / 0名, （2022─202 / 5年）): the page gives the records it gives unwrapped (200 was read 0,
    and 九龙坡's phases 1 and 2 merged)."""
    page = (FORMATS / key).read_text(encoding="utf-8")
    wrapped = _hard_wrapped(page, width)
    assert wrapped.count("\n") > page.count("\n") + 100
    name = _plan_txt(key)[1]
    got = read_html(wrapped.encode("utf-8"), Path(key))
    want = read_html(page.encode("utf-8"), Path(key))
    assert got.text == want.text
    assert_same(records(got.text, name), records(want.text, name))
