"""The run context: what every stage of one run shares, passed explicitly.

``RunContext`` carries the store, the configuration, the loaded models and progress
reporting. Nothing else is shared: no stage keeps a module-level cache, and models are
loaded on first use by the ``Models`` object that owns them and never changed afterwards.
The per-article map sees only the configuration and the models (never the store), so that
it can run in another process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .config import Config

if TYPE_CHECKING:
    import numpy as np

    from .align import AlignModel, PairJudge
    from .clean.junk import JunkModel
    from .embed import SentenceEncoder, StaticEncoder
    from .figure_roles import FigureRoles
    from .nlp import NlpPipeline
    from .speakers import SpeakerModel
    from .speech import SpeechModel
    from .store.interfaces import Store


class Progress:
    """What the pipeline reports while it works; the CLI draws it, tests ignore it."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def message(self, text: str) -> None: ...


class Models:
    """The models of one process, each loaded on first use and then kept as loaded."""

    def __init__(self, nlp_model: str = "auto") -> None:
        self.nlp_model = nlp_model
        self._nlp: NlpPipeline | None = None
        self._encoder: SentenceEncoder | None = None
        self._static: StaticEncoder | None = None
        self._junk: JunkModel | None = None
        self._speech: SpeechModel | None = None
        self._speakers: SpeakerModel | None = None
        self._align: AlignModel | None = None
        self._figure_roles: FigureRoles | None = None

    @property
    def nlp(self) -> NlpPipeline:
        if self._nlp is None:
            from .nlp import NlpPipeline

            self._nlp = NlpPipeline(self.nlp_model)
        return self._nlp

    @property
    def encoder(self) -> SentenceEncoder:
        if self._encoder is None:
            from .embed import SentenceEncoder

            self._encoder = SentenceEncoder()
        return self._encoder

    @property
    def static(self) -> StaticEncoder:
        """The static embeddings distilled from MiniLM (built into the cache folder on first use)."""
        if self._static is None:
            from .embed import StaticEncoder

            self._static = StaticEncoder()
        return self._static

    @property
    def speech(self) -> SpeechModel:
        if self._speech is None:
            from . import trained
            from .speech import SpeechModel

            self._speech = SpeechModel.from_trained(trained.load("quotes"))
        return self._speech

    @property
    def speakers(self) -> SpeakerModel:
        if self._speakers is None:
            from . import trained
            from .speakers import SpeakerModel

            self._speakers = SpeakerModel.from_trained(trained.load("quotes"))
        return self._speakers

    @property
    def figure_roles(self) -> FigureRoles:
        """The dependency parser for candidate conflicts; spaCy loads it on first parse."""
        if self._figure_roles is None:
            from .figure_roles import FigureRoles

            self._figure_roles = FigureRoles(self.nlp_model)
        return self._figure_roles

    @property
    def align(self) -> AlignModel:
        if self._align is None:
            from . import trained
            from .align import AlignModel

            self._align = AlignModel.from_trained(trained.load("align"))
        return self._align

    def pair_judge(self, kept: int = 2000, stored: Callable[[list[str]], dict[str, np.ndarray]] | None = None,
                   ) -> PairJudge:
        """A fresh judge of sentence pairs over these models (it keeps sentence vectors for a run;
        ``stored``: where it finds vectors computed already). The static model loads (or is
        built) when the first pair is judged, so a run whose events have one source never needs it."""
        from .align import PairJudge

        return PairJudge(self.align, lambda: self.static, self.encoder, kept, stored)

    @property
    def junk(self) -> JunkModel:
        if self._junk is None:
            from . import trained
            from .clean.junk import JunkModel

            self._junk = JunkModel.from_trained(trained.load("junk"))
        return self._junk


@dataclass
class RunContext:
    store: Store
    config: Config = field(default_factory=Config)
    models: Models = None  # type: ignore[assignment]  # default: the models the config names
    progress: Progress = field(default_factory=Progress)

    def __post_init__(self) -> None:
        if self.models is None:
            self.models = Models(self.config.nlp.model)
