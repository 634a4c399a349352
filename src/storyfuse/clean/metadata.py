"""Metadata of an article: title, author, outlet; language, timestamps and plain values.

``html.page_signals`` reads what a page says about itself (meta tags, JSON-LD, microdata,
the byline, the title, the logo and copyright line); ``resolve_metadata`` decides here, from
strings only (the publication time is decided in ``html.publication_time``, from the page):

- **author**: people's names or nothing. Several names are joined with ``AUTHOR_SEPARATOR``
  ("; ", the separator trafilatura-eval records use). Dropped: placeholders ("Redaktion",
  "Admin", "No Author"), organisations and the site's own name, wire agencies, e-mail
  addresses, URLs, and what follows a name: roles, dates, affiliations ("Jane Doe,
  Reporter", "… for The Daily Planet", "… 3 March 2026").
- **source** (the outlet): the name the page's signals agree on (og:site_name, the JSON-LD
  publisher or website, application-name, and, when it recurs in the domain or another
  signal, the ``<title>``'s affix, the logo's text or the copyright holder), else the page's
  registered domain. Never the article's title.
- **title**: the headline (the ``<h1>`` the title metadata agrees with) without the site's
  name before or after it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import py3langid

from .text import normalize

AUTHOR_SEPARATOR = "; "


def detect_language(text: str) -> str:
    return py3langid.classify(text[:5000])[0]


def normalize_timestamp(value: str | None) -> str | None:
    """ISO 8601 as given when it parses; a bare date stays a date (no invented midnight);
    anything dateparser cannot read is dropped."""
    if not value:
        return None
    value = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value).isoformat()
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        import dateparser  # imported here: slow to import and rarely needed

        parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first"})
        if parsed is None:
            return None
        has_time = re.search(r"\d{1,2}[:.h]\d{2}|\b\d{1,2}\s*(am|pm|a\.m\.|p\.m\.)", value, re.I)
        return parsed.isoformat() if has_time else parsed.date().isoformat()


def clean_field(value: str | None) -> str | None:
    if value is None:
        return None
    value = normalize(str(value)).replace("\n", " ").strip()
    return value or None


# --- records --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None = None
    author: str | None = None  # names joined with AUTHOR_SEPARATOR
    source: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601: a date, or a full timestamp when the page gives one


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What a page says about itself, as read by ``html.page_signals``."""

    url: str | None = None  # the page's own URL: og:url, the canonical link, else the one given
    domain: str | None = None  # its registered domain ("bbc.co.uk"), an archived copy's original's
    host: str | None = None  # its host name ("www.bbc.co.uk")
    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-cased name/property → contents
    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)
    ld_headline: str | None = None  # JSON-LD: the article's headline
    ld_authors: list[str] = field(default_factory=list)  # the article's authors that are people
    ld_people: list[str] = field(default_factory=list)  # every Person node's name
    ld_publishers: list[str] = field(default_factory=list)  # the article's publisher (not a person)
    ld_sites: list[str] = field(default_factory=list)  # WebSite and Organization names
    ld_published: list[str] = field(default_factory=list)  # the article's datePublished, dateCreated
    itemprop_authors: list[str] = field(default_factory=list)
    bylines: list[tuple[str, int]] = field(default_factory=list)  # (text, 0 specific … 2 generic XPath)
    times: list[tuple[str, str]] = field(default_factory=list)  # (value, "published"|"modified"|"elsewhere"|"plain")
    datelines: list[str] = field(default_factory=list)  # short texts around the headline
    date_texts: list[str] = field(default_factory=list)  # short texts with a digit, from the headline on
    brands: list[str] = field(default_factory=list)  # the logo's alt text, the footer's copyright holder
    htmldate: str | None = None  # htmldate.find_date, extensive_search=False


