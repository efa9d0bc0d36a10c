"""Every error is a message (issue 15, item 5): one place (``errors.describe``) maps exceptions to
messages and exit codes, and these tests walk the error types so that a new one escaping as a
traceback fails here first."""

from __future__ import annotations

import ast
import builtins
import errno
import inspect
import pickle
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

import sciplan_kg
from sciplan_kg import cli
from sciplan_kg.errors import OS_ERRORS, SciplanError, describe

SRC = Path(sciplan_kg.__file__).parent

# Exceptions of other types that the package raises on purpose, and why none reaches a user.
NOT_FOR_USERS = {
    ("cli.py", "Terminated"): "SIGTERM or SIGHUP as an interrupt: cli.main says 已终止 / terminated, exit 128 + signal",
    ("query/frames.py", "KeyboardInterrupt"): "Ctrl-C that DuckDB caught, raised again: cli.main says 已中断, exit 130",
    ("__init__.py", "AttributeError"): "the module __getattr__ protocol (lazy imports)",
    ("pipeline/plan.py", "AttributeError"): "the __getattr__ protocol (a reused plan's summary, read when asked)",
    ("rdf/serialize.py", "ValueError"): "an unknown format from a programmer: the CLI offers only known formats",
    ("query/output.py", "ValueError"): "an unknown format from a programmer: the CLI offers only known formats",
    ("validation/report.py", "ValueError"): "an unknown engine from a programmer: the CLI offers only known engines",
    ("validation/report.py", "TypeError"): "compiled shapes handed to pySHACL by a programmer",
    ("publish/report/answers.py", "KeyError"): "a programmer asked for the rows of an answer the report"
    " does not keep as rows (publish/report KEPT_ROWS), or for them twice",
    ("query/kept.py", "Malformed"): "a damaged kept answer: read() treats it as missing and evaluates",
    ("query/kept.py", "SystemExit"): "the exit status of a forked worker process",
    ("query/kept.py", "OSError"): "a worker could not write the kept answers' folder: raised as the in-line path's own"
    " OSError, which the sync turns into its message naming the folder (store.sync._unwritable)",
    ("query/tables.py", "Unavailable"): "the DuckDB tables cannot be used (not installed, unwritable, busy):"
    " FramesBackend.run catches it and answers with Oxigraph instead (query/frames.py)",
    ("query/translate.py", "Unsupported"): "a query the SQL translation does not cover: FramesBackend._select"
    " catches it and answers with Oxigraph (query/frames.py)",
    ("store/index.py", "Lost"): "a damaged subjects index: the sync catches it and describes every graph anew",
    (
        "validation/compiled.py",
        "UnsupportedShape",
    ): "a shape the compiler cannot compile: the caller falls back to pySHACL",
    ("query/remote.py", "TimeoutError"): "raised inside with_retries, which turns it into a RemoteError",
    ("query/remote.py", "urllib.error.HTTPError"): "a refused redirect, turned into a RemoteError by with_retries",
    ("query/backends.py", "ValueError"): "RdflibBackend made with neither a graph nor a build folder by a programmer",
    ("query/csvresults.py", "ValueError"): "a Virtuoso answer that is not CSV of its form: remote.select_virtuoso_csv"
    " turns it into a RemoteError naming the endpoint and the line",
    ("store/subjects.py", "Unreadable"): "a subject the index cannot read: store/sync.py catches it and loads whole",
}


