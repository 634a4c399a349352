"""``storyfuse bench``: throughput and peak memory on real articles, beside spaCy alone.

Each measurement runs in its own Python process (so peak memory is that of the
measurement alone) on the same ECB+ texts, written once as a JSON Lines file:

- ``pipeline``: ``storyfuse run`` end to end into a fresh SQLite file: ingest, clean, spaCy,
  quotes, dates, entities, dedupe, clustering, sentence embeddings, corroboration, summaries;
- ``spacy-storyfuse``: spaCy with exactly the components storyfuse loads, over the same texts;
- ``spacy-ner-senter``: spaCy with NER and the sentence recogniser only, loaded by name;
- ``spacy-full``: spaCy's whole default pipeline (tagger, parser, lemmatizer too), for scale.

Models are loaded before the clock starts; load times are reported separately. ``--processes``
(2 by default, one a core here) is given to storyfuse's NLP stage (``--workers``) and to every
spaCy reference (``n_process``), so that each uses the machine the same way.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODES = ("pipeline", "spacy-storyfuse", "spacy-ner-senter", "spacy-full")
# ``storyfuse bench engines``: the pipeline with its map in this process, then as Dask tasks on
# a local cluster of one and of two worker processes.
ENGINE_MODES = ("pipeline", "pipeline-dask-1", "pipeline-dask-2")


def _peak_rss_mb() -> float:
    """This process's peak, plus the largest of its ended child processes (spaCy's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (own + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024  # kB on Linux


class StageTimes:
    """A progress listener that times each stage of a run (``reading``: the per-article map
    and storage; then ``clustering``, ``consolidating``, ``corroborating``: facts and stories)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._current: str | None = None
        self._since = time.perf_counter()

    def stage(self, name: str, total: int | None = None) -> None:
        self.end()
        self._current, self._since = name, time.perf_counter()

    def end(self) -> None:
        if self._current is not None:
            spent = time.perf_counter() - self._since
            self.seconds[self._current] = round(self.seconds.get(self._current, 0.0) + spent, 2)
            self._current = None

    def advance(self, n: int = 1) -> None:
        pass

    def message(self, text: str) -> None:
        pass


def _measure(mode: str, jsonl: Path, processes: int = 1) -> dict:
    """Run one measurement in this process and return its figures."""
    texts = [json.loads(line)["text"] for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    extra: dict = {}
    if mode.startswith("pipeline"):
        from .config import Config
        from .context import Models
        from .engines import DaskEngine, Engine, LocalEngine
        from .pipeline import run
        from .store import Store

        models = Models()
        warm(models)
        engine: Engine = LocalEngine()
        if mode.startswith("pipeline-dask-"):
            engine = DaskEngine(workers=int(mode.rsplit("-", 1)[1]))
            engine.warm()
        loaded = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
            stages = StageTimes()
            report = run([str(jsonl)], store, Config(), models=models, engine=engine,
                         progress=stages, workers=processes)  # type: ignore[arg-type]
            stages.end()
            assert report.added == len(texts), f"only {report.added} of {len(texts)} stored: {report.rejected[:3]}"
            done_run = time.perf_counter()
            engine.close()
            ids = [a.id for a in store.articles.all()]
            sentences = sum(len(a.sentences) for a in store.articles.analyses(ids).values())
        # The dependency parser runs only where a sentence may hold several claims or a figure
        # may conflict: how many sentences it parsed, against all sentences analysed.
        parsed = models.figure_roles.parse.cache_info().misses
        extra = {"sentences": sentences, "sentences_parsed": parsed,
                 "share_parsed": round(parsed / max(1, sentences), 3), "stage_seconds": stages.seconds}
    else:
        import spacy

        from .nlp import COMPONENTS, NlpPipeline, resolve_model_name

        if mode == "spacy-storyfuse":
            nlp = NlpPipeline("auto").language
        elif mode == "spacy-ner-senter":
            nlp = spacy.load(resolve_model_name(), exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])
            nlp.enable_pipe("senter")
        else:
            nlp = spacy.load(resolve_model_name())
        loaded = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32, n_process=processes):
            pass
        assert mode != "spacy-storyfuse" or tuple(nlp.pipe_names) == COMPONENTS
    done = done_run if mode.startswith("pipeline") else time.perf_counter()
    seconds = done - loaded
    return {
        "mode": mode, "articles": len(texts), "words": words, "load_s": round(loaded - started, 2),
        "seconds": round(seconds, 2), "articles_per_s": round(len(texts) / seconds, 2),
        "words_per_s": round(words / seconds), "peak_rss_mb": round(_peak_rss_mb()),
        **extra,
    }


def warm(models) -> None:
    """Load every model a run uses before the clock starts (the static one is built if missing)."""
    assert models.nlp.pipe_names
    models.encoder.encode(["warm-up"])
    models.static.encode(["warm-up"])
    assert 0 < models.align.threshold < 1


def write_corpus(size: int, data: str | None, path: Path) -> int:
    """The first ``size`` ECB+ documents (all topics, in order) as JSON Lines."""
    from .eval.ecbplus import load_documents

    docs = load_documents(data)[:size]
    with path.open("w", encoding="utf-8") as handle:
        for d in docs:
            handle.write(json.dumps({"id": d.doc_id, "text": d.text, "source": f"ecb-{d.doc_id}"}) + "\n")
    return len(docs)


def run_bench(task: str, size: int, data: str | None, processes: int = 2) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "bench.jsonl"
        count = write_corpus(size, data, jsonl)
        results = []
        for mode in ENGINE_MODES if task == "engines" else MODES:
            out = subprocess.run(
                [sys.executable, "-m", "storyfuse.bench", mode, str(jsonl), str(processes)],
                capture_output=True, text=True, env={**os.environ, "TOKENIZERS_PARALLELISM": "false"},
            )
            if out.returncode != 0:
                raise RuntimeError(f"bench {mode} failed:\n{out.stderr[-2000:]}")
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    by_mode = {r["mode"]: r for r in results}
    pipe = by_mode["pipeline"]["articles_per_s"]
    ratios = {m: round(pipe / r["articles_per_s"], 3) for m, r in by_mode.items() if m != "pipeline"}
    return {"task": task, "dataset": "ECB+ (first documents in topic order)", "articles": count,
            "cpu_count": os.cpu_count(), "processes": processes, "results": results, "pipeline_speed_relative_to": ratios}


def print_bench(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"storyfuse bench {result['task']}: {result['articles']} {result['dataset']} articles, "
                        f"{result['cpu_count']} CPUs, {result.get('processes', 1)} spaCy process(es) each")
    for column in ("what", "articles/s", "words/s", "seconds", "model load s", "peak memory MB"):
        table.add_column(column, justify="right" if column != "what" else "left")
    for r in result["results"]:
        table.add_row(r["mode"], f"{r['articles_per_s']:.1f}", f"{r['words_per_s']:,}", f"{r['seconds']:.1f}",
                      f"{r['load_s']:.1f}", f"{r['peak_rss_mb']:,}")
    console = Console()
    console.print(table)
    pipe = next(r for r in result["results"] if r["mode"] == "pipeline")
    if "stage_seconds" in pipe:
        console.print("pipeline stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in pipe["stage_seconds"].items()))
    if "sentences" in pipe:
        console.print(f"dependency parser (claims, figure roles): {pipe['sentences_parsed']:,} of "
                      f"{pipe['sentences']:,} sentences ({pipe['share_parsed']:.1%})")
    for mode, ratio in result["pipeline_speed_relative_to"].items():
        if mode.startswith("pipeline-dask-"):  # bench engines: each engine against the local one
            console.print(f"the Dask engine with {mode.rsplit('-', 1)[1]} worker(s) runs at {1 / ratio:.2f}x "
                          "the speed of the local engine")
        else:
            console.print(f"storyfuse end to end runs at {ratio:.2f}x the speed of {mode}")
    console.print("Reference (ARCHITECTURE.md, this kind of machine): spaCy NER+senter about 9k words/s "
                  "in one process; MiniLM about 200-230 sentences/s on 2 cores.")


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)))