def resolve_metadata(s: PageSignals) -> PageMetadata:
    domain = s.domain
    named = _named_sites(s)
    headline = _headline(s, [n for n, _ in named], domain)
    affix = _title_affix(s.title_tag or "", headline)
    candidates = named + [(a, _WEIGHTS["title"]) for a in affix]
    brands = [(b, _WEIGHTS["brand"]) for b in s.brands]
    source = choose_outlet(candidates + brands, headline, domain, s.host)
    # the site's own names (not logo texts or copyright holders, often the author of a blog)
    names = [n for n in [source, *(n for n, _ in candidates)] if n]
    title = strip_site(headline, names, domain) if headline else None
    author = _author(s, names, domain)
    return PageMetadata(title=title, author=author, source=source, url=s.url)


# --- plain-text helpers ---------------------------------------------------------------------

def squash(text: str) -> str:
    """Letters and digits only, case and accents folded: "ZEIT ONLINE" == "Zeit-Online"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isalnum())


def _unescape(value: str) -> str:
    value = html.unescape(html.unescape(value))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value)).strip()


_GENERIC_HOSTS = frozenset("www www2 m amp mobile blog blogs news de en fr es it web home app".split())


def _host_labels(host: str | None, domain: str | None) -> list[str]:
    """The names in a page's address: ``blog.example-times.co.uk`` → ["example-times"] (and a
    telling subdomain such as "seglerblog" in ``seglerblog.example.de``)."""
    if not domain:
        return []
    from tld import get_tld

    suffix = get_tld("http://" + domain, fail_silently=True)
    base = domain[: -len(suffix) - 1] if isinstance(suffix, str) and domain.endswith("." + suffix) else domain.split(".")[0]
    subs = (host or "").removesuffix(domain).strip(".").split(".")
    return [base] + [p for p in subs if len(p) >= 5 and p not in _GENERIC_HOSTS]


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _matches_domain(name: str, labels: list[str]) -> bool:
    """A site name the page's address spells: "Example Times" on example-times.de,
    "Schöne Grüße" on schoene-gruesse.de, "Example Blog" on example-blog.de, "ET" on et.com."""
    words = {squash(w) for w in re.findall(r"[^\W_]+", name.translate(_TRANSLIT))}
    for label in labels:
        key = squash(label)
        if _same_site(name, key) or _same_site(name.translate(_TRANSLIT), key):
            return True
        if len(key) >= 5 and squash(name.translate(_TRANSLIT)).startswith(key):
            return True  # "Example Weekly for Farmers" on exampleweekly.de
        parts = [squash(p) for p in label.split("-") if len(p) >= 3]
        if len(parts) >= 2 and all(p in words for p in parts):
            return True  # "Hertha BSC Blog" on hertha-blog.de
    return False


def _domain_label(domain: str | None) -> str:
    """``bbc.co.uk`` → ``bbc``."""
    if not domain:
        return ""
    from tld import get_tld

    suffix = get_tld("http://" + domain, fail_silently=True)
    base = domain[: -len(suffix) - 1] if isinstance(suffix, str) and domain.endswith("." + suffix) else domain.split(".")[0]
    return squash(base)


# A domain written as a name ("www.example.com", "example.de/news").
_DOMAIN_LIKE = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}(?:/\S*)?$", re.I)
_URLISH = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")


def is_domain_like(text: str) -> bool:
    """"example.com", "www.example.co.uk/news"; not "Isabella.DiBiase" (no such suffix)."""
    text = text.strip()
    if not _DOMAIN_LIKE.match(text):
        return False
    from tld import get_tld

    host = re.sub(r"^(?:https?://)?", "", text).split("/")[0]
    return isinstance(get_tld("http://" + host.lower(), fail_silently=True), str)


# --- titles ---------------------------------------------------------------------------------

# Separators between a headline and a site name; hyphens only with spaces around them.
_AFFIX_SEP = re.compile(r"\s+(?:[|·•»«/:~]|::|//|[-–—]{1,2})\s+|\s*[|•»«]\s*")


def _title_parts(title: str) -> list[str]:
    return [p for p in _AFFIX_SEP.split(title) if p and p.strip()]


def _matches_site(part: str, names: Iterable[str], domain: str | None) -> bool:
    key = squash(part)
    if not key:
        return False
    label = _domain_label(domain)
    if domain and (key == squash(domain) or key == label):
        return True
    if label and len(label) >= 5 and label in key and (is_domain_like(part) or len(label) / len(key) >= 0.5):
        return True  # "example.com", "Example Blog" on example.com
    for name in names:
        other = squash(name)
        if other and (key == other or (len(other) >= 4 and (key.startswith(other) or other.startswith(key)) and
                                        min(len(key), len(other)) / max(len(key), len(other)) >= 0.5)):
            return True
    return False


def strip_site(title: str, names: Iterable[str], domain: str | None = None) -> str:
    """"Headline | Site", "Site - Headline", "Headline – Site" → "Headline" (site from names or domain)."""
    names = [n for n in names if n]
    title = _unescape(title)
    for _ in range(2):  # "Headline - Section | Site": the site, then a site-named section
        parts = list(_AFFIX_SEP.finditer(title))
        if not parts:
            break
        first, last = parts[0], parts[-1]
        tail, head = title[last.end():], title[: first.start()]
        if _matches_site(tail, names, domain) and title[: last.start()].strip():
            title = title[: last.start()].strip()
        elif _matches_site(head, names, domain) and title[first.end():].strip():
            title = title[first.end():].strip()
        else:
            break
    return title


def _headline(s: PageSignals, sites: list[str], domain: str | None) -> str | None:
    """The article's headline: the page's ``<h1>`` that the title metadata agrees with, else
    its first ``<h1>``, else og:title, the JSON-LD headline or the ``<title>`` (site names off).
    An ``<h1>`` that is the site's name (a logo) is not a headline."""
    og = _first(s.meta, "og:title", "twitter:title")
    ld = _unescape(s.ld_headline) if s.ld_headline else None
    tag = _unescape(s.title_tag) if s.title_tag else None
    references = [strip_site(r, sites, domain) for r in (og, ld, tag) if r and 3 <= len(r) <= 300]
    h1s = [h for h in s.h1[:8] if 3 <= len(h) <= 300 and not _matches_site(h, sites, domain)]
    if h1s and references:
        best = max(h1s, key=lambda h: max(_agreement(h, r) for r in references))
        if max(_agreement(best, r) for r in references) >= 0.5:
            # an <h1> holding a reference whole has a kicker or a byline in it: the shorter text
            inside = [r for r in references if squash(r) in squash(best) and len(squash(r)) < len(squash(best))]
            return min(inside, key=len) if inside else best
    # no <h1> agrees: the first one that reads like a headline, not a section name ("News")
    headlike = [h for h in h1s if len(h.split()) >= 3] if references else h1s
    if headlike:
        return headlike[0]
    return references[0] if references else None


