"""``storyfuse eval conflicts``: are the contradictions storyfuse flags real? ECB+.

Each ECB+ event (a topic's ``ecb`` or ``ecbplus`` half) is one storyfuse event of real news
articles, each article its own outlet, its sentences as ECB+ gives them. Two measures:

- **Recall on changed claims.** A real sentence that states a figure ("killed 3 people"), a
  day ("on Monday") or a place ("near Lubbock": a place name spaCy finds, after a locative
  preposition) is taken from one article, its figure, day or place changed (a place to one
  named in another event of the split), and the changed sentence added to *another*
  real article of the same event that does not state that quantity; the event's facts are
  built again with that one change and the change must come out as a conflict between the
  two articles. Up to ``CASES_PER_EVENT`` sentences per event, chosen by a seeded hash.
- **Precision on real articles.** Every conflict flagged on the unchanged events is looked
  up in ``labels/conflicts.tsv`` (hand verdicts, committed before any tuning): real or
  false. A flag without a label counts as false.

Beside storyfuse, in the same run: the figure rule storyfuse used before (any two different
values for one counted noun in one fact, no bounds, estimates, rates or scopes), on the
same facts. Figures, days ("on Monday", "March 12") and places are changed, each reported
apart. Place names come from spaCy's named entities (GPE, LOC, FAC) of each sentence, as the
pipeline finds them.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..learning import stable_hash
from .ecbplus import DEV_TOPICS, EcbDocument, load_documents

ANCHOR = ("no published figure: the protocol is storyfuse's own (issue 9); targets recall >= 0.90 on changed "
          "claims and precision >= 0.90 on the flags on unchanged articles")
LABELS = Path(__file__).parent / "labels" / "conflicts.tsv"
CASES_PER_EVENT = 3
DAY_CASES_PER_EVENT = 2
PLACE_CASES_PER_EVENT = 2
SEED = 20261202



def progress(message: str) -> None:
    """Progress goes to standard error, so that ``--json`` output stays JSON."""
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True)
class ChangedClaim:
    event: str
    source_doc: str  # where the real sentence is
    target_doc: str  # where its changed copy is added
    original: str
    changed: str
    old_value: str  # the figure as written in the original
    new_value: str  # as written in the changed copy
    kind: str = "figure"  # or "day", "place"


@dataclass(frozen=True, slots=True)
class Flag:
    """One conflict flagged on an unchanged event, as the labels file names it."""

    id: str
    event: str
    slot: str
    sides: tuple[tuple[str, str, tuple[str, ...]], ...]  # value, sentence, articles


def sentences_of(doc: EcbDocument) -> list[str]:
    """The document's sentences as a news page prints them: ECB+'s tokens split figures
    ("1,500" became "1, 500", "6.1" "6. 1", "3:33 a.m." "3: 33 a. m."), which would be read
    as several figures."""
    out = []
    for sentence in doc.text.split("\n\n"):
        sentence = re.sub(r"(\d), (\d{3})\b", r"\1,\2", sentence)
        sentence = re.sub(r"(\d)([.:]) (\d)", r"\1\2\3", sentence)
        out.append(re.sub(r"\b([ap])\. (m)\.", r"\1.\2.", sentence, flags=re.I))  # "2 A. M." is a time too
    return out


def _new_value(value: float) -> str:
    """A clearly different figure: doubled when small, half again when large."""
    return str(int(value * 2) if value < 10 else int(round(value * 1.5)))


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _changed_text(fig) -> str:
    """The figure or day as the changed copy writes it."""
    if fig.slot.startswith("weekday"):  # two days later: "Monday" -> "Wednesday"
        return _WEEKDAYS[(_WEEKDAYS.index(fig.text.capitalize()) + 2) % 7]
    digits = re.search(r"\d[\d.,]*\d|\d", fig.text)
    if fig.slot.startswith("calendar day") and digits:  # "March 12" -> "March 14"; the 30th -> the 28th
        day = int(digits.group(0))
        return fig.text[:digits.start()] + str(day + 2 if day <= 26 else day - 2) + fig.text[digits.end():]
    if digits:  # keep the currency and the scale: "$160 million" -> "$240 million"
        return fig.text[:digits.start()] + _new_value(float(digits.group(0).replace(",", ""))) + fig.text[digits.end():]
    return _new_value(float(fig.value))  # "two" -> "4"


def changed_claims(docs: Sequence[EcbDocument], places: PlacesOf | None = None,
                   elsewhere: Sequence[str] = ()) -> list[ChangedClaim]:
    """The test cases of one event (its documents sorted by id): up to ``CASES_PER_EVENT``
    changed figures and ``DAY_CASES_PER_EVENT`` changed days; with ``places`` (the place names
    of a sentence) and ``elsewhere`` (place names of other events), up to
    ``PLACE_CASES_PER_EVENT`` changed places."""
    from ..slots import day_references, figures, place_name, place_references

    docs = sorted(docs, key=lambda d: d.doc_id)

    def found_in(sentence: str, kind: str) -> list:
        if kind == "figure":
            return figures(sentence)
        if kind == "day":
            return day_references(sentence)
        return place_references(sentence, places(sentence)) if places is not None else []

    def stated_in(doc: EcbDocument, kind: str) -> set[str]:
        if kind == "place" and places is not None:  # a place the article names anywhere
            return {place_name(n) for s in sentences_of(doc) for n in places(s)}
        return {f.slot for s in sentences_of(doc) for f in found_in(s, kind)}

    named_here = set().union(*(stated_in(d, "place") for d in docs)) if places is not None else set()
    pool = [n for n in elsewhere if place_name(n) not in named_here]
    cases = []
    for kind, per_event in (("figure", CASES_PER_EVENT), ("day", DAY_CASES_PER_EVENT),
                            ("place", PLACE_CASES_PER_EVENT if pool else 0)):
        stated = {d.doc_id: stated_in(d, kind) for d in docs}
        candidates = []
        for d in docs:
            for sentence in sentences_of(d):
                for fig in found_in(sentence, kind):
                    if fig.bound != "exact" or "-" in fig.value or fig.slot.startswith("tally"):
                        continue
                    said = fig.value if kind == "place" else fig.slot
                    targets = [t for t in docs if t.doc_id != d.doc_id and said not in stated[t.doc_id]]
                    if targets:
                        key = f"{d.doc_id}|{sentence}|{fig.start}" + ("" if kind == "figure" else f"|{kind}")
                        candidates.append((stable_hash(key, SEED), d, sentence, fig, targets))
        for _, d, sentence, fig, targets in sorted(candidates, key=lambda c: c[0])[:per_event]:
            target = targets[stable_hash(sentence, SEED) % len(targets)]
            new = pool[stable_hash(sentence + "|place", SEED) % len(pool)] if kind == "place" else _changed_text(fig)
            changed = sentence[:fig.start] + new + sentence[fig.end:]
            cases.append(ChangedClaim(d.event, d.doc_id, target.doc_id, sentence, changed, fig.text, new, kind))
    return cases


class PlacesOf:
    """The place names (spaCy's GPE, LOC and FAC entities) of a sentence, as the pipeline's
    NER finds them, each sentence read once."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.found: dict[str, tuple[tuple[str, int, int], ...]] = {}

    def read(self, sentences: Sequence[str]) -> None:
        from ..entities import PLACE_LABELS

        todo = list(dict.fromkeys(s for s in sentences if s not in self.found))
        for sentence, doc in zip(todo, self.nlp.pipe(todo, batch_size=64)):
            self.found[sentence] = tuple((e.text, e.start_char, e.end_char) for e in doc.ents
                                         if e.label_ in PLACE_LABELS)

    def spans(self, sentence: str) -> tuple[tuple[str, int, int], ...]:
        if sentence not in self.found:
            self.read([sentence])
        return self.found[sentence]

    def __call__(self, sentence: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for name, _, _ in self.spans(sentence)))


