"""Entities: one entity per real-world name across articles, name variants merged.

Within an article, a surname ("Okonjo-Hale", "Chief Okonjo-Hale", "Ms Ferrante") joins the
full name it abbreviates, and an acronym ("CCUV") joins the organisation whose initials it
spells. Across articles, names meet in an ``EntityIndex`` (the corpus state, loaded from the
store and handed back to it): exact normalised names, then a surname shared by exactly one
known person, then an initial plus surname ("L. Ferrante").

Hand-written: spaCy links no entities across documents without a knowledge base, and
coreference libraries need GPU-sized models.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Analysis, Entity, Mention, Quote, StoredEntity

# Titles dropped from the front of names before matching. These never begin the name of an
# organisation or a place, whatever the label:
TITLES = (
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "mayor", "deputy mayor",
    "chief", "fire chief", "deputy chief", "police chief", "chief executive", "councillor", "councilor",
    "senator", "sen", "rep", "gov", "governor", "judge", "officer", "inspector", "detective", "captain",
    "capt", "sgt", "sergeant", "lt", "col", "ceo", "chairman", "chairwoman", "spokesman", "spokeswoman",
    "spokesperson", "reverend", "rev", "coach", "general secretary", "secretary general", "deputy", "sheriff",
    "trooper", "constable", "district attorney",
)
# These do ("General Motors", "St Louis", "Justice Department"): dropped from people's names only.
PERSON_TITLES = (
    "lord", "lady", "president", "vice president", "prime minister", "minister", "justice", "gen", "general",
    "pope", "king", "queen", "prince", "princess", "chancellor", "chair", "secretary", "commissioner",
    "superintendent", "father", "st", "saint", "director", "speaker",
)


def _title_pattern(titles) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(t) for t in titles), key=len, reverse=True))
    # Never before "of": "Prime Minister of Canada" is not a man called "of Canada".
    return re.compile(rf"^(?:(?:{alternatives})\.?\s+(?!of\b))+", re.I)


_TITLE_RE = _title_pattern(TITLES)
_ANY_TITLE_RE = _title_pattern(TITLES + PERSON_TITLES)
_GENERATION = re.compile(r",?\s+(?:jr|sr|ii|iii|iv)\.?$", re.I)
_LEGAL_FORM = re.compile(r",?\s+(?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|plc|gmbh|ag)\.?$", re.I)
# British and American spellings of the words names are made of (no library maps them;
# "-isation" is a rule below).
_AMERICAN = {"centre": "center", "centres": "centers", "theatre": "theater", "defence": "defense",
             "labour": "labor", "harbour": "harbor", "honour": "honor", "colour": "color", "programme": "program",
             "metre": "meter", "licence": "license", "offence": "offense", "neighbourhood": "neighborhood",
             "catalogue": "catalog", "favour": "favor", "behaviour": "behavior", "jewellery": "jewelry"}
_ISATION = re.compile(r"(?<=[a-z]{3})is(?=ations?$)")
# Short forms of the countries news abbreviates ("US", "U.S." and "USA" are one country).
_COUNTRY_FORMS = {"us": "united states", "usa": "united states", "united states of america": "united states",
                  "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
                  "uae": "united arab emirates", "drc": "democratic republic of the congo",
                  "prc": "china", "peoples republic of china": "china"}
ACRONYM_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP"})
_STOP_INITIALS = {"of", "the", "and", "for", "de", "la", "du", "des", "&", "in", "on"}
# The last word of a name often says what it is, whatever the small NER model thought.
_PLACE_WORDS = {"road", "street", "lane", "row", "square", "avenue", "heath", "bridge", "airport", "station",
                "harbour", "harbor", "park", "drive", "way", "quay", "hill", "valley", "river", "district"}
_ORG_WORDS = {"textiles", "logistics", "airways", "airlines", "service", "services", "council", "union", "rail",
              "news", "post", "courier", "ledger", "sentinel", "times", "ltd", "inc", "group", "company", "party",
              "alliance", "ministry", "department", "association", "committee", "bank", "university", "hospital",
              "coaches", "agency", "corporation", "foundation", "police", "court", "school"}


def shape_label(name: str, label: str) -> str:
    """ORG or FAC when the name's last word says so ("Quayside Road", "Dunmore Textiles")."""
    words = name_key(name).split()
    if len(words) < 2:
        return label
    if words[-1] in _ORG_WORDS:
        return "ORG"
    if words[-1] in _PLACE_WORDS and label in ("PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART"):
        return "FAC"
    return label