def _agreement(a: str, b: str) -> float:
    """1 when one text holds the other, else the share of words they have in common."""
    ka, kb = squash(a), squash(b)
    if not ka or not kb:
        return 0.0
    if ka in kb or kb in ka:
        return 1.0
    wa, wb = set(re.findall(r"[^\W_]+", a.casefold())), set(re.findall(r"[^\W_]+", b.casefold()))
    return len(wa & wb) / max(1, len(wa | wb))


# --- outlets --------------------------------------------------------------------------------

_PLATFORMS = frozenset(squash(p) for p in """wordpress blogger blogspot facebook twitter instagram youtube tumblr
medium wix squarespace jimdo weebly home startseite homepage website webseite blog news index page""".split())


# How much each kind of signal counts towards a site name (choose_outlet adds them up).
# A name only weak signals give (a title affix, a logo text, a copyright holder: each may be a
# kicker, a partner or a company) must recur: match the domain or another signal. A Twitter
# handle only helps to strip the site's name from the title.
_WEIGHTS = {"og": 3.0, "publisher": 3.0, "website": 2.0, "app": 1.5, "title": 1.0, "brand": 1.0, "weak": 1.0,
            "handle": 0.0}


def _named_sites(s: PageSignals) -> list[tuple[str, float]]:
    """Names a page gives its site, with their weight: og:site_name, the JSON-LD publisher,
    website or organisation, application-name, the Twitter handle."""
    out = [(n, _WEIGHTS["og"]) for key in ("og:site_name", "og:sitename") for n in s.meta.get(key, [])]
    out += [(n, _WEIGHTS["publisher"]) for n in s.ld_publishers]
    out += [(n, _WEIGHTS["website"]) for n in s.ld_sites]
    for key in ("application-name", "apple-mobile-web-app-title"):
        out += [(n, _WEIGHTS["app"]) for n in s.meta.get(key, [])]
    out += [(h.lstrip("@"), _WEIGHTS["handle"]) for h in s.meta.get("twitter:site", []) if h.startswith("@")]
    return [(c, w) for c, w in ((_unescape(c), w) for c, w in out if c) if c]