def placed_elsewhere(by_event: dict[str, list[EcbDocument]], places: PlacesOf) -> list[str]:
    """Every place name of the split that places something ("in Geneva"), sorted: where a
    changed place is taken from."""
    from ..slots import place_references

    names = {f.text for ds in by_event.values() for d in ds for s in sentences_of(d)
             for f in place_references(s, places(s))}
    return sorted(names)


def _members(docs: Sequence[EcbDocument], added: dict[str, str] | None = None, places: PlacesOf | None = None) -> list:
    """The event's articles as corroborate sees them: ECB+'s sentences, one outlet each, with
    their place names (``places``); ``added`` appends a sentence to an article."""
    from ..corroborate import Member
    from ..models import Analysis, Article, Mention, Sentence

    members = []
    for d in sorted(docs, key=lambda d: d.doc_id):
        sentences = sentences_of(d) + ([added[d.doc_id]] if added and d.doc_id in added else [])
        text = "\n\n".join(sentences)
        spans, mentions, at = [], [], 0
        for s in sentences:
            spans.append(Sentence(at, at + len(s)))
            if places is not None:
                mentions += [Mention(name, at + b, at + e, "GPE") for name, b, e in places.spans(s)]
            at += len(s) + 2
        article = Article(id=d.doc_id, input=d.doc_id, source=d.doc_id, url=None, title=None, author=None,
                          published=None, dateline=None, language="en", text=text)
        members.append(Member(article, Analysis(d.doc_id, True, None, tuple(spans), tuple(mentions))))
    return members


