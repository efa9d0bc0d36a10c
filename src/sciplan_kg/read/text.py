"""Reading a plan file: removing invisible characters, folding punctuation, mapping offsets back.

Every offset the extractor reports is an offset into the decoded file text (Python ``str``
indices, end exclusive). Reading makes two texts of the file for the patterns to read:

* :attr:`PlanText.text`: the file without its invisible format characters (:data:`INVISIBLE`:
  zero-width space and joiners, word joiner, a BOM inside the text, soft hyphen, direction
  marks), so that 县科\u200b协 is read, matched and named as 县科协. Removing moves offsets; the
  plan keeps where each removal was and :meth:`PlanText.file_span` maps an offset range of
  the text back to the file, so a span still quotes the file exactly (the invisible characters
  inside it included). Extraction maps every span of its records back once, at its end.
* :attr:`PlanText.folded`: that text with full-width and ASCII punctuation alike;
  :func:`fold` replaces each character by at most one other character, so the folded text
  has exactly the length of :attr:`PlanText.text` and an offset means the same in both.
"""

from __future__ import annotations

import hashlib
import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from sciplan_kg.errors import InputError
from sciplan_kg.read.reading import Reading

# Format characters (Unicode category Cf) that are invisible and carry no meaning in a Chinese
# plan, only in what pasted it: web pages, word processors, files joined together. They are
# removed before any pattern or name sees the text. Kept, because they are visible or mean
# something: spaces (U+3000, U+00A0: folded to a space), line and paragraph separators
# (U+2028/9: line breaks), variation selectors (they choose the form of an ideograph),
# U+180E and U+034F (meaningful in Mongolian and other scripts), tag characters (emoji flags).
INVISIBLE = frozenset(
    "\u00ad"  # soft hyphen: a hyphenation hint
    "\u200b\u200c\u200d"  # zero-width space, zero-width non-joiner, zero-width joiner
    "\u200e\u200f"  # left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # direction embeddings and overrides, pop
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner; invisible function application, times, separator, plus
    "\u2066\u2067\u2068\u2069"  # direction isolates
    "\u206a\u206b\u206c\u206d\u206e\u206f"  # deprecated shaping and swapping controls
    "\ufeff"  # zero-width no-break space: a byte order mark inside the text (files joined)
)

# the answers kept by a pure function of a short text called for the same texts in plan after
# plan (measure titles, agency names: ``title_key``, ``registry.name_key``, ``plausible_name``)
KEYS_KEPT = 16_384

_INVISIBLE_RUN = re.compile("[" + "".join(sorted(INVISIBLE)) + "]+")


def remove_invisible(raw: str) -> tuple[str, tuple[int, ...]]:
    """``raw`` without its :data:`INVISIBLE` characters, and where they were: one entry per
    removed character, the offset in the returned text before which it stood (sorted)."""
    if not _INVISIBLE_RUN.search(raw):
        return raw, ()
    pieces: list[str] = []
    cuts: list[int] = []
    last = 0
    kept = 0
    for m in _INVISIBLE_RUN.finditer(raw):
        pieces.append(raw[last : m.start()])
        kept += m.start() - last
        cuts.extend([kept] * (m.end() - m.start()))
        last = m.end()
    pieces.append(raw[last:])
    return "".join(pieces), tuple(cuts)


# One character in, one character out: offsets in the folded text are offsets in the file.
_FOLD = {
    "（": "(",
    "）": ")",
    "〔": "[",
    "〕": "]",
    "【": "[",
    "】": "]",
    "［": "[",
    "］": "]",
    "：": ":",
    "，": ",",
    "；": ";",
    "．": ".",
    "％": "%",
    "\u3000": " ",
    "\u00a0": " ",
    "\ufeff": " ",
    # every dash the genre uses becomes one EM DASH
    "―": "—",
    "─": "—",
    "–": "—",
    "－": "—",
    "-": "—",
    "‐": "—",
    "━": "—",
}
_FOLD.update({chr(0xFF10 + i): str(i) for i in range(10)})  # full-width digits
_TABLE = str.maketrans(_FOLD)


