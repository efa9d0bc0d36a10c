"""Which format a plan file is in, told from its content (magic bytes and markup, never the
extension: ``.TXT``, ``.Html`` or no extension all work), and the reader for it.

===========  ==================================================  =========================
format       recognised by                                       read by
===========  ==================================================  =========================
``pdf``      ``%PDF-`` in the first kilobyte                     ``pdf.read_pdf``
``docx``     a zip holding ``word/document.xml``                 ``docx.read_docx``
``doc``      an OLE2 compound file (Word 97–2003 .doc, WPS)      LibreOffice → ``docx``
``html``     markup: ``<!doctype html``, ``<html``, ``<body``,   ``html.read_html``
             ``<meta``, ``<p>``… near the start
``text``     anything else that decodes as UTF-8 or GB18030      ``text.decode``
===========  ==================================================  =========================

A zip that is not a Word file, an image, and other binary files are refused with a message
naming the file and what it seems to be.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from sciplan_kg.errors import InputError
from sciplan_kg.read.reading import Reading

FORMATS = ("text", "html", "docx", "doc", "pdf")
SUFFIXES = (".txt", ".text", ".htm", ".html", ".shtml", ".xhtml", ".docx", ".doc", ".wps", ".pdf")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>|div[\s>]|p[\s>])", re.I)
_IMAGES = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}


def sniff(data: bytes) -> str:
    """The format of a file's bytes (see the table above); ``"zip"`` or ``"image:…"`` for
    files that are none of them."""
    head = data[:4096]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else "zip"
        except zipfile.BadZipFile:  # cut short: its entries' local headers still name Word's parts
            return "docx" if b"word/" in data[: 1 << 20] else "zip"
    if head.startswith(_OLE2):
        return "doc"
    for magic, name in _IMAGES.items():
        if head.startswith(magic):
            return f"image:{name}"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if (text[:1] == b"<" and _MARKUP.search(text[:2048])) or _MARKUP.search(text[:512]):
        return "html"
    return "text"


def read_document(data: bytes, path: Path) -> Reading:
    """The plan's text (and page metadata) from a file's bytes, whatever its format."""
    from sciplan_kg.read.text import decode

    kind = sniff(data)
    if kind == "text":
        return Reading(decode(data, path), "text")
    if kind == "html":
        from sciplan_kg.read.html import read_html

        return read_html(data, path)
    if kind == "docx":
        from sciplan_kg.read.docx import read_docx

        return read_docx(data, path)
    if kind == "pdf":
        from sciplan_kg.read.pdf import read_pdf

        return read_pdf(data, path)
    if kind == "doc":
        from sciplan_kg.read.docx import convert_with_libreoffice, read_docx

        converted = convert_with_libreoffice(path, data)
        if converted is None:
            raise InputError(
                path,
                "这是 Word 97–2003 或 WPS 文件，需要 LibreOffice 才能读取：请安装 LibreOffice（make office），"
                "或另存为 .docx / a Word 97–2003 or WPS file: reading it needs LibreOffice (make office), or save "
                "it as .docx (soffice --headless --convert-to docx FILE)",
            )
        reading = read_docx(converted, path)
        return Reading(reading.text, "doc", reading.metadata, reading.ocr)
    what = kind.split(":", 1)[-1]
    raise InputError(
        path,
        f"不是方案文件（{what}）：只读取文本、网页、Word 和 PDF / not a plan file ({what}): plain text, web "
        "pages, Word files and PDFs are read",
    )