def _title_affix(title_tag: str, headline: str | None) -> list[str]:
    """What the ``<title>`` adds around the headline ("Headline | Site" → ["Site"];
    "Headline | Section | Site" → ["Section", "Site"]), when the headline (from the h1 or
    og:title) shows where it ends."""
    title = _unescape(title_tag)
    key = squash(headline or "")
    if not key or key == squash(title):
        return []
    for sep in _AFFIX_SEP.finditer(title):
        before, after = title[: sep.start()], title[sep.end():]
        if squash(before) == key:
            return [p.strip() for p in _title_parts(after) if p.strip()]
        if squash(after) == key:
            return [p.strip() for p in _title_parts(before) if p.strip()]
    return []


def choose_outlet(candidates: Iterable[tuple[str, float]] | Iterable[str], title: str | None,
                  domain: str | None, host: str | None = None) -> str | None:
    """The site's name the page's signals agree on most (each counts its weight, and a name
    that matches the domain counts more), else the registered domain; never the article's
    title. Plain strings count as og:site_name."""
    title_key = squash(title or "")
    label = _domain_label(domain)
    labels = _host_labels(host or domain, domain)
    names: list[tuple[str, float]] = []
    for item in candidates:
        raw, weight = (item, _WEIGHTS["og"]) if isinstance(item, str) else item
        name = _site_name(raw)
        key = squash(name)
        if not key or key in _PLATFORMS or len(name) > 60 or len(name.split()) > 7 or _PAGE_PART.match(name):
            continue
        if title_key and (key == title_key or title_key in key or (len(key) > 20 and title_key.startswith(key))):
            continue  # the article's title, not the site's name
        if is_domain_like(name) and label and label not in key:
            continue  # some other site's address (a CDN, a platform)
        if weight > 0:
            names.append((name, weight))

    def score(name: str) -> float:
        agreeing = [w for other, w in names if _same_site(name, other)]
        if _matches_domain(name, labels):
            return sum(agreeing) + 1.5
        if max(agreeing) <= _WEIGHTS["weak"]:
            return 0.0  # only logo texts, copyright holders or taglines say so: not enough
        return sum(agreeing)

    # ties: a name over an address ("Example Times" over "exampletimes.com"), then the stronger signal
    best = max(names, default=None, key=lambda nw: (score(nw[0]), nw[1], not is_domain_like(nw[0]), -names.index(nw)))
    return best[0] if best and score(best[0]) > 0 else domain


_PAGE_PART = re.compile(r"^(?:seite|page|teil|part|página|pagina)\s+\d+$", re.I)


