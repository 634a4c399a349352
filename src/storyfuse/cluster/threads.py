"""Story threads: events that continue one another (a visit and the return visit a year
later; a strike and the talks that end it).

Two events are linked when the same main actors carry both: at least ``MIN_SHARED`` of the
entities that most of each event's articles name (``EventStory.actors``), making up at
least ``MIN_SHARE`` of the smaller event's actors, and one of them a person or an
organisation that one event's title names (``EventStory.subjects``): two fires in one city
that the same fire chief attended are the same kind of event with other subjects, not a
thread. Threads are the connected groups of linked events, in date order.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MIN_SHARED = 2
MIN_SHARE = 0.5
AGENTS = {"PERSON", "ORG", "NORP"}  # who acts, as opposed to where


@dataclass(frozen=True)
class ThreadEvent:
    id: str
    start: str | None
    actors: tuple[str, ...]  # entity ids
    subjects: tuple[str, ...] = ()  # the actors its title names


@dataclass(frozen=True)
class Thread:
    id: str
    title: str
    events: tuple[str, ...]  # in date order


def linked(a: ThreadEvent, b: ThreadEvent, labels: Mapping[str, str]) -> bool:
    shared = set(a.actors) & set(b.actors)
    subjects = shared & (set(a.subjects) | set(b.subjects))
    if len(shared) < MIN_SHARED or not any(labels.get(e) in AGENTS for e in subjects):
        return False
    return len(shared) >= MIN_SHARE * min(len(a.actors), len(b.actors))


def threads(events: Sequence[ThreadEvent], labels: Mapping[str, str], names: Mapping[str, str]) -> list[Thread]:
    """Threads of two or more events; candidates come from shared actors, never all pairs."""
    by_actor: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(events):
        for actor in e.actors:
            by_actor[actor].append(i)
    parent = list(range(len(events)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, e in enumerate(events):
        others = {j for actor in e.actors for j in by_actor[actor] if j > i}
        for j in sorted(others):
            if linked(e, events[j], labels):
                parent[root(j)] = root(i)
    groups: dict[int, list[ThreadEvent]] = defaultdict(list)
    for i, e in enumerate(events):
        groups[root(i)].append(e)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        ordered = sorted(members, key=lambda e: (e.start or "9999", e.id))
        common = set.intersection(*(set(e.actors) for e in ordered))
        shared = [a for a in ordered[0].actors if a in common] or [
            a for a in ordered[0].actors if any(a in e.actors for e in ordered[1:])]
        title = ", ".join(names.get(a, a) for a in shared[:3])
        digest = hashlib.sha1(" ".join(sorted(e.id for e in ordered)).encode()).hexdigest()[:10]
        out.append(Thread(f"th-{digest}", title, tuple(e.id for e in ordered)))
    return sorted(out, key=lambda t: t.id)
