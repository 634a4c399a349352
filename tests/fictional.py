"""A seeded generator of fictional news: many events, each told by several fictional outlets
in their own wording, for tests that need hundreds of articles (third-party text stays out
of the repository; the sample corpus has 25).

Imported as ``from fictional import ...`` (``tests/`` is on ``sys.path``, see ``synthetic``).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

_STARTS = ["Ash", "Bel", "Cor", "Dun", "Elm", "Fen", "Gar", "Hal", "Ivel", "Kel", "Lor", "Mar", "Nor", "Oak",
           "Pel", "Quin", "Ros", "Sel", "Tor", "Wyn", "Brack", "Cal", "Dray", "Esk", "Har"]
_ENDS = ["ford", "mere", "bridge", "wick", "stead", "haven", "by", "ton", "dale", "port", "holm", "field"]
_FIRST = ["Ada", "Bruno", "Carys", "Dario", "Edith", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Katya", "Lorcan",
          "Mirela", "Niall", "Odile", "Pavel", "Rhea", "Stellan", "Tamsin", "Ulric", "Vesna", "Wilhelm", "Yara"]
_LAST = ["Ambrose", "Brightwater", "Castellane", "Dunmore", "Eskildsen", "Farrow", "Galloway", "Hollin",
         "Ingram", "Jessop", "Kettering", "Lindqvist", "Marchetti", "Norcross", "Okafor", "Pembury",
         "Quartermain", "Rasmussen", "Stavros", "Thackeray", "Underhill", "Vasquez", "Whitlock"]
_OUTLETS = ["Valdria Wire", "Northmoor Courier", "Eastbrook Sentinel", "Harbour Ledger", "Kestrel Radio",
            "Meridian Post", "Fenland Gazette", "Corrie Valley News", "Tidewater Herald", "Lowmarsh Echo",
            "Granite Coast Times", "Riverbend Daily"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NUMBER = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

# Each kind of event: its facts, each in several wordings. {town}, {person}, {weekday} and
# the figures {a}..{d} are the event's own; every outlet picks its own wording of a fact.
_KINDS: dict[str, list[list[str]]] = {
    "fire": [
        ["A fire broke out at a {building} in {town} on {weekday}, injuring {a_words} workers.",
         "{A_words} workers were hurt when fire swept through a {building} in {town} on {weekday}.",
         "Fire tore through a {building} in {town} on {weekday}; {a} workers were injured."],
        ["About {b} firefighters fought the blaze for {c} hours.",
         "Some {b} firefighters spent {c} hours bringing the fire under control.",
         "It took around {b} firefighters {c} hours to put the fire out."],
        ["Fire chief {person} said the cause was not yet known.",
         "The cause of the fire is still being investigated, according to fire chief {person}.",
         "{person}, the {town} fire chief, said investigators had not yet found the cause."],
        ["The {building} employs around {d} people.",
         "Around {d} people work at the {building}.",
         "The site has about {d} staff."],
    ],
    "vote": [
        ["The {town} council approved a {a} million euro plan for a new {building} on {weekday}.",
         "Councillors in {town} voted on {weekday} to spend {a} million euros on a new {building}.",
         "A new {building} costing {a} million euros was approved by {town} council on {weekday}."],
        ["The plan passed by {b} votes to {c}.",
         "The vote was {b} to {c} in favour.",
         "{b} councillors backed the plan and {c} opposed it."],
        ["Mayor {person} called it the most important decision in a generation.",
         "{person}, the mayor, said the decision was the most important in a generation.",
         "The decision is the most important in a generation, Mayor {person} said."],
        ["Building work is due to start in {d} months.",
         "Work on the {building} should begin within {d} months.",
         "Construction is expected to start in {d} months."],
    ],
    "strike": [
        ["Workers at the {town} {building} walked out on {weekday} in a dispute over pay.",
         "A pay dispute led staff at the {building} in {town} to strike on {weekday}.",
         "Staff at {town}'s {building} began a strike over pay on {weekday}."],
        ["The union says {a} members are taking part.",
         "Around {a} union members joined the strike.",
         "Some {a} workers are on strike, according to the union."],
        ["Union leader {person} said talks had broken down after {b} weeks.",
         "Talks collapsed after {b} weeks, said {person} of the union.",
         "{person}, who leads the union, said {b} weeks of talks had failed."],
        ["The company has offered a rise of {c} percent.",
         "Management's offer stands at {c} percent.",
         "A {c} percent pay rise is on the table, the company said."],
    ],
}
# The figures {a}..{d} of each kind, each drawn from its own range.
_RANGES = {"fire": [(2, 9), (20, 90), (3, 12), (100, 900)], "vote": [(5, 400), (20, 40), (3, 19), (6, 24)],
           "strike": [(200, 3000), (2, 12), (2, 9), (0, 0)]}
_BUILDINGS = {"fire": ["paper mill", "grain store", "timber yard", "bus depot", "printing works"],
              "vote": ["tram line", "library", "swimming pool", "bridge", "concert hall"],
              "strike": ["ferry terminal", "bottling plant", "call centre", "steel works", "sorting office"]}


def _words(n: int) -> str:
    return _NUMBER[n] if n < len(_NUMBER) else str(n)


def fictional_articles(events: int = 50, per_event: int = 10, seed: int = 20261207) -> list[dict]:
    """``events`` x ``per_event`` article records (``id``, ``title``, ``text``, ``source``,
    ``published``), in a seeded order that interleaves events as a news feed does."""
    rng = random.Random(seed)
    towns = sorted({s + e for s in _STARTS for e in _ENDS})
    rng.shuffle(towns)
    records = []
    day = dt.date(2031, 1, 5)
    for k in range(events):
        kind = sorted(_KINDS)[k % len(_KINDS)]
        a, b, c, d = (rng.randint(lo, hi) for lo, hi in _RANGES[kind])
        values = {"town": towns[k], "person": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                  "weekday": _WEEKDAYS[day.weekday()], "building": rng.choice(_BUILDINGS[kind]),
                  "a": a, "a_words": _words(a), "A_words": _words(a).capitalize(), "b": b, "c": c, "d": d}
        outlets = rng.sample(_OUTLETS, min(per_event, len(_OUTLETS)))
        for n in range(per_event):
            facts = _KINDS[kind]
            chosen = [0] + sorted(rng.sample(range(1, len(facts)), rng.randint(2, len(facts) - 1)))
            sentences = [rng.choice(facts[i]).format(**values) for i in chosen]
            title = sentences[0].split(",")[0].split(";")[0].rstrip(".")
            published = day + dt.timedelta(days=rng.randint(0, 1))
            records.append({"id": f"fx-{k:03d}-{n:02d}", "title": title, "text": "\n\n".join(sentences),
                            "source": outlets[n % len(outlets)], "published": published.isoformat()})
        day += dt.timedelta(days=rng.randint(2, 5))
    rng.shuffle(records)
    return records


def write_fictional_jsonl(path: Path, events: int = 50, per_event: int = 10, seed: int = 20261207) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in fictional_articles(events, per_event, seed)),
                    encoding="utf-8")
    return path