def _same_site(a: str, b: str) -> bool:
    """"Example Times" ~ "The Example Times" ~ "exampletimes.com" ~ "ET" (initials)."""
    ka, kb = squash(re.sub(r"(?i)^the\s+|\.[a-z]{2,6}$", "", a)), squash(re.sub(r"(?i)^the\s+|\.[a-z]{2,6}$", "", b))
    if not ka or not kb:
        return False
    if ka == kb or (len(ka) >= 2 and (_initials(a) == kb or _initials(b) == ka) and min(len(ka), len(kb)) <= 4):
        return True
    short, long = sorted((ka, kb), key=len)
    return len(short) >= 4 and short in long and len(short) / len(long) >= 0.4


_LEGAL_FORM = re.compile(r"[\s,]+(?:e\.\s?V\.?|GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|SE|Inc\.?|Ltd\.?|LLC|S\.A\.?|S\.L\.?|SAS|"
                         r"Corp\.?|Co\.|plc)$", re.I)


def _site_name(raw: str) -> str:
    """A site name without its tagline or legal form: "Example Times - News from Example" →
    "Example Times", "Example Verein e.V." → "Example Verein"."""
    name = raw.strip().lstrip("@").strip(" -–—|:»«·•")
    if _URLISH.fullmatch(name):  # "https://www.example.com/" → "example.com"
        return re.sub(r"^(?:https?://)?(?:www\.)?", "", name).split("/")[0]
    parts = re.split(r"\s+[|–—:-]\s+|\s*[|•»]\s*", name)
    name = parts[0].strip() if parts and len(parts[0].strip()) >= 2 else name
    return _LEGAL_FORM.sub("", name).strip() or name


# --- authors --------------------------------------------------------------------------------

_WEEKDAYS = ("monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|"
             "freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|"
             "jueves|viernes|sábado|domingo")
_MONTHS = ("jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec|janvier|février|mars|avril|juin|"
           "juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
           "septiembre|octubre|noviembre|diciembre")
_PREFIX = re.compile(
    r"^(?:(?:view|see|show|read|zeige|alle|all|more|mehr|weitere|zum|ein|eine|die|the)\s+)*"
    r"(?:(?:beitrag|beiträge|artikel|articles?|posts?|stories|story|profil|profile|text|written|words|posted|"
    r"published|reported|reporting|edited|veröffentlicht|geschrieben|verfasst|erstellt|interview|fotos?|"
    r"bilder?|illustrations?)\s+)?"
    r"(?:by|von|vom|par|por|door|di|av|de)\s*:?\s+|"
    r"^(?:texte?|autor(?:in|en)?|auteurs?|authors?|redakteur(?:in)?|interview|von|by|fotos?|quelle|source|"
    r"reporter|reporting|words|escrito por|publicado por)\s*:\s*", re.I)
# What follows a name: a date, an affiliation, a time ("Jane Doe für das Blatt", "… 3. März 2026").
_SUFFIX = re.compile(
    r"\s+(?:am|on|for|für|at|um|from|of|via|with|aus|pour|para|—|–|-|\|)\s+.*$|"
    rf"\s*[,|]?\s*\b(?:\d|(?:{_MONTHS})[a-zäéû]*\.?\s+\d|(?:{_WEEKDAYS})\b|(?:stand|updated|aktualisiert|veröffentlicht|published|"
    r"posted|vor|hace|il y a|ago|read more|mehr)\b).*$", re.I)
_SPLIT = re.compile(r"\s*(?:;|,|&|\+|/|\||\band\b|\bund\b|\by\b|\bet\b|\be\b|\bi\b|\bog\b|\boch\b|\bmit\b|"
                    r"\bim gespräch mit\b|\bwith\b)\s*", re.I)
