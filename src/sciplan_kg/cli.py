"""The command line: a thin layer over the public API.

Exit codes: 0 success (for build and validate: the graph conforms); 1 the graph was built or
read but does not conform to the shapes (for evaluate --min: a field's F1 is under the bar); 2 an
error (bad input, bad arguments, a query that cannot run); 130 interrupted; 143 / 129 ended by
SIGTERM / SIGHUP.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from sciplan_kg import api
from sciplan_kg.errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_NONCONFORMANT,
    EXIT_OK,
    InputError,
    Terminated,
    describe,
)
from sciplan_kg.netguard import check_url, guard

# Every path — an argument, an option, a default — is read against the current folder, the same
# way for every command (``~`` expanded): ``build/`` and ``report/`` are the current folder's.
DEFAULT_BUILD_DIR = api.DEFAULT_BUILD
DEFAULT_REPORT_DIR = api.DEFAULT_REPORT
# Every text a user sees is 中文 / English: the help of every option too (tests/test_cli.py walks them).
PATHS_NOTE = (
    "路径均相对于当前文件夹（默认构建目录为当前文件夹下的 build/） / "
    "paths are relative to the current folder; default build folder: build/ there"
)
BUILD_HELP = "构建目录（默认：当前文件夹下的 build/） / build folder (default: build/ in the current folder)"
DATA_HELP = (
    "构建目录或 RDF 文件（默认：当前文件夹下的 build/） / "
    "build folder or RDF file (default: build/ in the current folder)"
)
JOBS_HELP = "工作进程数（默认：每个 CPU 核一个） / worker processes (default: one per core)"
HELP_HELP = "显示此帮助并退出 / show this help message and exit"
EXIT_CODES = (
    "退出码：0 成功（图谱符合约束），1 不符合约束，2 错误，130 已中断，143/129 被 SIGTERM/SIGHUP 终止 /\n"
    "exit codes: 0 ok / conforms, 1 does not conform, 2 error, 130 interrupted, 143/129 SIGTERM/SIGHUP"
)

LIST_PLANS = 50  # a build of more plans prints the summary only

EXAMPLES = {
    "build": "sciplan-kg build                         # the bundled plans → build/\n"
    "  sciplan-kg build my-plans/ --out out/     # every plan in my-plans/ (text, web, Word, PDF)\n"
    "  sciplan-kg build my-plans/ --jobs 4 --full  # four processes, rebuild everything",
    "validate": "sciplan-kg validate build/\n  sciplan-kg validate graph.ttl --verbose",
    "report": "sciplan-kg report                         # build/ → report/index.html\n"
    "  sciplan-kg report --data out/ --out out-report/",
    "query": "sciplan-kg query plans\n"
    "  sciplan-kg query lead-load --store rdflib --timeout 30\n"
    "  sciplan-kg query tasks --endpoint http://127.0.0.1:7878/query --format json\n"
    "  sciplan-kg query tasks -p plan https://w3id.org/sciplan-kg/id/plan/wushan-2021-2025 --format csv\n"
    "  sciplan-kg query tasks -p plan 巫山县 --format xlsx -o wushan-tasks.xlsx\n"
    "  sciplan-kg query my-construct.rq -p plan=wushan-2021-2025 --format json-ld\n"
    "  sciplan-kg query my-query.rq --format json\n"
    "  sciplan-kg query tasks --evaluate          # evaluate, not the answer kept since the last build",
    "queries": "sciplan-kg queries",
    "export": "sciplan-kg export --format turtle -o sciplan.ttl\n"
    "  sciplan-kg export --format trig --inferred -o sciplan.trig",
    "extract": "sciplan-kg extract data/plans/000_0c79adcaae20951d.txt",
    "coverage": "sciplan-kg coverage --data build/ --format json",
    "evaluate": "sciplan-kg evaluate tests/gold/               # against build/\n"
    "  sciplan-kg evaluate tests/gold/ out/ --min 0.98    # exit 1 when a field's micro F1 is under 0.98\n"
    "  sciplan-kg evaluate tests/gold/003_120be5be3c056120.toml --format json",
    "load": "sciplan-kg load --endpoint http://127.0.0.1:7878   # a server started with serve --writable\n"
    "  sciplan-kg load --endpoint http://localhost:3030/ds    # a Fuseki dataset",
    "serve": "sciplan-kg serve --port 7878   # then open http://127.0.0.1:7878/\n"
    "  sciplan-kg serve --writable      # so that load can write into it",
}


def _jobs(text: str) -> int:
    """``--jobs``: a whole number of processes, one or more."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"需要正整数 / a whole number of processes, 1 or more, not {text!r}")
    return n


