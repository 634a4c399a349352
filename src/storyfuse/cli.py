"""The command line: parse, call a library function, print. Nothing else lives here."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .errors import StoryfuseError
from .eval import TASKS as EVAL_TASKS

DB_HELP = "SQLite database file (created on first use), or a PostgreSQL address postgresql://USER:PASSWORD@HOST/DB."
READ_DB_HELP = "SQLite database file, or PostgreSQL address, written by `storyfuse run`."


def _iso_date(value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-01-31") from None


def _fail(err: Exception | str) -> NoReturn:
    click.echo(f"Error: {err}", err=True)
    sys.exit(2)


@contextmanager
def _faults(db: str | None = None) -> Iterator[None]:
    """Faults met while working, as one line each: what is wrong, where, what to do."""
    import sqlite3

    from .outputs import os_fault, pg_fault, store_fault

    try:
        yield
    except StoryfuseError as err:
        _fail(err)
    except sqlite3.Error as err:
        _fail(store_fault(db or "the database", err))
    except Exception as err:
        if type(err).__module__.split(".")[0] != "psycopg":
            raise
        _fail(pg_fault(db or "the database", err))
    except OSError as err:
        _fail(os_fault(err))


class _Commands(click.Group):
    """The command group: nothing a command raises reaches the user as a traceback
    (STORYFUSE_DEBUG=1 shows it, for a bug report)."""

    def invoke(self, ctx: click.Context):
        try:
            with _faults():
                return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as err:
            if os.environ.get("STORYFUSE_DEBUG"):
                raise
            _fail(f"internal error ({type(err).__name__}: {err}); please report it with the command you ran "
                  f"(STORYFUSE_DEBUG=1 prints the traceback)")


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyfuse")
def main() -> None:
    """storyfuse: many news articles about the same events in, cited and corroborated stories out.

    \b
    Example:
      storyfuse run articles/ feed.jsonl --json out.json --report report.md
    """
    # spaCy may fork NLP workers after the sentence model's tokenizer ran: keep that quiet.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _run(inputs, db, json_path, report_path, source, config_path, workers, replace, engine_name="local",
         scheduler=None) -> int:
    from .config import load_config
    from .console import TerminalProgress
    from .context import Models, RunContext
    from .export import build_export
    from .outputs import check_output_file
    from .pipeline import run_in
    from .store import Store

    for path, option in ((json_path, "--json"), (report_path, "--report")):
        if path:
            check_output_file(path, option)  # before the work, not after it
    config = load_config(config_path)
    engine = _engine(engine_name, workers, scheduler)
    try:
        with Store(db) as store, TerminalProgress() as progress:
            ctx = RunContext(store, config, Models(config.nlp.model), progress)
            report = run_in(ctx, list(inputs), source=source, workers=workers, replace=replace, engine=engine)
            touched = store.stories.events(report.events_updated) if report.events_updated else []
            total = store.events.count()
            doc = build_export(store) if json_path or report_path else None
    finally:
        engine.close()
    return _told(report, touched, total, doc, json_path, report_path)


def _engine(name: str, workers: int, scheduler: str | None):
    from .engines import make_engine

    if scheduler and name != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    try:
        return make_engine(name, workers, scheduler)
    except (OSError, TimeoutError) as err:
        _fail(f"cannot reach the Dask scheduler at {scheduler} ({type(err).__name__}); start one with `dask "
              "scheduler` and workers with `dask worker ADDRESS`, or leave out --scheduler to run a cluster on this "
              "machine")


def _told(report, touched, total, doc, json_path, report_path) -> int:
    from .console import print_run
    from .export import write_json
    from .report import write_report

    print_run(report, touched, total)
    if doc is not None and json_path:
        write_json(doc, json_path)
        click.echo(f"wrote {json_path}")
    if doc is not None and report_path:
        write_report(doc, report_path)
        click.echo(f"wrote {report_path}")
    every_input_rejected = report.read > 0 and len(report.rejected) == report.read
    return 1 if every_input_rejected else 0


run_options = [
    click.option("--db", default="storyfuse.db", show_default=True, help=DB_HELP),
    click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Write the storyfuse/1 export here."),
    click.option("--report", "report_path", type=click.Path(dir_okay=False),
                 help="Write a Markdown report here (HTML when the name ends in .html)."),
    click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
                 help="TOML config (default: ./storyfuse.toml when present)."),
    click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
                 help="Processes for the NLP stage (with --engine dask: local Dask workers)."),
    click.option("--engine", "engine_name", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                 help="Where the per-article map runs: this process, or Dask tasks (a local cluster, "
                      "or the --scheduler given)."),
    click.option("--scheduler", help="Address of a running Dask scheduler (tcp://HOST:8786), with --engine dask."),
]


def _with(options):
    def wrap(f):
        for option in reversed(options):
            f = option(f)
        return f
    return wrap


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_with(run_options)
@click.option("--source", help="Outlet name for inputs that do not say.")
@click.option("--replace", is_flag=True, help="Overwrite stored articles whose id comes back with a new text.")
def run(inputs, db, json_path, report_path, config_path, workers, engine_name, scheduler, source, replace):
    """Add articles to the store and update events, facts and summaries.

    INPUT is a file, a directory (walked recursively), a glob, a JSON Lines file, an RSS/Atom
    feed, a WARC file or an http(s) URL.

    \b
    Example:
      storyfuse run news/ wire.jsonl --source "Valdria Wire Service" --json export.json
    """
    with _faults(db):
        status = _run(inputs, db, json_path, report_path, source, config_path, workers, replace, engine_name,
                      scheduler)
    sys.exit(status)


@main.command()
@_with(run_options)
def demo(db, json_path, report_path, config_path, workers, engine_name, scheduler):
    """Run on the bundled sample corpus (fictional outlets and events) and print the report.

    \b
    Example:
      storyfuse demo --db demo.db --report demo.html
    """
    from .export import build_export
    from .report import markdown_report
    from .store import Store

    corpus = resources.files("storyfuse").joinpath("sample/corpus")
    with _faults(db):
        with resources.as_file(corpus) as path:
            status = _run([str(path)], db, json_path, report_path, None, config_path, workers, False, engine_name,
                          scheduler)
        with Store(db, readonly=True) as store:
            click.echo(markdown_report(build_export(store)))
    sys.exit(status)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--source", help="Outlet name for inputs that do not say.")
def extract(inputs, source):
    """Clean single documents without storing them: one JSON object per line.

    \b
    Example:
      storyfuse extract page.html notes.txt
    """
    from .clean import clean_document
    from .config import load_config
    from .context import Models
    from .errors import InputError
    from .ingest import read_inputs
    from .models import Rejection

    config = load_config(None)
    junk = Models(config.nlp.model).junk
    failed = False
    for item in read_inputs(list(inputs), config.ingest, source):
        if isinstance(item, Rejection):
            record = {"input": item.input, "error": item.reason}
        else:
            try:
                a = clean_document(item, config.clean, junk)
                record = {"input": item.input, "title": a.title, "text": a.text, "published": a.published,
                          "author": a.author, "source": a.source, "url": a.url, "language": a.language,
                          "removed": list(a.removed), "id": a.id, "dateline": a.dateline}
            except InputError as err:
                record = {"input": err.input, "error": err.reason}
        failed = failed or "error" in record
        click.echo(json.dumps(record, ensure_ascii=False))
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--db", default="storyfuse.db", show_default=True, help=READ_DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html", "csv"]), default="json", show_default=True)
@click.option("--out", type=click.Path(), help="File to write; default: standard output. For csv, the folder "
                                                 "to write its three tables into (required).")
@click.option("--event", "event_id", help="Only this event.")
@click.option("--since", callback=lambda ctx, param, value: _iso_date(value),
              help="Only events ending and articles published on or after this date (YYYY-MM-DD).")
def export(db, fmt, out, event_id, since):
    """Write the store as storyfuse/1 JSON, a Markdown or HTML report, or CSV tables.

    \b
    Example:
      storyfuse export --format md --since 2026-01-01 --out report.md
      storyfuse export --format csv --out tables/
    """
    from .export import build_export, write_csv
    from .outputs import check_output_file, check_output_folder
    from .report import html_report, markdown_report
    from .store import Store

    if fmt == "csv" and not out:
        raise click.UsageError("csv writes three tables (articles, events, facts): give --out FOLDER")
    with _faults(db):
        if out:
            (check_output_folder if fmt == "csv" else check_output_file)(out, "--out")
        with Store(db, readonly=True) as store:
            doc = build_export(store, event_id=event_id, since=since)
        if fmt == "csv":
            for path in write_csv(doc, out):
                click.echo(f"wrote {path}")
            return
        text = {"json": lambda d: json.dumps(d, ensure_ascii=False, indent=1), "md": markdown_report,
                "html": html_report}[fmt](doc)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            click.echo(f"wrote {out}", err=True)
        else:
            click.echo(text)


@main.command()
@click.option("--db", default="storyfuse.db", show_default=True,
              help="SQLite database file, or PostgreSQL address (created when missing).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback makes adding articles need the token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="STORYFUSE_TOKEN", help="Token that adding articles needs (also $STORYFUSE_TOKEN); "
              "made up and printed when the server listens beyond loopback without one.")
def serve(db, host, port, token):
    """The web UI and JSON API on a store: events, facts, quotes, entities, search, adding articles.

    \b
    Example:
      storyfuse serve --db storyfuse.db --port 8000
    """
    import secrets
    import socket

    import uvicorn

    from .web import create_app
    from .web.security import LOOPBACK_NAMES, is_loopback_host

    try:  # said in one line now, rather than by the server once it has started
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as err:
        _fail(f"cannot listen on {host}:{port} ({err.strerror or err}); choose another --port, or stop what "
              "listens there")
    if token is None and not is_loopback_host(host):
        token = secrets.token_urlsafe(18)
        click.echo(f"Listening beyond this machine: adding articles needs the token {token}")
    with _faults(db):
        # on loopback, requests addressed to another name (DNS rebinding) are refused
        app = create_app(db, token=token, allowed_hosts=LOOPBACK_NAMES if is_loopback_host(host) else None)
    click.echo(f"storyfuse serves {db} on http://{'[' + host + ']' if ':' in host else host}:{port}/ "
               "(Ctrl+C stops it)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    except OSError as err:
        _fail(f"cannot listen on {host}:{port} ({err.strerror or err}); choose another --port or --host")


@main.command(name="eval")
@click.argument("task", type=click.Choice(sorted(EVAL_TASKS)))
@click.option("--data", type=click.Path(file_okay=False), help="Data folder (default: $STORYFUSE_DATA or ../shared/data).")
@click.option("--split", help="Which part of the data set; default: dev where there is one (cv for align), else all.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="TOML config to evaluate.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(task, data, split, config_path, as_json):
    """Score a stage on a development data set, beside the published anchor and same-run baselines."""
    import importlib

    from .config import load_config
    from .eval import check_result
    from .eval.report import print_scores

    spec = EVAL_TASKS[task]
    try:
        result = importlib.import_module(spec.module).evaluate(split or spec.default_split, data,
                                                               load_config(config_path))
        check_result(result)
    except (StoryfuseError, ValueError) as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        print_scores(result)


evaluate.help = (evaluate.help or "") + "\n\n\b\nTasks:\n" + "\n".join(
    f"  {name:<9} {t.help}" for name, t in sorted(EVAL_TASKS.items())) + "\n\n\b\nExample:\n  storyfuse eval cluster --split dev"


@main.command(name="train")
@click.argument("task")
@click.option("--data", type=click.Path(file_okay=False), help="Data folder (default: $STORYFUSE_DATA or ../shared/data).")
@click.option("--out", type=click.Path(file_okay=False), help="Write the model here instead of into the package.")
def train_command(task, data, out):
    """Rebuild a shipped model deterministically from the training part of the data.

    \b
    Example:
      storyfuse train junk
    """
    from .train import train

    try:
        card = train(task, data, Path(out) if out else None)
    except StoryfuseError as err:
        _fail(err)
    click.echo(json.dumps(card.get("scores", {}), indent=1))


@main.command()
@click.argument("task", default="pipeline", type=click.Choice(["pipeline", "engines", "cluster", "stream", "web"]))
@click.option("--size", type=int, help="pipeline: articles to process (200); cluster: articles in the store "
              "(100000); stream: articles added (5000); web: articles of the store built when --db is not given "
              "(1000).")
@click.option("--db", "web_db", type=click.Path(dir_okay=False), help="web: the store to serve (a copy is loaded; "
              "default: one built from ECB+).")
@click.option("--seconds", default=30, show_default=True, type=click.FloatRange(1, 3600),
              help="web: how long each load lasts.")
@click.option("--clients", default=4, show_default=True, type=click.IntRange(1, 64), help="web: closed-loop clients.")
@click.option("--probe", default=1000, show_default=True, help="cluster: articles placed into the filled store.")
@click.option("--step", default=100, show_default=True, help="stream: articles added by each run.")
@click.option("--processes", default=2, show_default=True, type=click.IntRange(1, 64),
              help="pipeline: processes for spaCy, in storyfuse's NLP stage (--workers) and in every spaCy reference.")
@click.option("--data", type=click.Path(file_okay=False), help="Data folder (default: $STORYFUSE_DATA or ../shared/data).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench(task, size, web_db, seconds, clients, probe, step, processes, data, as_json):
    """Throughput and peak memory on real articles (ECB+).

    pipeline: end to end, beside spaCy alone. engines: end to end with the local engine and
    with Dask (a local cluster of 1 and of 2 workers). cluster: placing articles one by one
    into a store already holding --size articles, and consolidating the events they touched.
    stream: --size variants of the ECB+ reports added in runs of --step articles to one
    store whose events grow: the speed of the last thousand against the first. web:
    requests/s and p50/p99 latency of the events list, event pages and search under --clients
    closed-loop clients, without and with a concurrent `storyfuse run --workers 1`.

    \b
    Example:
      storyfuse bench pipeline --size 772
      storyfuse bench cluster --size 100000
      storyfuse bench stream --size 5000 --step 100
      storyfuse bench web --db storyfuse.db
    """
    from . import bench_cluster, bench_stream, bench_web
    from .bench import print_bench, run_bench

    try:
        if task == "cluster":
            result = bench_cluster.run(size or 100_000, probe, data)
        elif task == "stream":
            result = bench_stream.run(size or 5000, step, data)
        elif task == "web":
            result = bench_web.run(web_db, seconds, clients, data, size or 1000)
        else:
            result = run_bench(task, size or 200, data, processes if task == "pipeline" else 1)
    except (StoryfuseError, FileNotFoundError, ValueError, bench_web.BenchError) as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps(result, indent=1))
    elif task == "web":
        bench_web.print_result(result)
    elif task == "cluster":
        bench_cluster.print_result(result)
    elif task == "stream":
        bench_stream.print_result(result)
    else:
        print_bench(result)