_PARENS = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_HANDLE = re.compile(r"@\w+")
# Words that are roles, titles or bylines' furniture, never a name; dropped where they stand.
_ROLE_WORDS = frozenset("""reporter reporterin correspondent korrespondent korrespondentin editor editors writer
staff contributor contributing columnist journalist journalistin journaliste photographer fotograf fotografin
producer anchor host senior chief political editor-in-chief redakteur redakteurin chefredakteur chefredakteurin
volontär volontärin mitarbeiter mitarbeiterin freier freie periodista redactor redactora corresponsal rédacteur
rédactrice autor autorin auteur author text texte interview von by artikel beitrag beiträge posted phd ph.d md m.d mba msc prof prof. dr dr. ing
bsc ma dipl dipl.-ing mag mag. gastautor gastautorin guest gast""".split())
# A name holding one of these is an organisation, a desk or a placeholder, not a person.
_NOT_PERSON = frozenset(squash(w) for w in """redaktion redaction rédaction redacción redazione editorial newsroom
desk team staff admin administrator webmaster user username anonymous anonym unknown unbekannt none null name
posted agencies agency agentur agenturen agence agencia press presse pressestelle pressedienst gmbh ag e.v. ev
verlag media medien médias magazin magazine zeitung zeitschrift blog verband stiftung foundation inc ltd llc corp
group gruppe institut institute universität university ministerium ministry verein tv radio fernsehen
nachrichten online news noticias services service kommunikation communications marketing sekretariat office
büro buero human bot system""".split())
# Compounds naming an organisation: "Finanzmagazin", "Hanns-Seidel-Stiftung", "Lokalredaktion".
_ORG_ENDINGS = ("magazin", "magazine", "zeitung", "verlag", "redaktion", "verband", "stiftung", "institut",
                "ministerium", "gesellschaft", "agentur", "gmbh", "online", "news", "media", "medien", "verein",
                "akademie", "team", "gazette", "times", "herald", "tribune", "journal", "chronicle", "kurier",
                "courier", "anzeiger", "rundschau", "tagblatt", "observer", "telegraph", "bulletin", "ledger")
_NO_AUTHOR = frozenset(squash(w) for w in ("no author", "kein autor", "sin autor", "not available", "n/a"))
# Wire services credited where a name would stand.
_AGENCIES = frozenset(squash(w) for w in """dpa afp ap reuters apa kna epd sid ddp efe ansa anp sda keystone-sda
upi tass xinhua belga dts afx dpa-afx""".split())
_PARTICLES = frozenset("von van der den de del della di du da dos das le la zu zur ten ter vom bin al el y e st.".split())


_AUTHOR_META = re.compile(r"(?:^|[:._-])(?:author|authors|author_?name|creator|byl|byline)$")


def _author(s: PageSignals, sites: list[str], domain: str | None) -> str | None:
    """The first source that names a person, in order of trust: JSON-LD and meta tags,
    microdata, the byline element, "Von …"/"Autor: …" lines near the headline. A user name
    ("jane78") counts only when no source gives a real name."""
    fallback = None
    for names in _author_candidates(s, sites, domain):
        if not names:
            continue
        if re.search(r"\d", names) and " " not in names:
            fallback = fallback or names
            continue
        return names
    return fallback


def _author_candidates(s: PageSignals, sites: list[str], domain: str | None) -> Iterator[str | None]:
    from_ld = clean_authors(s.ld_authors, sites, domain)
    from_meta = None
    for key, values in s.meta.items():
        if _AUTHOR_META.search(key) and not key.startswith("twitter:"):
            from_meta = clean_authors([v for v in values if not _URLISH.match(v.strip())], sites, domain)
            if from_meta:
                break
    for i in range(1, 5):  # WordPress's "twitter:label1" = "Written by", "twitter:data1" = the name
        if not from_meta and any(_WRITTEN_BY.search(v) for v in s.meta.get(f"twitter:label{i}", [])):
            from_meta = clean_authors(s.meta.get(f"twitter:data{i}", []), sites, domain)
    if from_ld and from_meta and _name_set(from_ld) < _name_set(from_meta):
        yield from_meta  # JSON-LD naming only the first of several authors
    yield from_ld
    yield from_meta
    if len(set(s.ld_people)) == 1:  # the page's one person, though no article names its author
        yield clean_authors(s.ld_people[:1], sites, domain)
    yield clean_authors(s.itemprop_authors, sites, domain)
    for line, level in s.bylines:  # text off the page: the first byline that names someone
        found = _BYLINE_IN_LINE.search(line)
        yield clean_authors(found.group(1), sites, domain, strict=True, lone_word=True) if found else None
        yield clean_authors(line, sites, domain, strict=True, lone_word=level == 0)
    for line in s.datelines + s.date_texts:  # "Von Jane Doe", "Datum: 3.11.2021 Autor: Jane Doe" beside the headline
        found = _BYLINE_IN_LINE.search(line)
        yield clean_authors(found.group(1), sites, domain, strict=True, lone_word=True) if found else None
    for line in s.datelines:  # "Jane Doe | 3. März 2026" under the headline
        found = _NAME_THEN_DATE.match(line)
        dated = found and any(p.search(line) for p in (DOTTED_DATE, WORDY_DATE, ISO_DATE))
        yield clean_authors(found.group(1), sites, domain) if found and dated else None


