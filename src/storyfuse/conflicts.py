"""Conflicts: where independent outlets give figures, days or places for one claim that
cannot all be true, and where a figure was updated as the story developed.

Figures are compared only within one fact (claims the alignment model paired), per slot
(what is counted), and only when the parse shows both count the same thing in the same role
for the same subject (``figure_roles``). Two values reported on different days, each side
only by articles of its own day, are an update (a toll that grows), not a contradiction:
a contradiction is between reports of the same moment.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from .figure_roles import FigureRoles
from .models import Conflict, ConflictSide
from .slots import (
    DATE_NAME,
    DAY_SLOTS,
    PLACE_SLOT,
    REPORTING_VERBS,
    Figure,
    compatible,
    context,
    day_references,
    figures,
    place_references,
    places_agree,
)

if TYPE_CHECKING:
    from .corroborate import PairJudge, Unit


def find_conflicts(units: list[Unit], group_of: dict[str, int], same_claim: SameClaim,
                   published: dict[str, str] | None = None, together: frozenset[frozenset[str]] = frozenset(),
                   ) -> tuple[tuple[Conflict, ...], tuple[Conflict, ...]]:
    """Slots for which independent outlets give figures that cannot both be true ("two" /
    "three" workers; not "more than 20" / "24", nor "about 300" / "312"), stated as the same
    claim (see ``SameClaim``), so that a season's figure next to a game's, one town's crowd
    next to another's, or one player's yards next to another's is no conflict. Each side is
    shown with a sentence that states it. Days compare the same way ("approved on Monday" /
    "approved on Tuesday"), each relation with its own kind only: "closed on Wednesday" and
    "closed until Thursday" date different moments. Places compare the same way ("struck near
    Lubbock" / "struck near Amarillo"), unless one name holds the other ("Manhattan" / "Lower
    Manhattan") or one article names both (``together``: pairs of place names, as
    ``place_name`` writes them, named in one article: a town and its county, two places
    both involved).

    Returns the conflicts and the updates: two values whose articles were published on
    different days, all of one side before all of the other (``published``: article id ->
    ISO date), are the story developing, not outlets contradicting each other; an update's
    sides are in date order."""
    by_slot: dict[str, dict[tuple[str, str], list[tuple[Unit, Figure]]]] = defaultdict(lambda: defaultdict(list))
    stated: dict[Unit, list[Figure]] = {}
    own_part: dict[Unit, bool] = {}
    for u in units:
        found = figures(u.text) + day_references(u.text)
        parts = _parts_of_tallies(u.text, found) | _ranges(u.text, found)
        own_part[u] = _of_own_total(u.text, found)
        found = stated[u] = found + place_references(u.text, u.places)
        per_slot = Counter(f.slot for f in found)
        for fig in found:
            # A part and its whole ("29 of 34 passes", "178 of 369 punches while Rahman landed
            # 30 of 207") are not comparable alone. Other figures of one kind in a sentence
            # ("dragging her 10 feet ... was 20 feet away") are told apart by the parse only:
            # without it, none is compared. A bare tally ("7-2", "91-73") is a score, a record
            # or a run, and which one is rarely said in words: not compared.
            several = per_slot[fig.slot] > 1
            if fig.slot.startswith("tally") or fig.start in parts or (several and same_claim.roles is None):
                continue
            if fig.slot.startswith(DAY_SLOTS) and _timestamp(u.text, fig):
                continue
            by_slot[fig.slot][(fig.value, fig.bound)].append((u, fig))
    contexts: dict[tuple[Unit, int], set[str]] = {}

    def around(u: Unit, fig: Figure) -> set[str]:
        """What the figure is said about, computed once per figure."""
        if (u, fig.start) not in contexts:
            contexts[(u, fig.start)] = context(u.text, fig, stated[u])
        return contexts[(u, fig.start)]

    def rest_agrees(u: Unit, x: Unit, slot: str) -> bool:
        """Whether two claims that give figures of several kinds disagree on no more kinds
        than they agree on (one disagreement is always let through): "caught 29 passes for
        201 yards" and "caught 39 passes for 302 yards" differ on every count they share, so
        they tell of different spans or people, not of one count reported two ways. Counts
        dated to different days are of different moments, and a claim that gives a part of
        someone's own total tells of part of the span (below)."""
        if not slot.startswith(DAY_SLOTS) and (_other_days(stated[u], stated[x]) or _other_times(u.whole, x.whole)):
            return False
        if not slot.startswith(DAY_SLOTS + (PLACE_SLOT,)) and own_part[u] != own_part[x]:
            return False
        mine, theirs = _by_kind(stated[u]), _by_kind(stated[x])
        shared = set(mine) & set(theirs)
        agree = sum(any(compatible(f, g) for f in mine[k] for g in theirs[k]) for k in shared)
        return len(shared) - agree <= max(1, agree)

    def agree(f: Figure, g: Figure) -> bool:
        if f.slot.startswith(PLACE_SLOT):
            return places_agree(f, g) or frozenset((f.value, g.value)) in together
        return compatible(f, g) or _far_apart(f, g)

    published = published or {}
    conflicts, updates = [], []
    for slot, values in sorted(by_slot.items()):
        if len(values) < 2:
            continue
        outlets = {v: {group_of[u.article] for u, _ in said} for v, said in values.items()}
        # Two values clash when they cannot both be true, each has an outlet that does not
        # state the other (one outlet updating its own figure is not outlets contradicting
        # each other; one article stating both is on neither side alone), and two of their
        # sentences say them about the same thing.
        clashing: dict[tuple[str, str], tuple[Unit, Figure]] = {}
        updated: dict[tuple[str, str], tuple[Unit, Figure]] = {}
        for v in values:
            for w in values:
                if v >= w or agree(values[v][0][1], values[w][0][1]):
                    continue
                if not (outlets[v] - outlets[w] and outlets[w] - outlets[v]):
                    continue
                pair = same_claim.first(values[v], values[w], group_of, around,
                                        fits=partial(rest_agrees, slot=slot))
                if pair:
                    # (a day is one moment whenever it is reported: "the talks open on Monday";
                    # a place one place)
                    later = not slot.startswith(DAY_SLOTS + (PLACE_SLOT,)) \
                        and _one_after_the_other(values[v], values[w], published)
                    found_in = updated if later else clashing
                    found_in.setdefault(v, pair[0])
                    found_in.setdefault(w, pair[1])
        if len(clashing) >= 2:
            conflicts.append(Conflict(slot, _sides(clashing, values, key=lambda v, arts: (-len(arts), v))))
        elif len(updated) >= 2:
            updates.append(Conflict(slot, _sides(updated, values, key=lambda v, arts: (_days(arts, published)[0], v))))
    return tuple(conflicts), tuple(updates)