def fold(text: str) -> str:
    """Fold full-width punctuation, dashes and digits to one canonical form, length-preserving."""
    folded = text.translate(_TABLE)
    assert len(folded) == len(text)
    return folded


@lru_cache(maxsize=KEYS_KEPT)
def title_key(title: str) -> str:
    """A document title folded for comparison: no issuer wrapper (…关于印发 … 的通知),
    brackets, 年 or spaces, one dash for any run of dashes, so 《…（2021年—2025年）》,
    …(2021——2025) and …(2021-2025) compare equal."""
    t = re.sub(r"\s+", "", fold(title))
    t = re.sub(r"^.*?关于印发", "", t)
    t = re.sub(r"的通知$", "", t)
    t = re.sub(r"[《》<>()\[\]年]", "", t)
    return re.sub(r"(?<=\d)(?:—+|~|至)(?=\d)", "—", t)  # 2021——2025, 2021―2025, 2021至2025: one dash


@dataclass(frozen=True)
class Line:
    """One line of a plan: its 1-based number, and the offsets of its content without the
    surrounding whitespace (``start``/``end`` index the file text, end exclusive)."""

    no: int
    begin: int  # offset of the line's first character, whitespace included
    start: int
    end: int
    text: str  # folded content, stripped

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class PlanText:
    """A plan file as read: the decoded file text (``raw``), the text the extractor reads
    (``text``: without invisible characters), that text folded, its lines, the checksum.

    Offsets into ``text``, ``folded`` and ``lines`` are the same; :meth:`file_span` maps them
    to offsets into ``raw`` (the file). ``cuts`` says where invisible characters were removed:
    one entry per character, the offset in ``text`` before which it stood."""

    path: Path
    raw: str
    folded: str
    lines: tuple[Line, ...]
    sha256: str  # of the file's bytes, whatever its format
    text: str
    cuts: tuple[int, ...] = ()
    format: str = "text"  # the file's format (``formats.sniff``): ``raw`` is the text read from it
    metadata: tuple[tuple[str, str], ...] = ()  # page metadata (label, value as printed), HTML only
    ocr: bool = False  # the text was recognised from images

    def quote(self, start: int, end: int) -> str:
        """The text between two offsets, invisible characters removed (a name, a title)."""
        return self.text[start:end]

    def file_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets into ``text`` → offsets into the file (``raw``), end exclusive. Invisible
        characters inside the range are inside the result; those just before or after it
        are not."""
        if not self.cuts:
            return start, end
        file_start = start + bisect_right(self.cuts, start)
        file_end = end + bisect_left(self.cuts, end) if end > start else file_start
        return file_start, max(file_start, file_end)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        if not self.lines:
            return 1
        return self.lines[max(0, bisect_right(self._begins, offset) - 1)].no

    @cached_property
    def _begins(self) -> list[int]:
        return [line.begin for line in self.lines]


def split_lines(folded: str) -> tuple[Line, ...]:
    """Lines of the folded text with offsets of their stripped content."""
    out: list[Line] = []
    pos = 0
    no = 0
    for chunk in folded.splitlines(keepends=True):
        no += 1
        body = chunk.rstrip("\r\n")
        lstripped = body.lstrip()
        content = lstripped.rstrip()
        start = pos + (len(body) - len(lstripped))
        out.append(Line(no, pos, start, start + len(content), content))
        pos += len(chunk)
    return tuple(out)


MAX_BYTES = int(os.environ.get("SCIPLAN_MAX_BYTES", 20 * 1024 * 1024))
_CONTROL = bytes(sorted(set(range(0, 9)) | {11, 12} | set(range(14, 32)) | {127}))


def _binary(data: bytes) -> bool:
    head = data[:65536]
    # the control bytes counted by deleting them (one C call, not a Python step per byte)
    return b"\x00" in head or len(head) - len(head.translate(None, _CONTROL)) > len(head) // 100


def decode(data: bytes, path: Path) -> str:
    """Decode a plan file: UTF-8 (with or without BOM), else GB18030 (what government sites
    often serve), else a clear error. Binary data is refused."""
    if not data.strip():
        raise InputError(path, "文件为空 / the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its BOM (Notepad's "Unicode")
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                path, f"UTF-16 解码失败（第 {exc.start} 字节）/ cannot decode as UTF-16 (at byte {exc.start})"
            ) from exc
    if _binary(data):
        raise InputError(path, "二进制文件，不是文本 / a binary file, not text")
    first: UnicodeDecodeError | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            first = first or exc
            continue
        if encoding == "gb18030" and not _looks_chinese(text):
            break
        return text
    if first is not None:  # where UTF-8 failed: a file cut mid-character, a stray byte
        line = data.count(b"\n", 0, first.start) + 1
        raise InputError(
            path,
            f"无法按 UTF-8 或 GB18030 解码（第 {first.start} 字节），请存为 UTF-8 / cannot decode as UTF-8 or "
            f"GB18030 (at byte {first.start}): save it as UTF-8",
            line,
        )
    raise InputError(path, "无法按 UTF-8 或 GB18030 解码 / cannot decode as UTF-8 or GB18030")


def _looks_chinese(text: str) -> bool:
    """GB18030 decodes almost any bytes; real Chinese text uses the common characters."""
    common = sum(text.count(c) for c in "的、，。和在是有工作科学")
    return common >= max(1, len(text) // 200)


def _plan_text(path: Path, raw: str, sha256: str, reading: Reading | None = None) -> PlanText:
    text, cuts = remove_invisible(raw)
    folded = fold(text)
    return PlanText(
        path=path,
        raw=raw,
        folded=folded,
        lines=split_lines(folded),
        sha256=sha256,
        text=text,
        cuts=cuts,
        format=reading.format if reading else "text",
        metadata=tuple(sorted(reading.metadata.items())) if reading else (),
        ocr=reading.ocr if reading else False,
    )


def plan_text(text: str, name: str = "text.txt") -> PlanText:
    """A PlanText from a string already decoded (tests, callers that hold the text)."""
    return _plan_text(Path(name), text, hashlib.sha256(text.encode("utf-8")).hexdigest())


READ_AHEAD = 512  # plan files asked of the disk ahead of the one being read (``will_read``)


def will_read(path: Path) -> None:
    """Ask the kernel to start reading ``path`` now (``posix_fadvise`` WILLNEED), so that a read
    of it a moment later finds it in memory; nothing where the call is missing or fails. Why: a
    rebuild reads every plan file to see whether it changed, and on a cold cache 3,000 small
    files read one after the other wait for the disk 3,000 times: 0.28 s, 0.14 s with every
    read asked for first (the disk serves several at once). In the rebuild that adds one plan
    to 3,000 with the cache dropped, the plans step took 1.24–1.42 s, and 1.14–1.16 s asking
    512 files ahead (64 ahead: 1.12–1.20 s against 1.21–1.28 s). A warm cache costs the
    3,000 calls, about 0.01 s."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # the read reports it
    try:
        advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_plan_bytes(path: Path) -> bytes:
    """A plan file's bytes, read once (size-checked). Raises :class:`InputError` naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                path,
                f"文件过大（{size} 字节，上限 {MAX_BYTES}）/ the file is too large "
                f"({size} bytes; the limit is {MAX_BYTES}, set SCIPLAN_MAX_BYTES to change it)",
            )
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(path, f"无法读取 / cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:  # grew after the size check
        raise InputError(path, f"文件过大 / the file is too large (over {MAX_BYTES} bytes)")
    return data


def read_plan_text(path: Path, data: bytes | None = None) -> PlanText:
    """Read and fold one plan file in any format (``formats.py``), or its ``data``, already
    read: the build reads each plan once and takes its hash, key, kept copy and extraction
    from those bytes. ``raw`` is the text read from the file (the file itself for plain text).
    Raises :class:`InputError` naming the file."""
    from sciplan_kg.read.formats import read_document

    if data is None:
        data = read_plan_bytes(path)
    reading = read_document(data, path)
    return _plan_text(path, reading.text, hashlib.sha256(data).hexdigest(), reading)