class _Facts:
    """Builds an event's facts with the shipped models, each sentence embedded once (at the
    precision the store keeps, as in a run)."""

    def __init__(self, models, config):
        self.models, self.config = models, config
        self.vectors: dict[str, Any] = {}
        self.judge = models.pair_judge(kept=20_000, stored=lambda texts: {
            t: self.vectors[t] for t in texts if t in self.vectors})

    def __call__(self, event: str, members: list) -> tuple:
        import numpy as np

        from ..claims import ClaimSplitter
        from ..corroborate import build_facts, fact_units

        units = fact_units(members, self.config.corroborate.min_sentence_words,
                           ClaimSplitter(self.models.figure_roles.parse))
        missing = list(dict.fromkeys(u.text for u in units if u.text not in self.vectors))
        if missing:
            from ..embed import as_stored

            self.vectors.update(zip(missing, as_stored(self.models.encoder.encode(missing))))
        vectors = np.vstack([self.vectors[u.text] for u in units]) if units else None
        return build_facts(event, members, units, vectors, [], self.config.corroborate, self.judge,
                           self.models.figure_roles)


def naive_conflicts(fact) -> list[tuple[str, dict[str, set[str]]]]:
    """The rule storyfuse used before: any two values for one counted noun in one fact."""
    from ..slots import figures

    by_slot: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s in fact.sentences:
        for fig in figures(s.text):
            by_slot[fig.slot.split("/")[0].split(" ")[-1]][fig.value].add(s.article)
    return [(slot, values) for slot, values in by_slot.items() if len(values) > 1
            and len({a for arts in values.values() for a in arts}) > 1]


def flags(event: str, facts) -> list[Flag]:
    out = []
    for fact in facts:
        for c in fact.conflicts:
            sides = tuple((s.value, s.text, s.articles) for s in c.sides)
            values = "|".join(sorted(s.value.lower() for s in c.sides))
            out.append(Flag(f"{event}:{c.slot}:{values}", event, c.slot, sides))
    return out


def load_labels(path: Path = LABELS) -> dict[str, str]:
    """``flag id -> real | false`` from the tab-separated labels file (header ``id verdict note``)."""
    if not path.is_file():
        return {}
    labels = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], 2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 2 or parts[1] not in ("real", "false"):
            raise ValueError(f"{path}:{number}: expected a flag id and 'real' or 'false', tab-separated")
        labels[parts[0]] = parts[1]
    return labels


def _caught(facts, case: ChangedClaim, naive: bool) -> bool:
    for fact in facts:
        arts = set(fact.articles)
        if not {case.source_doc, case.target_doc} <= arts:
            continue
        if naive:
            for _, values in naive_conflicts(fact):
                holders = list(values.values())
                if any(case.target_doc in h and case.source_doc not in h for h in holders) and any(
                        case.source_doc in h and case.target_doc not in h for h in holders):
                    return True
            continue
        for c in fact.conflicts:
            if any(case.target_doc in s.articles and s.value == case.new_value for s in c.sides) and any(
                    case.source_doc in s.articles for s in c.sides):
                return True
    return False