class _Parser(argparse.ArgumentParser):
    """A parser whose usage errors (an unknown command, a missing argument, an invalid choice, a
    ``type=`` refusing its text) are one line, ``错误 error: …``, exit 2 — not argparse's English
    usage block. ``--help`` is argparse's own, exit 0."""

    def error(self, message: str) -> NoReturn:
        line = " ".join(message.split())  # one line, whatever argparse or a type= function wrote
        self.exit(EXIT_ERROR, f"错误 error: {self.prog}: 参数错误 / usage error: {line} ({self.prog} --help)\n")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """``-p NAME VALUE``: one pair per ``-p`` (argparse would show ``-p NAME VALUE [NAME VALUE ...]``)."""

    def _format_args(self, action: argparse.Action, default_metavar: str) -> str:
        if isinstance(action, _ParamAction):
            return "NAME VALUE"
        return super()._format_args(action, default_metavar)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sciplan-kg",
        description="科学素质行动实施方案知识图谱 / knowledge graph of scientific-literacy implementation plans",
        epilog=EXIT_CODES + "\n" + PATHS_NOTE,
        formatter_class=_Formatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help=HELP_HELP)
    parser.add_argument(
        "--version",
        action="version",
        version="sciplan-kg 0.1.0",
        help="显示版本号并退出 / show program's version number and exit",
    )
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMAND",
        parser_class=_Parser,
        help="命令（各命令的选项见 sciplan-kg COMMAND --help） / "
        "the command (sciplan-kg COMMAND --help shows its options)",
    )

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog="示例 example:\n  " + EXAMPLES[name],
            formatter_class=_Formatter,
            add_help=False,
        )
        p.add_argument("-h", "--help", action="help", help=HELP_HELP)
        return p

    p = add("build", "extract → build → reason → validate → write a build folder / 构建图谱")
    p.add_argument(
        "inputs",
        nargs="*",
        type=api.as_path,
        metavar="PLAN_FILE_OR_DIR",
        help="方案文件（文本、保存的网页、.docx、PDF；装有 LibreOffice 时也可 .doc/.wps）或存放方案的文件夹"
        "（默认：随附的方案） / plan files (text, saved web page, .docx, .doc/.wps with LibreOffice, PDF) or folders "
        "of them (default: the bundled plans)",
    )
    p.add_argument("--out", type=api.as_path, default=DEFAULT_BUILD_DIR, help=BUILD_HELP)
    p.add_argument("--quiet", action="store_true", help="只输出汇总行 / print only the summary line")
    p.add_argument("--jobs", "-j", type=_jobs, default=None, help=JOBS_HELP)
    p.add_argument(
        "--full",
        action="store_true",
        help="重新构建每个方案（默认：沿用 --out 中未改动的方案） / "
        "rebuild every plan (default: reuse unchanged plans from --out)",
    )

    p = add("validate", "SHACL-validate a build folder or an RDF file / 校验图谱")
    p.add_argument("path", nargs="?", type=api.as_path, default=DEFAULT_BUILD_DIR, metavar="PATH", help=DATA_HELP)
    p.add_argument("--verbose", action="store_true", help="逐条列出提示性结果 / list informational results one by one")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果 / print the results as JSON")
    p.add_argument(
        "--engine",
        choices=("compiled", "pyshacl"),
        default="compiled",
        help="SHACL 校验引擎：编译成检查程序的约束（默认）或 pySHACL（参照实现，较慢） / "
        "SHACL engine: the shapes compiled to checks (default) or pySHACL (the reference, slower)",
    )
    p.add_argument("--jobs", "-j", type=_jobs, default=None, help=JOBS_HELP)

    p = add("query", "run a catalogue query or a .rq file / 运行查询")
    from sciplan_kg.netguard import timeout_seconds  # positive and finite: not nan, inf, 0, -1

    p.add_argument(
        "query",
        metavar="NAME_OR_FILE",
        help="目录查询的名称（见 sciplan-kg queries）或 .rq 查询文件 / "
        "a catalogue query's name (see sciplan-kg queries) or a .rq file",
    )
    p.add_argument("--data", type=api.as_path, default=DEFAULT_BUILD_DIR, help=DATA_HELP)
    p.add_argument(
        "-p",
        "--param",
        nargs="+",  # NAME VALUE or NAME=VALUE: _ParamAction takes one pair, _Formatter shows -p NAME VALUE
        action=_ParamAction,
        default=[],
        metavar="NAME VALUE",
        help="一个参数：-p plan wushan-2021-2025 或 -p plan=巫山县（方案、机构或地区可用 IRI、前缀名、短名或中文名；"
        "每个参数用一个 -p） / a parameter: -p plan wushan-2021-2025 or -p plan=巫山县 (a plan, agency or area by IRI, "
        "prefixed name, slug or Chinese name)",
    )
    p.add_argument(
        "--format",
        metavar="FORMAT",
        help="SELECT：table（默认；IRI 显示为前缀名）、csv、tsv、json、xlsx（需 -o）；"
        "ASK：true/false、json、csv、tsv、xlsx（需 -o）；"
        "CONSTRUCT/DESCRIBE：turtle（默认）、nt、xml、json-ld、trig、n3、nquads 等（rdflib 能写的格式）；"
        "不指定时按 -o 文件的后缀选择（.csv、.tsv、.json、.xlsx、.ttl、.nt、.jsonld、.trig 等） / "
        "SELECT: table (default; IRIs as prefixed names), csv, tsv, json, xlsx (with -o); ASK: true/false, "
        "json, csv, tsv, xlsx (with -o); CONSTRUCT/DESCRIBE: turtle (default), nt, xml, json-ld, trig, n3, nquads… "
        "(any rdflib writes); without it, -o FILE's suffix chooses (.csv, .tsv, .json, .xlsx, .ttl, .nt, .jsonld, "
        ".trig …)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=api.as_path,
        metavar="FILE",
        help="写入 FILE（原子写入，不会留下写了一半的文件）而不是标准输出 / "
        "write to FILE (atomically) instead of standard output",
    )
    p.add_argument(
        "--endpoint",
        metavar="URL",
        help="在这个 SPARQL 端点上运行，而不是 --data / run on this SPARQL endpoint instead of --data",
    )
    p.add_argument(
        "--store",
        choices=("oxigraph", "rdflib"),
        default="oxigraph",
        help="内嵌查询引擎（默认 oxigraph，查询库保存在构建目录旁的磁盘上） / "
        "embedded engine (default oxigraph, kept on disk beside the build folder)",
    )
    p.add_argument(
        "--timeout",
        type=timeout_seconds,
        metavar="SECONDS",
        help="查询超过这么多秒即停止（用 --endpoint 时：每个请求，含重试；默认 60） / "
        "stop the query after this long (on an --endpoint: each request, retries included; default 60)",
    )
    p.add_argument(
        "--evaluate",
        action="store_true",
        help="即使查询库里存有答案也重新计算（目录查询在默认参数下的答案，在查询库每次更新后首次计算时保存） / "
        "evaluate the query even where the build's store keeps its answer (a catalogue query's "
        "answer at its default parameters is kept at its first evaluation on each state of the store)",
    )
    p.add_argument(
        "--no-tables",
        action="store_true",
        help="只用 Oxigraph 计算，不用查询库的 DuckDB 表（默认在表上回答七个全库列表查询和能转成 SQL 的 .rq；"
        "结果行相同，用于比较两种引擎） / "
        "evaluate on Oxigraph only, never on the store's DuckDB tables (the seven whole-corpus listings "
        "and a .rq translated to SQL are answered there by default; the same rows, to compare the engines)",
    )

    p = add("load", "upload the graph to a SPARQL server, one named graph per plan / 上传到 SPARQL 服务器")
    p.add_argument("--data", type=api.as_path, default=DEFAULT_BUILD_DIR, help=BUILD_HELP)
    p.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="服务器：它的地址（http://127.0.0.1:7878，即 serve 打印的地址）、查询端点或存储端点 / "
        "the server: its address (http://127.0.0.1:7878, as serve prints it), query or store endpoint",
    )
    p.add_argument(
        "--store-endpoint",
        metavar="URL",
        help="它的图存储协议（Graph Store Protocol）端点（默认：由 --endpoint 找出） / "
        "its Graph Store Protocol endpoint (default: found from --endpoint)",
    )
    p.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=60.0,
        metavar="SECONDS",
        help="每个请求（每次 PUT、最后的核对）超过这么多秒即放弃，含重试（默认 60） / "
        "give up each request (each PUT, the verification) after this long, retries included (default 60)",
    )

    p = add("serve", "serve the graph with Oxigraph on 127.0.0.1 / 启动本地 SPARQL 服务")
    p.add_argument("--data", type=api.as_path, default=DEFAULT_BUILD_DIR, help=BUILD_HELP)
    p.add_argument(
        "--port",
        type=int,
        default=7878,
        help="在 127.0.0.1 上监听的端口（默认 %(default)s） / the port to listen on at 127.0.0.1 (default %(default)s)",
    )
    p.add_argument(
        "--location",
        type=api.as_path,
        help="Oxigraph 数据库存放的位置（默认：构建目录旁的 build.serve/） / "
        "keep the Oxigraph database here (default: beside the build folder, build.serve/)",
    )
    p.add_argument(
        "--writable",
        action="store_true",
        help="以可写方式提供服务，使 `load --endpoint http://127.0.0.1:PORT` 能替换其中的方案"
        "（默认只读；写入的内容在服务停止后即不复存在） / "
        "serve read-write, so `load --endpoint http://127.0.0.1:PORT` can replace plans in it "
        "(default: read-only; writes last until the server stops)",
    )

    add("queries", "list the query catalogue / 列出查询目录")

    p = add("export", "export the graph / 导出图谱")
    p.add_argument("--data", type=api.as_path, default=DEFAULT_BUILD_DIR, help=BUILD_HELP)
    p.add_argument(
        "--format",
        choices=("turtle", "trig", "nt", "jsonld"),
        required=True,
        help="写出的 RDF 格式（必填） / the RDF format to write (required)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=api.as_path,
        help="写入的文件（默认：标准输出） / file to write (default: standard output)",
    )
    p.add_argument("--inferred", action="store_true", help="包括 OWL 2 RL 推理结果 / include the OWL 2 RL inferences")
    p.add_argument(
        "--no-links",
        action="store_true",
        help="不含相似任务与上级方案链接、数据集描述 / "
        "leave out the similar-task and parent links and the dataset description",
    )

    p = add("report", "HTML report: index, one page per plan, charts / 生成报告网页")
    p.add_argument("--data", type=api.as_path, default=DEFAULT_BUILD_DIR, help=BUILD_HELP)
    p.add_argument(
        "--out",
        type=api.as_path,
        default=DEFAULT_REPORT_DIR,
        help="报告写入的文件夹（默认：当前文件夹下的 report/） / "
        "folder to write (default: report/ in the current folder)",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        help="写答案和网页的工作进程数（默认 2；3,000 个方案时每个进程可能占用 1 GB 内存；设为 1 更省内存） / "
        "processes writing the answers and pages (default: 2; each may hold 1 GB at 3,000 plans; 1: less memory)",
    )

    p = add("coverage", "per-plan extraction coverage of a build folder / 抽取覆盖情况")
    p.add_argument("--data", type=api.as_path, default=DEFAULT_BUILD_DIR, help=BUILD_HELP)
    p.add_argument(
        "--format",
        choices=("table", "csv", "tsv", "json"),
        default="table",
        help="输出格式（默认 table） / output format (default: table)",
    )

    p = add("evaluate", "precision, recall, F1 of extraction against a gold standard / 对照金标准评估抽取")
    p.add_argument(
        "gold",
        type=api.as_path,
        metavar="GOLD",
        help="一个金标准 TOML 文件，或存放这些文件的文件夹（tests/gold/） / "
        "a gold TOML file, or a folder of them (tests/gold/)",
    )
    p.add_argument("build", nargs="?", type=api.as_path, default=DEFAULT_BUILD_DIR, metavar="BUILD", help=BUILD_HELP)
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="输出格式（默认 text） / output format (default: text)",
    )
    p.add_argument(
        "--min",
        type=_fraction,
        metavar="F",
        help="任一字段的微平均 F1 低于 F（0 到 1）时以退出码 1 结束 / "
        "exit 1 when any field's micro F1 is under F (0 to 1)",
    )

    p = add("extract", "print one plan's extraction records as JSON / 输出抽取记录")
    p.add_argument(
        "file",
        type=api.as_path,
        help="一个方案文件（文本、保存的网页、.docx、PDF 等） / a plan file (text, saved web page, .docx, PDF …)",
    )
    return parser


