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

import dataclasses
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
    "spokesperson", "reverend", "rev", "coach", "general secretary", "secretary general",
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
    """Case, accents, hyphens, punctuation, a person's "Jr" and a company's "Inc." do not
    make a different name."""
    name = strip_name(surface, label)
    name = _GENERATION.sub("", name) if label in (None, "PERSON") else _LEGAL_FORM.sub("", name)
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[-‐–_/]", " ", text)
    text = re.sub(r"[^\w\s&]", "", text)
    return " ".join(text.split())


def acronym(key: str) -> str | None:
    words = [w for w in key.split() if w not in _STOP_INITIALS]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


def entity_id(group: str, key: str) -> str:
    return "ent-" + hashlib.sha1(f"{group}|{key}".encode()).hexdigest()[:10]


@dataclass
class EntityIndex:
    """Corpus state for entity merging: every known entity and the keys that find it."""

    entities: dict[str, Entity] = field(default_factory=dict)
    by_key: dict[tuple[str, str], str] = field(default_factory=dict)
    surnames: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    acronyms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
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
        return [StoredEntity(self.entities[eid], dict(self.labels.get(eid, {}))) for eid in sorted(self.changed)]

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
        if entity.label in ACRONYM_LABELS and (acr := acronym(" ".join(full))):
            self.acronyms[acr].add(entity.id)


@dataclass
class _Cluster:
    """Mentions of one name inside one article."""

    group: str
    key: str
    mentions: list[int] = field(default_factory=list)  # indexes into the article's mentions
    labels: Counter = field(default_factory=Counter)
    surfaces: list[str] = field(default_factory=list)


def resolve_analysis(analysis: Analysis, index: EntityIndex) -> Analysis:
    """An article's mentions given their cross-document entities, and its quotes their
    speaker's entity (the corpus step after the per-article map)."""
    if not analysis.analysed:
        return analysis
    mentions = resolve_mentions(analysis.mentions, index)
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
    people = [c for c in clusters.values() if " " in c.key and c.labels.most_common(1)[0][0] == "PERSON"]
    orgs = [c for c in clusters.values() if " " in c.key and c.labels.most_common(1)[0][0] in ACRONYM_LABELS]
    merged: list[_Cluster] = []
    for (_group, key), cluster in clusters.items():
        target = None
        if len(key.split()) <= 2:
            # A surname (whatever spaCy labelled it) joins the one longer name ending with it.
            owners = [p for p in people if p.key.endswith(" " + key)]
            if len(owners) == 1:
                target = owners[0]
        if target is None and " " not in key:
            owners = [o for o in orgs if acronym(o.key) == key]
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
    is_person = cluster.labels.most_common(1)[0][0] == "PERSON"
    if eid is None and (is_person or len(words) == 1):
        eid = _person_variant(words, index)
    if eid is None and len(words) == 1:
        owners = index.acronyms.get(key, set())
        eid = next(iter(owners)) if len(owners) == 1 else None
    surfaces = tuple(dict.fromkeys(display_alias(s) for s in cluster.surfaces))
    top_label = cluster.labels.most_common(1)[0][0]
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
        better = name if len(name.split()) > len(old.name.split()) and label == "PERSON" else old.name
        aliases = tuple(dict.fromkeys(old.aliases + surfaces))
        entity = Entity(eid, better, label, aliases)
    index.add(entity, (key,), counts)
    index.changed.add(eid)
    return eid


def _person_variant(words: list[str], index: EntityIndex) -> str | None:
    """A known person this partial name stands for: surname only, or initial plus surname."""
    if len(words) <= 2:
        # A surname, single or double ("okonjo hale" for Marguerite Okonjo-Hale).
        owners = index.surnames.get(" ".join(words), set())
        if len(owners) == 1:
            return next(iter(owners))
    if len(words) == 2 and len(words[0]) == 1:
        owners = {o for o in index.surnames.get(words[1], set())
                  if name_key(index.entities[o].name, "PERSON").startswith(words[0])}
        return next(iter(owners)) if len(owners) == 1 else None
    if len(words) >= 2:
        # A full name whose surname was known alone so far: that entity gets the full name.
        surname_only = index.by_key.get(("*", words[-1]))
        known = index.entities.get(surname_only) if surname_only else None
        # Only a one-word person: "George Washington" is not the city, "Tim Scott" not "Scott Ltd".
        if known and known.label == "PERSON" and len(name_key(known.name, "PERSON").split()) == 1:
            return surname_only
    return None