def evaluate(split: str = "dev", data: str | None = None, config=None, log: Callable[[str], None] | None = None) -> dict:
    from ..config import Config
    from ..context import Models

    log = log or progress

    by_event = events_of(split, data)
    models = Models()
    build = _Facts(models, config or Config())
    places = PlacesOf(models.nlp.language)
    log(f"  reading place names in {sum(map(len, by_event.values()))} documents")
    places.read([s for ds in by_event.values() for d in ds for s in sentences_of(d)])
    elsewhere = placed_elsewhere(by_event, places)
    labels = load_labels()
    caught: dict[tuple[str, str], int] = defaultdict(int)  # (system, kind) -> changed claims caught
    cases: dict[str, int] = defaultdict(int)  # kind -> changed claims
    found: list[Flag] = []
    naive_flags = 0
    for k, (event, members_docs) in enumerate(sorted(by_event.items())):
        facts = build(event, _members(members_docs, places=places))
        found += flags(event, facts)
        naive_flags += sum(len(naive_conflicts(f)) for f in facts)
        for case in changed_claims(members_docs, places, elsewhere):
            changed = build(event, _members(members_docs, {case.target_doc: case.changed}, places))
            cases[case.kind] += 1
            caught[("storyfuse", case.kind)] += _caught(changed, case, naive=False)
            caught[("naive", case.kind)] += _caught(changed, case, naive=True)
        if k % 10 == 9:
            log(f"  {k + 1} of {len(by_event)} events")
    real = sum(labels.get(f.id) == "real" for f in found)
    unlabelled = [f for f in found if f.id not in labels]
    total = sum(cases.values())

    def recalls(system: str) -> dict[str, float]:
        return {"recall_changed": round(sum(caught[(system, kind)] for kind in cases) / max(1, total), 4),
                "recall_changed_figures": round(caught[(system, "figure")] / max(1, cases["figure"]), 4),
                "recall_changed_days": round(caught[(system, "day")] / max(1, cases["day"]), 4),
                "recall_changed_places": round(caught[(system, "place")] / max(1, cases["place"]), 4)}

    result: dict[str, Any] = {
        "task": "conflicts", "dataset": "ECB+", "split": split, "documents": sum(map(len, by_event.values())),
        "metrics": ["recall_changed", "recall_changed_figures", "recall_changed_days", "recall_changed_places",
                    "precision_real", "flags_real_articles"], "published_anchor": ANCHOR,
        "changed_claims": total, "changed_figures": cases["figure"], "changed_days": cases["day"],
        "changed_places": cases["place"],
        "unlabelled_flags": [f.id for f in unlabelled],
        "rows": [
            {"system": "storyfuse", **recalls("storyfuse"),
             "precision_real": round(real / len(found), 4) if found else 1.0, "flags_real_articles": len(found)},
            {"system": "figure rule before issue 9 (any two values of one noun in one fact; no days or places; "
                       "same run)",
             **recalls("naive"), "precision_real": None, "flags_real_articles": naive_flags},
        ],
    }
    return result


def events_of(split: str, data: str | None) -> dict[str, list[EcbDocument]]:
    """The split's ECB+ documents by event."""
    if split not in ("dev", "train", "all"):
        raise ValueError(f"ECB+ has no {split!r} split here; use dev, train or all")
    by_event: dict[str, list[EcbDocument]] = defaultdict(list)
    for d in load_documents(data):
        if split == "all" or (d.topic in DEV_TOPICS) == (split == "dev"):
            by_event[d.event].append(d)
    return by_event


def dump_flags(split: str = "all", data: str | None = None) -> list[Flag]:
    """Every flag on the unchanged events, as they were listed for labelling."""
    from ..config import Config
    from ..context import Models

    models = Models()
    build = _Facts(models, Config())
    places = PlacesOf(models.nlp.language)
    return [f for event, ds in sorted(events_of(split, data).items())
            for f in flags(event, build(event, _members(ds, places=places)))]
