"""What a reader of one input format gives: the plan's text in the plain-text shape that
extraction reads, the page's metadata as the publication prints it, and how it was read.

The plain-text shape (what ``data/plans/*.txt`` look like): one paragraph per line, blank lines
free; a table as one block per row, each row preceded by a blank line and each cell on a line
of its own starting with a tab (``\\t类别``). Every format of a plan must give a text from which
extraction reads the same records as from the plan's ``.txt``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# page metadata labels, as government sites print them (the keys of ``Reading.metadata``)
METADATA_LABELS = ("索引号", "发文字号", "发布机构", "主题分类", "成文日期", "发布日期", "有效性", "标题")


@dataclass(frozen=True)
class Reading:
    text: str  # the plan's text, in the plain-text shape
    format: str  # "text", "html", "docx", "pdf"
    metadata: dict[str, str] = field(default_factory=dict)  # label (METADATA_LABELS) → value as printed
    ocr: bool = False  # the text was recognised from images