def _build(args: argparse.Namespace) -> int:
    from sciplan_kg.pipeline.build import passed_over, plan_files, terminal_progress, warnings_text

    skipped = passed_over(args.inputs)
    progress, done = terminal_progress(len(plan_files(args.inputs or None)))
    try:
        result = api.build(args.inputs or None, args.out, jobs=args.jobs, progress=progress, incremental=not args.full)
    finally:
        done()
    if not args.quiet:
        listed = result.plans if len(result.plans) <= LIST_PLANS else []
        if listed:
            print("文件 file                    任务 tasks  部门 agencies  三元组 triples  警告 warnings  标题 title")
        for p in listed:
            print(
                f"{p.file:<28} {p.task_count:>10}  {p.agencies:>13}  {p.triples:>14}  "
                f"{len(p.warnings):>13}  {p.title or '-'}"
            )
        text = warnings_text(listed)
        if text:
            print("\n抽取警告 extraction warnings:")
            print(text, end="")
        print()
        print(result.summary)
    print(
        f"\n{len(result.plans)} 个方案 plans, {result.asserted} 断言三元组 asserted triples, "
        f"{result.inferred} 推理三元组 inferred triples → {result.out}"
        + (f" ({result.reused} 个未变，沿用 reused unchanged)" if result.reused else "")
    )
    if skipped:  # a .md or a sub-folder of plans is not read: say so, with what it was
        names = ", ".join(p.name + ("/" if p.is_dir() else "") for p in skipped[:5])
        names += " …" if len(skipped) > 5 else ""
        print(
            f"未读取 {len(skipped)} 项（不是方案文件，或是子文件夹）/ {len(skipped)} not read (not a plan file's "
            f"format, or a sub-folder, which is not searched): {names}",
            file=sys.stderr,
        )
    return EXIT_OK if result.conforms else EXIT_NONCONFORMANT