def _classes() -> dict[str, type]:
    """Every exception class defined in the package, by name."""
    import importlib

    found: dict[str, type] = {}
    for f in SRC.rglob("*.py"):
        module = "sciplan_kg." + ".".join(f.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        mod = importlib.import_module(module)
        for name, value in vars(mod).items():
            if inspect.isclass(value) and issubclass(value, BaseException):
                found.setdefault(name, value)
    return found


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return ast.unparse(node)
    return None


def _caught_locally(raise_node: ast.Raise, parents: dict[ast.AST, ast.AST], cls: type) -> bool:
    """Is the raise inside a try (of the same function) whose handlers catch ``cls``?"""
    node: ast.AST | None = raise_node
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parent = parents.get(node)
        if isinstance(parent, ast.Try) and node in parent.body:
            for handler in parent.handlers:
                names = (
                    [_name(e) for e in handler.type.elts]
                    if isinstance(handler.type, ast.Tuple)
                    else [_name(handler.type) if handler.type else "BaseException"]
                )
                for n in names:
                    caught = getattr(builtins, n or "", None)
                    if inspect.isclass(caught) and issubclass(cls, caught):
                        return True
        node = parent
    return False


def test_every_raised_type_is_a_message_or_documented() -> None:
    classes = _classes()
    escaping = []
    for f in sorted(SRC.rglob("*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        rel = f.relative_to(SRC).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            name = _name(node.exc)
            if name is None or not name[0].isupper():
                continue  # re-raising a caught exception (raise exc) or a helper's result (raise remote_error(…))
            cls = classes.get(name) or getattr(builtins, name, None)
            if cls is None and name == "urllib.error.HTTPError":
                import urllib.error

                cls = urllib.error.HTTPError
            assert cls is not None, f"{rel}:{node.lineno}: raise {name}: unknown exception class"
            if issubclass(cls, SciplanError) or (rel, name) in NOT_FOR_USERS:
                continue
            if _caught_locally(node, parents, cls):
                continue
            escaping.append(f"{rel}:{node.lineno}: raise {name}")
    assert not escaping, (
        "raise a SciplanError (a message and exit 2), or say in NOT_FOR_USERS why it never reaches a user: "
        + "; ".join(escaping)
    )


def _instances() -> list[BaseException]:
    out: list[BaseException] = []
    for number in sorted(OS_ERRORS):
        exc = OSError(number, "strerror")
        exc.filename = "/some/where/file.ttl"
        out.append(exc)
    odd = OSError(errno.ENOLINK, "link has been severed")
    odd.filename = "/some/where/file.ttl"
    out += [
        odd,
        PermissionError(errno.EACCES, "denied", "/some/where/file.ttl"),
        FileNotFoundError(errno.ENOENT, "missing", "/some/where/file.ttl"),
        BrokenProcessPool("A process in the process pool was terminated abruptly"),
        MemoryError(),
        UnicodeEncodeError("ascii", "科", 0, 1, "ordinal not in range"),
        RecursionError("maximum recursion depth exceeded"),
        RuntimeError("something no one foresaw"),
    ]
    return out


@pytest.mark.parametrize("exc", _instances(), ids=lambda e: f"{type(e).__name__}-{getattr(e, 'errno', '')}")
def test_every_error_is_a_message_with_exit_2(
    exc: BaseException, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(_args: object) -> int:
        raise exc

    monkeypatch.setitem(cli.COMMANDS, "queries", fail)
    code = cli.main(["queries"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("错误 error: ") and err.count("\n") == 1 and "Traceback" not in err
    if isinstance(exc, OSError):
        assert "/some/where/file.ttl" in err and " / " in err  # the file, in Chinese and English


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def stop(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "queries", stop)
    assert cli.main(["queries"]) == 130
    assert "interrupted" in capsys.readouterr().err


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


def test_every_error_of_the_package_crosses_a_process_boundary() -> None:
    """A worker's error is pickled back to the build: each error type comes back whole (an
    InputError once could not be rebuilt, and the build died with BrokenProcessPool)."""
    _classes()  # import every module, so every subclass is known
    for cls in [SciplanError, *_subclasses(SciplanError)]:
        params = [
            p
            for p in inspect.signature(cls.__init__).parameters.values()
            if p.name != "self" and p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD
        ]
        args = [Path("/a/plan.txt") if p.name == "path" else f"{p.name} 值" for p in params] or ["一个错误 an error"]
        exc = cls(*args)
        back = pickle.loads(pickle.dumps(exc))
        assert type(back) is cls and str(back) == str(exc), cls
        assert describe(back) == describe(exc)


def test_a_file_name_that_would_break_the_line_is_shown_escaped() -> None:
    """A newline or a right-to-left override in a file name split the one-line message, or
    showed the name reversed (the audit of the input formats)."""
    from sciplan_kg.errors import InputError, os_message

    message = str(InputError("plans/a\nb\u202etxt.txt", "cannot read"))
    assert message == "plans/a\\x0ab\\u202etxt.txt: cannot read"
    assert "\n" not in os_message(FileNotFoundError(2, "No such file", "x\ny.txt"))
    assert str(InputError("规划/巫山 县.txt", "x")) == "规划/巫山 县.txt: x"  # anything else as it is