# A name after "Von", "By", "Autor:" inside a line of other fields ("Datum: … Autor: Jane Doe Quelle: …").
_BYLINE_IN_LINE = re.compile(
    r"(?:^|\s)(?:[Vv]on|[Bb]y|[Pp]ar|[Pp]or|(?:[Aa]utor(?:in)?|[Aa]uteur|[Aa]uthor|[Tt]ext|[Rr]edaktion)\s?:|"
    r"(?:[Ee]rstellt|[Gg]eschrieben|[Vv]erfasst) von|(?:[Pp]osted|[Ww]ritten) by:?)\s+"
    r"([A-ZÄÖÜ][^\d|:]{2,60}?)(?=\s*(?:$|\||\(|\d|\b(?:am|on|le|el)\b|[A-ZÄÖÜ][a-zäöü]+\s?:))")
# "Jane Doe — 3. März 2026", "Jane Doe | 12.03.2026": a name, a separator, then the date.
_NAME_THEN_DATE = re.compile(r"^([^\W\d_][\w.'’ -]{1,40}?)\s*(?:—|–|-|\||·|•|,)\s*(?=\d|\w+,?\s+\d)")


_WRITTEN_BY = re.compile(r"(?i)written by|verfasst von|geschrieben von|autor|auteur|author|escrito por|écrit par")


def _name_set(names: str) -> set[str]:
    return {squash(n) for n in names.split(AUTHOR_SEPARATOR)}


def clean_authors(raw: Iterable[str] | str, sites: Iterable[str] = (), domain: str | None = None,
                  strict: bool = False, lone_word: bool = False) -> str | None:
    """People's names out of byline strings, joined with "; "; ``None`` when none is left.

    ``sites`` are the outlet's names (never an author). ``strict`` is for text read off the
    page rather than metadata: a line that splits into many parts is a list of categories or
    commenters, and a lone word counts only after "By"/"Von" or in an author-name element
    (``lone_word``)."""
    if isinstance(raw, str):
        raw = [raw]
    site = _SiteNames(sites, domain)
    names: list[str] = []
    for value in raw:
        parts, introduced = _split_names(value)
        if strict and len(parts) > 4:
            continue
        for part in parts:
            person = _person(part, site, strict and not (introduced or lone_word))
            if person and squash(person) not in {squash(n) for n in names}:
                names.append(person)
    # "Jane Doe" and "Jane" from two sources: keep the fuller form
    keys = [squash(n) for n in names]
    names = [n for n, k in zip(names, keys) if not any(k != o and k in o for o in keys)]
    return AUTHOR_SEPARATOR.join(names[:6]) or None