def _sides(chosen: dict[tuple[str, str], tuple[Unit, Figure]], values: dict[tuple[str, str], list[tuple[Unit, Figure]]],
           key: Callable[[tuple[str, str], set[str]], tuple]) -> tuple[ConflictSide, ...]:
    """Each value with a sentence that states it and every article that does, in ``key`` order."""
    holders = {v: {x.article for x, _ in values[v]} for v in chosen}
    return tuple(ConflictSide(fig.text, u.text, tuple(sorted(holders[v])))
                 for v, (u, fig) in sorted(chosen.items(), key=lambda kv: key(kv[0], holders[kv[0]])))


def _days(articles: set[str], published: dict[str, str]) -> list[str]:
    return sorted(published.get(a, "")[:10] for a in articles)


def _one_after_the_other(a: list[tuple[Unit, Figure]], b: list[tuple[Unit, Figure]], published: dict[str, str]) -> bool:
    """Whether every article stating one value was published on an earlier day than every
    article stating the other: a figure updated as the story developed."""
    days_a = _days({u.article for u, _ in a}, published)
    days_b = _days({u.article for u, _ in b}, published)
    if not days_a[0] or not days_b[0]:  # an undated article: the two may be of one moment
        return False
    return days_a[-1] < days_b[0] or days_b[-1] < days_a[0]


# A part of someone's own total: "grabbed 3 of his 11 rebounds, and blocked two shots" tells
# of part of a game (a half, a quarter), so its other counts ("two shots") are of that part,
# not of the game that "blocked six shots" counts. Not "29 of 34 passes" (a rate of the whole
# game) nor "10 of the Saints' 16 games" (part of a schedule).
_OF_OWN = re.compile(r"\s+(?:out\s+)?of\s+(?:his|her|their)\s+(?:[\w-]+\s+)?", re.I)


def _of_own_total(text: str, found: list[Figure]) -> bool:
    ordered = sorted(found, key=lambda f: f.start)
    return any(_OF_OWN.fullmatch(text, a.end, b.start) for a, b in zip(ordered, ordered[1:]))