def _validate(args: argparse.Namespace) -> int:
    from sciplan_kg.validation.report import format_report

    report = api.validate(args.path, engine=args.engine, jobs=args.jobs)
    print(
        report.to_json() if args.json else format_report(report, verbose=args.verbose),
        end="" if not args.json else "\n",
    )
    return EXIT_OK if report.conforms else EXIT_NONCONFORMANT


class _ParamAction(argparse.Action):
    """``-p NAME VALUE`` or ``-p NAME=VALUE``, repeatable; a list of (name, value)."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        if len(values) == 1 and "=" in values[0]:
            values = values[0].split("=", 1)
        if len(values) != 2 or not values[0]:
            parser.error(
                f"{option} 需要 NAME VALUE 或 NAME=VALUE / {option} takes NAME VALUE or NAME=VALUE, "
                f"not {' '.join(values)!r}"
            )
        given = getattr(namespace, self.dest, None) or []
        if any(name == values[0] for name, _ in given):  # the last would win without a word
            parser.error(
                f"{option} {values[0]} 只能给一次 / {option} {values[0]} is given twice: a parameter has one value"
            )
        setattr(namespace, self.dest, [*given, (values[0], values[1])])


def _query(args: argparse.Namespace) -> int:
    from sciplan_kg.errors import UsageError
    from sciplan_kg.query.output import format_for, render, write

    if args.format == "xlsx" and args.output is None:
        raise UsageError(
            "--format xlsx 需要 -o FILE.xlsx（二进制文件不写到标准输出）/ "
            "--format xlsx needs -o FILE.xlsx (a binary file is not written to standard output)"
        )
    params = dict(args.param)
    if args.output is not None:  # before the query runs: a refusal costs no evaluation
        query_file = args.query if args.query.endswith(".rq") else None
        api.check_answer_target(args.output, None if args.endpoint else args.data or api.DEFAULT_BUILD, query_file)
    result = api.run_query(
        args.query,
        args.data,
        params,
        endpoint=args.endpoint,
        store=args.store,
        timeout=args.timeout,
        views=not args.evaluate,
        tables=not args.no_tables,
    )
    fmt = args.format or format_for(result, args.output)
    if args.output is not None:
        sheet = Path(args.query).stem if args.query.endswith(".rq") else args.query
        size = write(result, fmt, args.output, sheet)
        print(f"{size} 字节 bytes → {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(render(result, fmt))
    return EXIT_OK


def _queries(args: argparse.Namespace) -> int:
    for name, q in api.queries().items():
        params = ", ".join(p.name for p in q.params) or "-"
        print(f"{name:<22} {q.summary_zh}\n{'':<22} {q.summary_en}\n{'':<22} params: {params}; file: {q.path.name}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    size = api.export(args.data, args.format, args.output, args.inferred, links=not args.no_links)
    if args.output:
        print(f"{size} 字节 bytes → {args.output}", file=sys.stderr)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    result = api.report(args.data, args.out, jobs=args.jobs)
    print(f"{result.plans} 个方案 plans, {result.pages} 页 pages, {len(result.charts)} 张图 charts", end="")
    print(f" → {result.out}/index.html")
    return EXIT_OK


def _load(args: argparse.Namespace) -> int:
    uploads = api.load(args.endpoint, args.data, args.store_endpoint, args.timeout)
    for upload in uploads:
        print(f"{upload.triples:>8} 三元组 triples → {upload.graph}")
    print(f"已核对 verified: {len(uploads)} 个图的三元组数与服务器一致 / graphs hold on the server the triples sent")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    return api.serve(args.data, args.port, args.location, writable=args.writable)


def _coverage(args: argparse.Namespace) -> int:
    from sciplan_kg.query.output import render

    sys.stdout.write(render(api.coverage(args.data), args.format))
    return EXIT_OK


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"应为 0 到 1 之间的数 / must be a number from 0 to 1, not {text!r}")
    return value


def _evaluate(args: argparse.Namespace) -> int:
    from sciplan_kg.evaluation.output import format_json, format_text

    evaluation = api.evaluate(args.gold, args.build)
    sys.stdout.write((format_json if args.format == "json" else format_text)(evaluation, args.min))
    return EXIT_NONCONFORMANT if args.min is not None and evaluation.below(args.min) else EXIT_OK


def _extract(args: argparse.Namespace) -> int:
    rec = api.extract_file(args.file)
    print(json.dumps(rec.to_dict(), ensure_ascii=False, indent=1))
    return EXIT_OK


def _check_default_build(args: argparse.Namespace) -> None:
    """A command that reads the default build folder, run where there is none, names the folder it
    looked for (absolute: the current folder's ``build/``) and how to make it or name another."""
    if args.command == "build" or (args.command == "query" and args.endpoint):
        return
    for attr, how in (("data", "--data DIR"), ("path", "validate DIR"), ("build", "evaluate GOLD DIR")):
        value = getattr(args, attr, None)
        if value == DEFAULT_BUILD_DIR and not os.path.lexists(value):
            raise InputError(
                Path.cwd() / value,
                f"此文件夹中没有构建目录：请先在此运行 sciplan-kg build，或指定构建目录（{how}）/ no build "
                f"folder in the current folder: run `sciplan-kg build` here first, or name one ({how})",
            )


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


def _end_on_termination() -> dict[int, Any]:
    """SIGTERM and SIGHUP end the command as Ctrl-C does (``Terminated``): what it was writing is
    removed, nothing half-written stays (a build's temporary folder did). Only in the main
    thread, and only where nobody set a handler of their own; the previous handlers, to restore."""
    import signal
    import threading

    previous: dict[int, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return previous
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) == signal.SIG_DFL:
            previous[sig] = signal.signal(sig, _terminate)
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    import signal

    for sig, handler in previous.items():
        signal.signal(sig, handler)


COMMANDS = {
    "build": _build,
    "validate": _validate,
    "query": _query,
    "queries": _queries,
    "export": _export,
    "report": _report,
    "extract": _extract,
    "coverage": _coverage,
    "evaluate": _evaluate,
    "load": _load,
    "serve": _serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = _parser()
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help is 0, a usage error is 2
        return int(exc.code or 0)
    except KeyboardInterrupt:  # Ctrl-C as the command starts (its imports): no traceback
        print("已中断 / interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    stdout = sys.stdout
    sys.stdout = _Named(stdout)  # type: ignore[assignment]
    previous = _end_on_termination()
    try:
        # nothing leaves the machine but requests to the servers the user named
        for attr, option in (("endpoint", "--endpoint"), ("store_endpoint", "--store-endpoint")):
            if getattr(args, attr, None):
                check_url(getattr(args, attr), option)  # before the guard reads its host and port
        with guard([getattr(args, "endpoint", None), getattr(args, "store_endpoint", None)]):
            _check_default_build(args)
            code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a full device or a closed pipe is reported here, not at exit
        return code
    except BaseException as exc:
        if isinstance(exc, SystemExit):
            raise
        if isinstance(exc, BrokenPipeError) and exc.filename in (None, STDOUT):
            _silence_stdout()  # the reader of standard output went away (… | head): nothing more to say
            return EXIT_OK
        if os.environ.get("SCIPLAN_DEBUG"):
            traceback.print_exc()
        if isinstance(exc, OSError) and exc.filename == STDOUT:
            _silence_stdout()
        message, code = describe(exc)
        prefix = "" if isinstance(exc, KeyboardInterrupt) else "错误 error: "
        try:
            print(f"{prefix}{message}", file=sys.stderr)
        except (OSError, UnicodeError):
            pass
        return code
    finally:
        sys.stdout = stdout
        _restore_signals(previous)


STDOUT = "标准输出 standard output"


class _Named:
    """Standard output whose write errors name it (the OS error of a full device names no file)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        try:
            return int(self._stream.write(data))
        except OSError as exc:
            exc.filename = exc.filename or STDOUT
            raise

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            exc.filename = exc.filename or STDOUT
            raise

    @property
    def buffer(self) -> Any:
        return _Named(self._stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's own flush at exit does not fail again."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
