"""Engines: where the per-article map runs (``storyfuse run --engine local|dask``).

The map (clean, NLP, quotes, dates, duplicate signatures) sees the configuration and the
models, never the store, so it can run anywhere; the reduce (duplicates against the corpus,
entities, storage, events, stories) always runs in this process, in input order.

- ``local``: in this process; spaCy forks ``--workers`` processes for its own stage.
- ``dask``: each batch is cut into one partition per Dask worker, each partition is one
  task; the results are gathered back in input order. Without ``--scheduler`` a
  ``LocalCluster`` of ``--workers`` single-threaded processes is started on this machine;
  with it, the tasks go to that scheduler's workers (each must have storyfuse and its models
  installed). Every worker process loads the models once, on its first task.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from .components import Component, MapEnv, Work, run_components

if TYPE_CHECKING:
    from .config import Config
    from .context import Models

ENGINES = ("local", "dask")


class Engine(Protocol):
    def map(self, works: list[Work], components: Sequence[Component], env: MapEnv) -> list[Work]: ...

    def close(self) -> None: ...


class LocalEngine:
    """The map in this process."""

    def map(self, works: list[Work], components: Sequence[Component], env: MapEnv) -> list[Work]:
        return run_components(works, components, env)

    def close(self) -> None:
        pass


class DaskEngine:
    """The map as Dask tasks, one per partition of a batch (module docstring)."""

    def __init__(self, workers: int = 1, scheduler: str | None = None):
        from dask.distributed import Client, LocalCluster

        self.cluster: Any = None
        if scheduler:
            self.client = Client(scheduler, timeout="10s")
        else:
            # processes, not threads: spaCy and the models hold the GIL
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=40)
            self.client = Client(self.cluster)

    @property
    def partitions(self) -> int:
        return max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))

    def map(self, works: list[Work], components: Sequence[Component], env: MapEnv) -> list[Work]:
        if not works:
            return []
        names = tuple(c.name for c in components)
        parts = partition(works, self.partitions)
        futures = [self.client.submit(map_partition, part, names, env.config, env.models.nlp_model, pure=False)
                   for part in parts]
        return [w for done in self.client.gather(futures) for w in done]

    def warm(self, nlp_model: str = "auto") -> None:
        """Load the models in every worker now (a benchmark starts its clock after this)."""
        self.client.run(_load_models, nlp_model)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def partition(works: list[Work], parts: int) -> list[list[Work]]:
    """``works`` cut into at most ``parts`` contiguous runs of nearly equal length, in order."""
    parts = max(1, min(parts, len(works)))
    size, extra = divmod(len(works), parts)
    out, at = [], 0
    for k in range(parts):
        n = size + (k < extra)
        out.append(works[at:at + n])
        at += n
    return out


_MODELS: dict[str, Models] = {}  # per worker process: loaded on its first task, then kept


def _load_models(nlp_model: str) -> Models:
    from .context import Models

    if nlp_model not in _MODELS:
        models = _MODELS[nlp_model] = Models(nlp_model)
        models.nlp, models.junk, models.speech, models.speakers  # noqa: B018 - loaded here, used by the tasks
    return _MODELS[nlp_model]


def map_partition(works: list[Work], names: tuple[str, ...], config: Config, nlp_model: str) -> list[Work]:
    """One Dask task: the named components over a partition, with this process's models."""
    from .pipeline import MAP

    by_name = {c.name: c for c in MAP}
    return run_components(works, [by_name[n] for n in names], MapEnv(config, _load_models(nlp_model), 1))


def make_engine(name: str, workers: int = 1, scheduler: str | None = None) -> Engine:
    if name == "dask":
        return DaskEngine(workers, scheduler)
    if scheduler:
        raise ValueError("--scheduler needs --engine dask")
    return LocalEngine()