_OF_THE = re.compile(r"\s+(?:out\s+)?of\s+(?:(?:the|their|his|her|its|[\w.]+'s?)\s+){0,2}")


# Between the two ends of a range: "between $140 million and $150 million", "$140-$150
# million", "at least $160 million and possibly as much as $180 million", "10 to 12 days".
_RANGE_JOIN = re.compile(r"\s*(?:-|–|to|and|or)\s*(?:possibly\s+|perhaps\s+|even\s+)?"
                         r"(?:(?:as\s+(?:much|many|high|long)\s+as|up\s+to)\s+)?")
# A page timestamp or dateline: a full date with its year ("UPDATED: THURSDAY, MARCH 14,
# 2013", "21 July 2013 Last updated at 11:11 GMT", "Operations restored: 4 November 2011").
_WITH_YEAR = re.compile(r",?\s*(?:\w+\s+\d{1,2},?\s+)?(?:19|20)\d\d\b")
_DATE_WORDS = re.compile(r"\b(?:updated|published|posted|last|at|on|gmt|am|pm|[ap]\.m\.|edt|est|bst|utc)\b", re.I)
TIMESTAMP_WORDS = 7  # a line with fewer other words than this, around a full date, is a timestamp


def _timestamp(text: str, day: Figure) -> bool:
    """Whether a day is a page's timestamp or dateline rather than the day of an act."""
    if not _WITH_YEAR.match(text, day.end):
        return False
    rest = _DATE_WORDS.sub(" ", text[:day.start] + " " + text[day.end:])
    words = [w for w in re.findall(r"[A-Za-z]{2,}", rest) if not DATE_NAME.fullmatch(w)]
    return len(words) < TIMESTAMP_WORDS


def _other_days(mine: list[Figure], theirs: list[Figure]) -> bool:
    """Whether two claims are dated to different days ("on Saturday, more than a dozen people
    were killed" is not "ten people were killed ... on Sunday"): counts of different moments."""
    for kind in {f.slot for f in mine if f.slot.startswith(DAY_SLOTS)}:  # each relation apart: "until Wednesday"
        a = {f.value for f in mine if f.slot == kind}
        b = {f.value for f in theirs if f.slot == kind}
        if a and b and not a & b:
            return True
    return False


# A clock time: "8 p.m.", "8:30 pm", "11:05 a.m."
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d\d))?\s*([ap])\.?\s?m\b\.?", re.I)


def _clock_times(text: str) -> set[tuple[int, int, str]]:
    return {(int(h), int(m or 0), ap.lower()) for h, m, ap in _CLOCK.findall(text)}


def _other_times(first: str, second: str) -> bool:
    """Whether two sentences give clock times and share none ("nearly 100 people set off at
    about 8 p.m." / "more than 200 set off around 8:30 p.m."): counts of different moments."""
    a, b = _clock_times(first), _clock_times(second)
    return bool(a and b and not a & b)


def _by_kind(found: list[Figure]) -> dict[str, list[Figure]]:
    """A claim's counts by what they count, days and tallies aside."""
    out: dict[str, list[Figure]] = defaultdict(list)
    for f in found:
        if not f.slot.startswith(DAY_SLOTS + ("tally", PLACE_SLOT)):
            out[f.slot].append(f)
    return out


MAX_RATIO = 5  # two reports of one count differ by a slip, a rounding or an estimate, not tenfold


def _far_apart(f: Figure, g: Figure) -> bool:
    """Whether two counts are so far apart that they count different things ("£88m" of one
    theft against "£910,000" of another; a career's 6,728 yards against a season's 716)."""
    try:
        a, b = float(f.value), float(g.value)
    except ValueError:
        return False
    return min(a, b) > 0 and max(a, b) / min(a, b) > MAX_RATIO


def _ranges(text: str, found: list[Figure]) -> set[int]:
    """Where the two ends of a range of one kind start ("between 140 and 150 million dollars")."""
    ordered = sorted(found, key=lambda f: f.start)
    out = set()
    for a, b in zip(ordered, ordered[1:]):
        if a.slot == b.slot and _RANGE_JOIN.fullmatch(text, a.end, b.start) \
                and not a.slot.startswith(DAY_SLOTS):
            out |= {a.start, b.start}
    return out