def key_group(label: str, key: str) -> str:
    """Names are matched whatever spaCy labelled them: the small model calls one town GPE,
    ORG or PERSON from sentence to sentence, far more often than one name really stands for
    two different things in the same corpus. The label shown is the majority one."""
    return "*"


def display_alias(surface: str) -> str:
    """A surface form as shown among an entity's aliases: no leading article or possessive."""
    return re.sub(r"['’]s$", "", re.sub(r"^the\s+", "", surface.strip(), flags=re.I))


def strip_name(surface: str, label: str | None = None) -> str:
    """The name without leading article, titles or possessive (people's titles only for
    people: "General Motors" keeps its "General")."""
    name = surface.strip()
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    name = re.sub(r"['’]s$", "", name)
    stripped = (_ANY_TITLE_RE if label == "PERSON" else _TITLE_RE).sub("", name)
    return stripped if stripped else name


def name_key(surface: str, label: str | None = None) -> str:
    """Case, accents, hyphens, punctuation, British or American spelling, a person's "Jr"
    and a company's "Inc." do not make a different name; a country's short forms are its name."""
    name = strip_name(surface, label)
    name = _GENERATION.sub("", name) if label in (None, "PERSON") else _LEGAL_FORM.sub("", name)
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[-‐–_/]", " ", text)
    text = re.sub(r"[^\w\s&]", "", text)
    words = [_AMERICAN.get(w, w) for w in text.split()]
    key = " ".join(_ISATION.sub("iz", w) for w in words)
    return _COUNTRY_FORMS.get(key, key)


def acronym(key: str) -> str | None:
    words = [w for w in key.split() if w not in _STOP_INITIALS]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


def entity_id(group: str, key: str) -> str:
    return "ent-" + hashlib.sha1(f"{group}|{key}".encode()).hexdigest()[:10]


PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_OTHER_LABELS = frozenset({"ORG", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
COMMON_ZIPF = 4.5  # a word this frequent in English ("house", "west") is a common noun first


@functools.lru_cache(maxsize=65536)
def is_common_word(word: str) -> bool:
    """A word readers meet daily as a common noun: alone it never names a person or joins a
    longer name by ending it ("House" is not Robert House, "the West" not Steve West)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= COMMON_ZIPF


def affixes(key: str) -> list[str]:
    """A multi-word name's shorter forms that keep its first or its last words ("ford" of
    "ford motor company", "saints" of "new orleans saints"), never a bare number."""
    words = key.split()
    out = [" ".join(words[:i]) for i in range(1, len(words))] + [" ".join(words[i:]) for i in range(1, len(words))]
    return [a for a in out if not a.replace(" ", "").isdigit() and a not in _STOP_INITIALS]


_NUMBERED = re.compile(r"^(?:\d+|[ivx]+)$")


def _numbered(long: str, short: str) -> bool:
    """The longer name adds a number to the shorter: another thing ("Catching Fire 2")."""
    rest = long[len(short):] if long.startswith(short) else long[:len(long) - len(short)]
    return any(_NUMBERED.match(w) for w in rest.split())


def _same_word(a: str, b: str) -> bool:
    """One name word for another: equal, an initial of it, or a patronymic form
    ("ukhnaa" / "ukhnaagiin")."""
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 4


def _same_given(a: str, b: str) -> bool:
    """One given name for another beside the same family name: also its short form
    ("fred" / "frederick")."""
    short, long = sorted((a, b), key=len)
    return _same_word(a, b) or (len(short) >= 3 and long.startswith(short))


def same_person(a: list[str], b: list[str]) -> bool:
    """Two full names of one person: the same family name and given names that agree
    ("mark felt" / "w mark felt"), or the same two names in the other order, possibly with a
    patronymic form ("khurelsukh ukhnaa" / "ukhnaagiin khurelsukh")."""
    if len(a) == 2 and len(b) == 2 and _same_word(a[0], b[1]) and _same_word(a[1], b[0]):
        return True
    if a[-1] != b[-1]:
        return False
    short, long = sorted((a[:-1], b[:-1]), key=len)
    position = 0
    for word in short:  # every given name of the shorter form appears, in order, in the longer
        while position < len(long) and not _same_given(word, long[position]):
            position += 1
        if position == len(long):
            return False
        position += 1
    return True


def _shown(entity: Entity) -> Entity:
    """The entity under its fullest name: an organisation first seen by a short form is
    shown by the longest alias that extends it ("Cabin Crew Union of Valdria"). The index
    keeps matching by the name it was first known by."""
    if entity.label == "PERSON":
        return entity
    key = name_key(entity.name)
    longer = [a for a in entity.aliases if name_key(a).startswith(key + " ") and a[:1].isupper()]
    return dataclasses.replace(entity, name=max(longer, key=len)) if longer else entity


@dataclass
class EntityIndex:
    """Corpus state for entity merging: every known entity and the keys that find it."""

    entities: dict[str, Entity] = field(default_factory=dict)
    by_key: dict[tuple[str, str], str] = field(default_factory=dict)
    surnames: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    given: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # a person's first word
    person_words: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    acronyms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    shorter: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # affix -> longer names
    labels: dict[str, Counter] = field(default_factory=dict)  # mentions per spaCy label, per entity
    changed: set[str] = field(default_factory=set)  # ids added or updated since loading

    @classmethod
    def from_stored(cls, stored: Iterable[StoredEntity]) -> EntityIndex:
        """The index over the entities a store holds (nothing changed yet)."""
        index = cls()
        for s in stored:
            index.add(s.entity, labels=Counter(s.label_counts))
        return index

    def changed_entities(self) -> list[StoredEntity]:
        """The entities added or updated since loading, for the store to keep."""
        return [StoredEntity(_shown(self.entities[eid]), dict(self.labels.get(eid, {}))) for eid in sorted(self.changed)]

    def add(self, entity: Entity, keys: tuple[str, ...] = (), labels: Counter | None = None) -> None:
        """Register an entity and every name key that should find it."""
        self.entities[entity.id] = entity
        if labels is not None:
            self.labels[entity.id] = labels
        for key in {name_key(entity.name, entity.label), *keys, *(name_key(a, entity.label) for a in entity.aliases)}:
            if key:
                self.by_key.setdefault((key_group(entity.label, key), key), entity.id)
        full = name_key(entity.name, entity.label).split()
        if entity.label == "PERSON" and len(full) >= 2:
            self.surnames[full[-1]].add(entity.id)
            if len(full) >= 3:
                self.surnames[" ".join(full[-2:])].add(entity.id)
            self.given[full[0]].add(entity.id)
            for word in full:
                self.person_words[word].add(entity.id)
        if entity.label in ACRONYM_LABELS and (acr := acronym(" ".join(full))):
            self.acronyms[acr].add(entity.id)
        if entity.label in _OTHER_LABELS and len(full) >= 2:
            for short in affixes(" ".join(full)):
                self.shorter[short].add(entity.id)

    def label_of(self, eid: str) -> str:
        counts = self.labels.get(eid)
        return counts.most_common(1)[0][0] if counts else self.entities[eid].label


@dataclass
class _Cluster:
    """Mentions of one name inside one article."""

    group: str
    key: str
    mentions: list[int] = field(default_factory=list)  # indexes into the article's mentions
    labels: Counter = field(default_factory=Counter)
    surfaces: list[str] = field(default_factory=list)


def resolve_analysis(analysis: Analysis, index: EntityIndex, text: str | None = None) -> Analysis:
    """An article's mentions given their cross-document entities, and its quotes their
    speaker's entity (the corpus step after the per-article map). With the article's
    ``text``, the names the NER missed are found first (``recover_mentions``)."""
    if not analysis.analysed:
        return analysis
    found = recover_mentions(text, analysis.mentions, index) if text is not None else analysis.mentions
    mentions = resolve_mentions(found, index)
    quotes = tuple(
        dataclasses.replace(q, speaker_entity=speaker_entity(q, mentions)) if q.speaker is not None else q
        for q in analysis.quotes
    )
    return dataclasses.replace(analysis, mentions=mentions, quotes=quotes)


def speaker_entity(quote: Quote, mentions: tuple[Mention, ...]) -> str | None:
    """The entity of the mention the quote's speaker is; a name the NER missed ("Petrakis")
    takes the entity of a mention of the same article that ends with it ("Rosalind Petrakis")."""
    for m in mentions:
        if (m.start, m.end) == (quote.speaker_start, quote.speaker_end):
            return m.entity
    key = name_key(quote.speaker or "")
    owners = {m.entity for m in mentions if m.entity and (name_key(m.text) == key or name_key(m.text).endswith(" " + key))}
    return owners.pop() if len(owners) == 1 else None


_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’.&-]*(?:[ \t]+[A-Z][\w'’.&-]*)*")
MAX_RUN_WORDS = 5


def _known_forms(mentions: tuple[Mention, ...], index: EntityIndex) -> dict[str, str]:
    """Name keys that certainly name one entity, with its label: the article's own names
    (and its people's family names), and the names the index knows of one entity only."""
    forms: dict[str, str] = {}
    for m in mentions:
        key = name_key(m.text, m.label)
        if len(key) >= 2:
            forms.setdefault(key, m.label)
            if m.label == "PERSON" and " " in key:
                forms.setdefault(key.split()[-1], "PERSON")
    return forms


def _is_known(key: str, forms: dict[str, str], index: EntityIndex) -> str | None:
    """The label of the known name this key is, or None."""
    if key in forms:
        return forms[key]
    eid = index.by_key.get(("*", key))
    if eid is not None and len(index.surnames.get(key, ())) <= 1:
        return index.label_of(eid)
    owners = index.surnames.get(key, set())
    if len(owners) == 1:
        return "PERSON"
    return None


def _mid_sentence(text: str, start: int) -> bool:
    """Whether a word at ``start`` follows other words of its sentence."""
    before = text[max(0, start - 3):start].rstrip(" \t")
    return bool(before) and before[-1] not in ".!?:\n\"“”'‘’"


def recover_mentions(text: str, mentions: tuple[Mention, ...], index: EntityIndex) -> tuple[Mention, ...]:
    """The mentions plus the occurrences of known names the NER missed ("Colts" found twice,
    missed five times): capitalised words outside any mention whose name key is one the
    article or the index knows for one entity. A lone common word ("House", "West") is never
    taken, nor a word a sentence starts with that is not known in its own case."""
    forms = _known_forms(mentions, index)
    taken = sorted((m.start, m.end) for m in mentions)
    starts = [a for a, _ in taken]
    found = list(mentions)
    for run in _CAPITALISED_RUN.finditer(text):
        i = bisect.bisect_right(starts, run.end()) - 1
        if i >= 0 and taken[i][1] > run.start():
            continue  # overlaps a mention the NER found: its span stands
        words = [(w.start(), w.end()) for w in re.finditer(r"\S+", run.group())][:MAX_RUN_WORDS]
        position = 0
        while position < len(words):
            for last in range(len(words) - 1, position - 1, -1):
                start, end = run.start() + words[position][0], run.start() + words[last][1]
                surface = text[start:end].rstrip(".,;:'’")
                key = name_key(surface)
                if not key or len(key) < 3:
                    continue
                if position == last and not _mid_sentence(text, start) and key not in forms:
                    continue  # a sentence's first word is capitalised whatever it is
                if position == last and is_common_word(key) and not (
                        forms.get(key) == "PERSON" and _mid_sentence(text, start)):
                    continue  # "Gray" is Kimani Gray's name mid-sentence, a colour elsewhere
                label = _is_known(key, forms, index)
                if label is not None:
                    found.append(Mention(surface, start, start + len(surface), label))
                    position = last
                    break
            position += 1
    return tuple(sorted(found, key=lambda m: (m.start, m.end)))


def resolve_mentions(mentions: tuple[Mention, ...], index: EntityIndex) -> tuple[Mention, ...]:
    """Give every mention its cross-document entity id, updating ``index`` in place."""
    clusters = _cluster_in_article(mentions)
    ids: dict[int, str] = {}
    for cluster in clusters:
        eid = _find_or_create(cluster, index)
        for i in cluster.mentions:
            ids[i] = eid
    return tuple(
        Mention(m.text, m.start, m.end, m.label, ids.get(i)) for i, m in enumerate(mentions)
    )


def _top(labels: Counter) -> str:
    return labels.most_common(1)[0][0]


def _may_be_person(key: str, labels: Counter) -> bool:
    """A one-word name that may stand for a person's name: spaCy says so, or the word is no
    common noun and spaCy does not mostly call it a place."""
    if " " in key:
        return True
    if _top(labels) == "PERSON" or labels["PERSON"] * 2 >= sum(labels.values()):
        return True
    return not is_common_word(key) and _top(labels) not in PLACE_LABELS


def _may_shorten(key: str, labels: Counter, suffix: bool) -> bool:
    """A short name that may stand for a longer organisation or work ending or starting with
    it: not a person or a place by spaCy's majority, and not a common noun at the end
    ("Saints" of "New Orleans Saints", never "House" of "White House")."""
    if _top(labels) == "PERSON" or _top(labels) in PLACE_LABELS:
        return False
    return not (suffix and " " not in key and is_common_word(key))


def _cluster_in_article(mentions: tuple[Mention, ...]) -> list[_Cluster]:
    clusters: dict[tuple[str, str], _Cluster] = {}
    for i, m in enumerate(mentions):
        key = name_key(m.text, m.label)
        if not key or len(key) < 2:
            continue
        group = key_group(m.label, key)
        cluster = clusters.setdefault((group, key), _Cluster(group, key))
        cluster.mentions.append(i)
        cluster.labels[m.label] += 1
        cluster.surfaces.append(m.text)
    people = [c for c in clusters.values() if " " in c.key and _top(c.labels) == "PERSON"]
    orgs = [c for c in clusters.values() if " " in c.key and _top(c.labels) in ACRONYM_LABELS]
    others = [c for c in clusters.values() if " " in c.key and _top(c.labels) in _OTHER_LABELS]
    merged: list[_Cluster] = []
    for (_group, key), cluster in clusters.items():
        target = None
        if len(key.split()) <= 2 and _may_be_person(key, cluster.labels):
            # A surname joins the one longer name ending with it; a one-word name that ends
            # none, the one starting with it (a family name written first: "Xi" of "Xi Jinping").
            owners = [p for p in people if p.key.endswith(" " + key)]
            if not owners and " " not in key:
                owners = [p for p in people if p.key.startswith(key + " ")]
            if len(owners) == 1:
                target = owners[0]
        if target is None and " " not in key:
            owners = [o for o in orgs if acronym(o.key) == key]
            if len(owners) == 1:
                target = owners[0]
        if target is None and len(key.split()) <= 2:
            owners = [o for o in others if o is not cluster and not _numbered(o.key, key) and (
                (o.key.startswith(key + " ") and _may_shorten(key, cluster.labels, suffix=False))
                or (o.key.endswith(" " + key) and _may_shorten(key, cluster.labels, suffix=True)))]
            if len(owners) == 1:
                target = owners[0]
        if target is not None and target is not cluster:
            target.mentions.extend(cluster.mentions)
            target.surfaces.extend(cluster.surfaces)
            target.labels.update({label: 0 for label in cluster.labels})
            continue
        merged.append(cluster)
    return merged


def _find_or_create(cluster: _Cluster, index: EntityIndex) -> str:
    group, key = cluster.group, cluster.key
    words = key.split()
    if len(index.surnames.get(key, ())) > 1:
        # A surname shared by several known people names none of them.
        group = "?"
    eid = index.by_key.get((group, key))
    top_label = _top(cluster.labels)
    if eid is None and (top_label == "PERSON" or (len(words) == 1 and _may_be_person(key, cluster.labels))):
        eid = _person_variant(words, index)
    if eid is None and len(words) == 1:
        owners = index.acronyms.get(key, set())
        eid = next(iter(owners)) if len(owners) == 1 else None
    if eid is None and len(words) >= 2 and top_label in ACRONYM_LABELS and (acr := acronym(key)):
        # The organisation whose initials were seen alone before ("SCO", then its full name).
        known = index.by_key.get(("*", acr))
        if known and not index.acronyms.get(acr) and index.label_of(known) in ACRONYM_LABELS:
            eid = known
    if eid is None:
        eid = _shorter_variant(key, cluster.labels, index)
    surfaces = tuple(dict.fromkeys(display_alias(s) for s in cluster.surfaces))
    name = max((strip_name(s, top_label) for s in surfaces), key=lambda s: (len(s.split()), len(s)))
    counts = Counter(index.labels.get(eid, Counter())) if eid else Counter()
    counts.update(cluster.labels)
    label = shape_label(name, counts.most_common(1)[0][0])
    places = counts["GPE"] + counts["LOC"]
    if label == "PERSON" and " " not in name and places >= 0.2 * sum(counts.values()):
        label = "GPE"  # a one-word "person" that is also called a place is a town spaCy half-knows
    if eid is None:
        eid = entity_id(group, key)
        if eid in index.entities:  # same key seen under another label group
            eid = entity_id(group + "#", key)
        entity = Entity(eid, name, label, surfaces)
    else:
        old = index.entities[eid]
        longer = len(name.split()) > len(old.name.split())
        # A person's full name, an organisation's full form ("Ford" becomes "Ford Motor Company").
        better = name if longer and label == "PERSON" else old.name
        aliases = tuple(dict.fromkeys(old.aliases + surfaces))
        entity = Entity(eid, better, label, aliases)
    index.add(entity, (key,), counts)
    index.changed.add(eid)
    return eid


def _shorter_variant(key: str, labels: Counter, index: EntityIndex) -> str | None:
    """An organisation or work known by a longer or a shorter form of this name: the one
    longer name starting or ending with it, or the one shorter name this one extends and no
    other known name does ("Ford", then "Ford Motor Company")."""
    if _top(labels) not in _OTHER_LABELS and _top(labels) != "NORP":
        return None
    words = key.split()
    if len(words) <= 2:
        owners = index.shorter.get(key, set())
        first = next(iter(owners), None)
        if len(owners) == 1 and first is not None and not _numbered(name_key(index.entities[first].name), key):
            suffix = not name_key(index.entities[first].name).startswith(key + " ")
            if _may_shorten(key, labels, suffix):
                return first
    if len(words) >= 2:
        for short in sorted(affixes(key), key=len, reverse=True):
            known = index.by_key.get(("*", short))
            if (known is None or index.shorter.get(short) or index.label_of(known) not in _OTHER_LABELS
                    or _numbered(key, short)):
                continue
            suffix = key.endswith(" " + short)
            if _may_shorten(short, index.labels.get(known) or Counter({index.entities[known].label: 1}), suffix):
                return known
    return None


def _person_variant(words: list[str], index: EntityIndex) -> str | None:
    """A known person this partial or other form of a name stands for: surname only, a
    family name written first, initial plus surname, the same full name with given names
    left out or in the other order."""
    if len(words) <= 2:
        # A surname, single or double ("okonjo hale" for Marguerite Okonjo-Hale).
        owners = index.surnames.get(" ".join(words), set())
        if len(owners) == 1:
            return next(iter(owners))
        if len(words) == 1 and not owners:
            owners = index.given.get(words[0], set())
            if len(owners) == 1:
                return next(iter(owners))
    if len(words) == 2 and len(words[0]) == 1:
        owners = {o for o in index.surnames.get(words[1], set())
                  if name_key(index.entities[o].name, "PERSON").startswith(words[0])}
        return next(iter(owners)) if len(owners) == 1 else None
    if len(words) >= 2:
        candidates = set().union(*(index.person_words.get(w, set()) for w in words))
        same = {c for c in candidates if same_person(words, name_key(index.entities[c].name, "PERSON").split())}
        if len(same) == 1:
            return next(iter(same))
        # A full name whose surname was known alone so far: that entity gets the full name.
        surname_only = index.by_key.get(("*", words[-1]))
        known = index.entities.get(surname_only) if surname_only else None
        # Only a one-word name that may be a person's: "George Washington" is not the city,
        # "Tim Scott" not "Scott Ltd", "Robert House" not the House.
        if (known and surname_only and len(name_key(known.name, "PERSON").split()) == 1
                and not index.surnames.get(words[-1])
                and _may_be_person(words[-1], index.labels.get(surname_only) or Counter({known.label: 1}))
                and index.label_of(surname_only) not in ACRONYM_LABELS - {"NORP"}):
            return surname_only
    return None