class _SiteNames:
    """The outlet's names, to tell them from an author's."""

    def __init__(self, sites: Iterable[str], domain: str | None):
        named = [n for n in sites if n and squash(n)]
        self.keys = {squash(n) for n in named}
        self.initials = {_initials(n) for n in named if len(n.split()) >= 2}
        self.label = _domain_label(domain)

    def holds(self, name: str) -> bool:
        key = squash(name)
        words = name.split()
        label = self.label
        if label and len(words) > 1 and len(key) >= 6 and key in label:
            return False  # "Jane Doe" on janedoe.com: a personal site is named after its author
        if key in self.keys or (len(words) > 1 and any(len(k) >= 4 and k in key for k in self.keys)):
            return True  # "Example Times" or "Example Times Staff"
        if len(words) == 1:
            # a lone word that is the domain ("Solarserver") or the site's initials ("FR")
            return key == label or key in self.initials
        if len(label) >= 2 and _initials(name) == label:
            return True  # "Deutsche Welle" on dw.com
        # "FC Example Town" on exampletown.de; "Jane Doe" on doe.com is a personal site
        return bool(label) and label in key and all(label != squash(w) for w in words)


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[^\W\d_]+", name)).casefold()


def _split_names(value: str) -> tuple[list[str], bool]:
    """The name-like parts of a byline, and whether it was introduced ("By …", "Von …")."""
    value = _unescape(value)
    value = _URLISH.sub(" ", _HANDLE.sub(" ", _PARENS.sub(" ", value))).strip()
    stripped = _PREFIX.sub("", value).strip()
    introduced = stripped != value
    out = []
    for part in _SPLIT.split(stripped):
        part = _PREFIX.sub("", part.strip(" .:-–—'\"“”‘’«»")).strip()
        part = _SUFFIX.sub("", part).strip(" ,.:-–—'\"“”‘’«»")
        if part:
            out.append(part)
    return out, introduced


def _person(name: str, site: _SiteNames, need_two_words: bool) -> str | None:
    if squash(name) in _NO_AUTHOR:
        return None
    if re.fullmatch(r"[^\W\d_]{2,}(?:[._][^\W\d_]{2,})+", name) and not is_domain_like(name):
        name = re.sub(r"[._]", " ", name)  # a user name: "jane_doe", "Jane.Doe"
    words = name.split()
    if words and words[-1].casefold().strip(":") in ("says", "said", "sagt", "schreibt", "meint", "dit", "dice", "writes"):
        return None  # a comment's header ("Jane Doe says:"), not the article's byline
    while words and words[0].casefold().strip(":") in _ROLE_WORDS:
        words.pop(0)
    while words and words[-1].casefold().strip(":,") in _ROLE_WORDS:
        words.pop()
    if not words or len(words) > 5 or sum(len(w) for w in words) > 50 or (need_two_words and len(words) < 2):
        return None
    name = " ".join(words)
    key = squash(name)
    if (len(key) < 2 or key in _NO_AUTHOR or key in _AGENCIES or key.isdigit()
            or any(squash(w) in _NOT_PERSON or squash(w).endswith(_ORG_ENDINGS) for w in words)):
        return None
    if is_domain_like(name) or site.holds(name):
        return None
    if not any(c.isalpha() for c in name) or re.search(r"[{}<>=#|\\]", name):
        return None
    capitalised = [w for w in words if w[:1].isupper() or w.casefold() in _PARTICLES]
    if len(words) > 1 and len(capitalised) < len(words):
        return None  # lower-case words: a phrase ("write a comment"), not a name
    if need_two_words and not words[0][:1].isupper():
        return None
    if name.isupper() and len(name) > 4:
        name = " ".join(w.capitalize() if len(w) > 2 else w for w in words)  # "JANE DOE" → "Jane Doe"
    return name


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in meta.get(key, []):
            if value.strip():
                return _unescape(value)
    return None


# Full dates (day, month, year) as pages print them; ``html.dateline_date`` reads them.
DOTTED_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d{2})(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)")
WORDY_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\.?\s+(?:de\s+)?((?:{_MONTHS})[a-zäéû]*)\.?\s+(?:de\s+)?((?:19|20)\d{{2}})(?!\d)|"
                        rf"\b((?:{_MONTHS})[a-z]*)\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d{{2}})(?!\d)", re.I)