def _parts_of_tallies(text: str, found: list[Figure]) -> set[int]:
    """Where the figures of "29 of 34 passes" (a part and its whole) start."""
    ordered = sorted(found, key=lambda f: f.start)
    out = set()
    for a, b in zip(ordered, ordered[1:]):
        if _OF_THE.fullmatch(text, a.end, b.start):
            out |= {a.start, b.start}
    return out


class SameClaim:
    """Whether two sentences from independent outlets state one claim with different figures.
    With the parser (``roles``): the figures count the same thing in the same role for the
    same subject ("injured two people" / "injuring five people"; not "shooting three" /
    "killed two", nor one player's yards against another's). Where the parse gives no head,
    or without the parser: the words around the two figures share a common word and the
    alignment model pairs the two sentences once their figures are made equal. (Asking the
    model where the parse decides lost half the real conflicts on the ECB+ training topics:
    trained on whole-sentence equivalence, it rejects a claim that shares its sentence with
    others.)"""

    def __init__(self, judge: PairJudge | None, roles: FigureRoles | None):
        self.judge, self.roles = judge, roles

    def first(self, a: list[tuple[Unit, Figure]], b: list[tuple[Unit, Figure]], group_of: dict[str, int],
              around: Callable[[Unit, Figure], set[str]], fits: Callable[[Unit, Unit], bool] = lambda u, x: True):
        """The first pair of statements, one of each value, that state the same claim, if any
        (``fits``: whether the two claims may be one at all)."""
        for u, f in a:
            for x, g in b:
                if group_of[u.article] != group_of[x.article] and fits(u, x) and self._same(u, f, x, g, around):
                    return (u, f), (x, g)
        return None

    def _same(self, u: Unit, f: Figure, x: Unit, g: Figure, around: Callable[[Unit, Figure], set[str]]) -> bool:
        day = f.slot.startswith(DAY_SLOTS + (PLACE_SLOT,))  # a day or a place: what it dates or places
        same: bool | None = None
        if self.roles is not None:
            # x's sentence is parsed with u's figure written in it: the parse of "two rockets"
            # and of "4 rockets" may differ, what the figure counts does not
            role_u, role_x = self.roles.role(*_in_sentence(u, f)), self.roles.role(*_in_sentence(x, g, f.text))
            # A page's dateline ("Thursday, December 11, 2008") dates no act, and the day of a
            # report ("a prosecutor said Friday") is not the day of what it reports (a different
            # head on the other side already fails ``same_claim``); one report may be repeated
            # on another day. Only where two outlets tell a report in nearly the same words is
            # it one report, whose day cannot be two days.
            if day and (role_u.governor is None or role_x.governor is None):
                return False
            if day and role_u.governor in REPORTING_VERBS and not _one_wording(*_in_sentence(u, f),
                                                                                *_in_sentence(x, g, f.text)):
                return False
            same = role_u.same_claim(role_x)
        elif day:
            return False  # a day or a place is compared only where the parse shows the act it is of
        if same is not None:
            return same
        if not around(u, f) & around(x, g):
            return False
        if self.judge is None:
            return True
        equalised = x.text[:g.start] + f.text + x.text[g.end:]
        return bool(self.judge.probabilities([(u.text, equalised)])[0] >= self.judge.threshold)


ONE_WORDING = 0.8  # share of words two sentences have in common when they tell one report in one wording
_WORDS = re.compile(r"\w+")


def _one_wording(first: str, _f: Figure, second: str, _g: Figure) -> bool:
    """Whether two sentences (their figures written alike) are nearly word for word the same."""
    a, b = set(_WORDS.findall(first.lower())), set(_WORDS.findall(second.lower()))
    return bool(a | b) and len(a & b) / len(a | b) >= ONE_WORDING


def _in_sentence(u: Unit, fig: Figure, written: str | None = None) -> tuple[str, Figure]:
    """The whole sentence and the figure in it: what a figure counts is read from the parse
    of its sentence, not of the claim split from it (which may have lost the verb); with
    ``written``, the figure as another outlet writes it is put in its place."""
    sentence, found = u.text, fig
    if u.sentence:
        found_there = figures(u.sentence) + day_references(u.sentence) + place_references(u.sentence, u.places)
        same = [g for g in found_there if (g.slot, g.text) == (fig.slot, fig.text)]
        if same:
            sentence, found = u.sentence, same[0]
    if written is None or written == found.text:
        return sentence, found
    end = found.start + len(written)
    return sentence[:found.start] + written + sentence[found.end:], replace(found, text=written, end=end)
