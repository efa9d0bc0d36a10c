"""Replacing a folder whole: outputs are written to a temporary sibling, then swapped in, so a
failed or interrupted run leaves the previous folder as it was (build folders, reports, the
query store and its records)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sciplan_kg.errors import InputError


def swap_in(tmp: Path, out: Path) -> None:
    """Put the finished folder ``tmp`` where ``out`` is, keeping ``out`` until the last moment."""
    if out.exists() and not out.is_dir():
        raise InputError(out, "输出位置已有同名文件 / the output path is a file, not a folder")
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.tmp-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
    try:
        os.replace(tmp, out)
    except BaseException:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
