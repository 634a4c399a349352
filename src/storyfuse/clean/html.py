"""HTML: the main text of a page (trafilatura), its metadata (the signals a page gives about
itself, read here and decided in ``metadata.py``), and the page's visible blocks (for the
record of what was removed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from copy import deepcopy
from typing import Any
from urllib.parse import urlparse

import lxml.html
import trafilatura
from lxml import etree

from ..errors import InputError
from .metadata import (
    DOTTED_DATE,
    ISO_DATE,
    WORDY_DATE,
    PageMetadata,
    PageSignals,
    is_domain_like,
    normalize_timestamp,
    resolve_metadata,
)
from .text import normalize, xml_safe

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_JSON_COMMENT = re.compile(r"^\s*(?:<!--|//<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\]\]>|\]\]>)\s*$")


def parse_html(html: str, label: str) -> Any:
    html = _XML_DECLARATION.sub("", html)  # lxml refuses str input that declares an encoding
    html = xml_safe(html)
    try:
        return lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as err:
        raise InputError(label, f"HTML cannot be parsed: {err}") from None


# trafilatura's defaults but for comments, which are not reporting (the junk model's second
# pass is tuned on what these settings give).
TRAFILATURA: dict[str, Any] = {"include_comments": False, "include_tables": True, "deduplicate": False}


def extract_html(html: str, url: str | None, label: str) -> tuple[str, dict[str, Any]]:
    tree = parse_html(html, label)
    meta = page_metadata(tree, url)
    # Metadata comes from page_metadata; trafilatura's own (with an extensive date search that
    # reads body numbers as dates) is not asked for.
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **TRAFILATURA)
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        raise InputError(label, "no main text found in the HTML page (trafilatura extracted nothing)")
    text: str = doc.text or ""
    found: dict[str, Any] = {
        "title": meta.title,
        "author": meta.author,
        "source": meta.source,
        "url": meta.url,
        "published": meta.published,
    }
    return text, found


def page_metadata(tree: Any, url: str | None) -> PageMetadata:
    """Title, author, outlet, URL and publication time of a parsed page."""
    signals = page_signals(tree, url)
    return dataclasses.replace(resolve_metadata(signals), published=publication_time(signals))


# --- reading the signals --------------------------------------------------------------------

def page_signals(tree: Any, url: str | None) -> PageSignals:
    meta: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        key = el.get("property") or el.get("name") or el.get("itemprop")
        if key and content and content.strip():
            meta.setdefault(key.strip().lower(), []).append(_plain(content))
    links = {(el.get("rel") or "").lower(): el.get("href") for el in tree.iter("link") if el.get("href")}
    title_el = tree.find(".//title")
    near, later = _datelines(tree)
    page_url = _page_url(meta, links.get("canonical"), url)
    return PageSignals(
        url=page_url,
        domain=registered_domain(url or page_url),
        host=_host(url or page_url),
        meta=meta,
        title_tag=_plain(title_el.text_content()) if title_el is not None else None,
        h1=[t for t in (_text_of(h) for h in tree.iter("h1") if not _is_banner(h)) if t],
        **_jsonld_signals(_jsonld_nodes(tree)),
        itemprop_authors=_itemprop_authors(tree),
        bylines=_bylines(tree),
        times=_time_elements(tree),
        datelines=near,
        date_texts=later,
        brands=_brands(tree),
        htmldate=_htmldate(tree, url),
    )


_BANNER = re.compile(r"site-?title|site-?name|blog-?title|logo|brand|masthead|^header$|page-header__logo", re.I)


def _is_banner(h1: Any) -> bool:
    """An ``<h1>`` holding the site's name (a theme's banner linking home), not the headline."""
    for el in [h1, *list(h1.iterancestors())[:3]]:
        if _BANNER.search(str(el.get("class") or "")) or _BANNER.search(str(el.get("id") or "")):
            return True
    for a in h1.iter("a"):
        href = a.get("href")
        if "home" in (a.get("rel") or "") or (href is not None and re.fullmatch(r"(?:https?://[^/]+)?/?(?:index\.\w+)?", href.strip())):
            return True
    return False


def _htmldate(tree: Any, url: str | None) -> str | None:
    """htmldate's publication day without its extensive search, which reads numbers in the
    body as dates ("power to 2000 homes" → 2000-01-01)."""
    from htmldate import find_date

    try:
        found = find_date(tree, extensive_search=False, original_date=True, url=original_url(url) if url else None)
    except (ValueError, TypeError, AssertionError):  # htmldate on a malformed page ("<iframe>"): no date
        return None
    return found if isinstance(found, str) else None


def _plain(value: str) -> str:
    return re.sub(r"\s+", " ", normalize(value)).strip()


def _text_of(el: Any) -> str:
    return _plain(" ".join(t for t in el.itertext() if isinstance(t, str)))


def _jsonld_nodes(tree: Any) -> list[dict[str, Any]]:
    """Every object in the page's JSON-LD, flattened (``@graph``, lists and nesting)."""
    nodes: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        raw = _JSON_COMMENT.sub("", script.text.strip())
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue  # a broken block: the rest of the page still speaks
        _walk_json(data, nodes, 0)
    return nodes


def _walk_json(data: Any, out: list[dict[str, Any]], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            _walk_json(item, out, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            out.append(data)
        for key in ("@graph", "mainEntity", "itemListElement", "hasPart"):
            if key in data:
                _walk_json(data[key], out, depth + 1)


_ARCHIVED = re.compile(r"^https?://(?:web\.)?archive\.org/web/[^/]+/(.+)$", re.I)


def original_url(url: str) -> str:
    """The archived page's own URL for a web.archive.org copy (its capture date is no publication date)."""
    while (archived := _ARCHIVED.match(url)) is not None:
        inner = archived.group(1)
        url = inner if re.match(r"https?://", inner, re.I) else "http://" + inner
    return url


def registered_domain(url: str | None) -> str | None:
    """``https://www.bbc.co.uk/news`` → ``bbc.co.uk``; an archive.org copy → its original's."""
    if not url:
        return None
    url = original_url(url)
    from tld import get_fld

    try:
        fld = get_fld(url, fail_silently=True, fix_protocol=True)
        if isinstance(fld, str):
            return fld.lower()
        host = urlparse(url if "//" in url else "http://" + url).hostname
    except ValueError:  # "http://[": not a URL whose host can be read (found by fuzzing)
        return None
    return host.removeprefix("www.") if host else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    url = original_url(url)
    try:
        return urlparse(url if "//" in url else "http://" + url).hostname
    except ValueError:
        return None


def _page_url(meta: dict[str, list[str]], canonical: str | None, given: str | None) -> str | None:
    for candidate in (*meta.get("og:url", [])[:1], canonical, given):
        if candidate and re.match(r"https?://", candidate.strip()):
            return candidate.strip()
    return given


# --- JSON-LD --------------------------------------------------------------------------------

_ORGANISATIONS = {"organization", "newsmediaorganization", "corporation"}


def _kinds(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    return {k.lower() for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)}


def _jsonld_signals(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """What the JSON-LD says of the article (article-like nodes first: NewsArticle,
    BlogPosting, Report…, then web pages) and of the site."""
    def rank(node: dict[str, Any]) -> int:
        kinds = " ".join(_kinds(node))
        return 0 if re.search(r"article|posting|report|blog|review", kinds) else 1 if "webpage" in kinds else 2

    ids = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    articles = sorted((n for n in nodes if rank(n) < 2), key=rank)
    sites = [n for n in nodes if _kinds(n) & (_ORGANISATIONS | {"website"}) and "person" not in _kinds(n)]
    return {
        "ld_headline": next((str(n["headline"]) for n in articles if isinstance(n.get("headline"), str)), None),
        "ld_authors": next((people for n in articles if (people := _names(n.get("author"), ids, people=True))), []),
        "ld_people": [name for n in nodes if "person" in _kinds(n) for name in _names(n, ids, people=True)],
        "ld_publishers": _names(articles[0].get("publisher"), ids) if articles else [],
        "ld_sites": [name for n in sites for name in _names(n, ids)],
        "ld_published": [n[k] for n in articles for k in ("datePublished", "dateCreated") if isinstance(n.get(k), str)],
    }


def _names(value: Any, ids: dict[str, dict[str, Any]], people: bool = False) -> list[str]:
    """The names in a JSON-LD value (``{"@id": …}`` references looked up): of people only
    (an author, not an organisation), or of anything but a person (a publisher: a blog's
    owner as its publisher is no site name)."""
    if isinstance(value, list):
        return [n for v in value for n in _names(v, ids, people)]
    if isinstance(value, str):
        return [value] if not value.startswith("http") else []
    if not isinstance(value, dict):
        return []
    if set(value) == {"@id"} and isinstance(value["@id"], str):
        value = ids.get(value["@id"], {})
    kinds = _kinds(value)
    if (people and "person" not in kinds and kinds & _ORGANISATIONS) or (not people and "person" in kinds):
        return []
    name = value.get("name") or (None if people else value.get("legalName") or value.get("alternateName"))
    if isinstance(name, list):
        return [n for n in name if isinstance(n, str)]
    if isinstance(name, str):
        return [name]
    given, family = value.get("givenName"), value.get("familyName")
    return [f"{given} {family}"] if people and isinstance(given, str) and isinstance(family, str) else []


def _itemprop_authors(tree: Any) -> list[str]:
    """Microdata authors: the ``name`` inside an ``itemprop=author`` element, else its text.
    Only the first one and those beside it: later ones are often other articles' teasers."""
    found: list[str] = []
    elements = [el for el in tree.xpath("//*[@itemprop='author' or @itemprop='creator']")
                if el.tag != "meta" and not el.xpath("ancestor::*[self::aside or self::footer or self::nav]")]
    for el in elements[:6]:
        if el.getparent() is not elements[0].getparent():
            continue
        names = el.xpath(".//*[@itemprop='name']")
        if names:
            value = names[0].get("content") or _text_of(names[0])
        else:
            value = el.get("content") or _text_of(el)
        if value and len(value) <= 120:
            found.append(value)
    return found


def _bylines(tree: Any) -> list[tuple[str, int]]:
    """Visible byline text with how specific the XPath that found it is (0: an author-name
    element, 2: any element with "author" in its class), found with trafilatura's author
    XPaths (comments, dates and figures pruned first, as trafilatura does). The raw text:
    our rules do the cleaning."""
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    subtree = prune_unwanted_nodes(deepcopy(tree), AUTHOR_DISCARD_XPATHS)
    for level, expression in enumerate(AUTHOR_XPATHS):
        found: list[tuple[str, int]] = []
        for el in expression(subtree):
            text = _text_of(el)
            if text and 2 < len(text) < 120 and all(text != t for t, _ in found):
                found.append((text, level))
            if len(found) >= 3:
                break
        if found:
            return found
    # a link to the author's page whose text is the name its address spells ("/autor/jane-doe")
    for a in tree.xpath("//a[@href]")[:3000]:
        href = a.get("href") or ""
        slug = re.search(r"/(?:authors?|autor(?:en|in)?|auteurs?|autores?|journalist(?:en)?|redakteur(?:e|in)?|"
                         r"profil(?:e)?|people|staff)/([^/?#]+)/?(?:[?#].*)?$", href, re.I)
        text = _text_of(a)
        if slug and text and 2 < len(text) < 60 and _slug_names(slug.group(1), text) and not any(
                re.search(r"comment|reply|footer|sidebar", str(b.get("class") or "") + str(b.get("id") or ""), re.I)
                for b in a.iterancestors()):
            return [(text, 0)]
    # trafilatura's pruning also drops some real bylines (inside a "meta" block, say): a
    # rel=author link outside the comments, on the whole page
    for el in tree.xpath("//*[@rel='author']"):
        if not any(re.search(r"comment|reply", str(a.get("class") or "") + str(a.get("id") or ""), re.I)
                   for a in el.iterancestors()):
            text = _text_of(el)
            if text and 2 < len(text) < 120:
                return [(text, 0)]
    return []


def _slug_names(slug: str, text: str) -> bool:
    """"jane-doe" spells "Jane Doe" (the words of the name all in the address, in any case)."""
    words = [w.casefold() for w in re.findall(r"[^\W\d_]+", text)]
    slug = slug.casefold()
    return bool(words) and all(w in slug for w in words)


def _time_elements(tree: Any) -> list[tuple[str, str]]:
    """(datetime attribute, what marks it) of ``<time>`` and microdata date elements."""
    out = []
    for el in tree.xpath("//time[@datetime] | //*[@itemprop='datePublished' or @itemprop='dateCreated']"):
        value = el.get("datetime") or el.get("content") or (_text_of(el) if el.tag != "meta" else "")
        if not value:
            continue
        prop = (el.get("itemprop") or "").lower()
        classes = " ".join(str(a.get("class") or "") for a in [el, *el.iterancestors()][:3]).lower()
        if prop in ("datepublished", "datecreated") or el.get("pubdate") is not None:
            mark = "published"
        elif prop == "datemodified" or re.search(r"modif|updat|aktualis", classes):
            mark = "modified"
        elif el.xpath("ancestor::*[self::aside or self::footer or self::nav or self::li]"):
            mark = "elsewhere"  # teasers of other articles, footers
        else:
            mark = "plain"
        out.append((value.strip(), mark))
    return out


_BYLINE_START = re.compile(r"(?:[Vv]on|[Bb]y|[Pp]ar|[Pp]or|[Ee]in (?:Artikel|Beitrag|Interview) von|[Ww]ritten by:?)\s+[A-ZÄÖÜ]")
_DATE_TAGS = ("p", "span", "div", "em", "strong", "b", "i", "small", "time", "h2", "h3", "h4", "h5", "h6", "dd", "td", "li")
_NOT_ARTICLE = re.compile(r"comment|related|teaser|sidebar|widget|footer|recommend|popular|breadcrumb", re.I)


def _datelines(tree: Any) -> tuple[list[str], list[str]]:
    """Short texts that may print the article's date or byline: those in the headline's own
    block (just above or below the ``<h1>``), then short texts from the headline on that hold a
    digit or start like a byline ("Datum: 03.11.2021", "<em>12 March 2026</em>", "Von Jane
    Doe"); never the navigation, sidebars, teaser lists or comments. ``dateline_date`` decides
    which of them print a date on their own."""
    h1 = next((h for h in tree.iter("h1") if not _is_banner(h)), None)
    body = tree.find(".//body")
    start = h1 if h1 is not None else body
    if start is None:
        return [], []
    near: list[str] = []
    if h1 is not None:
        parent = h1.getparent()
        around = [*h1.itersiblings(preceding=True)][:4] + [*h1.itersiblings()][:4]
        if parent is not None:
            around += [*parent.itersiblings(preceding=True)][:2] + [*parent.itersiblings()][:2]
        near = [t for t in (_text_of(el) for el in around if isinstance(el.tag, str)) if 0 < len(t) <= 80]
    later: list[str] = []
    for el in start.iter(*_DATE_TAGS) if start is body else _following(start):
        if not isinstance(el.tag, str) or el.tag not in _DATE_TAGS:
            continue
        text = _text_of(el)
        if not (6 <= len(text) <= 80) or not (re.search(r"\d", text) or _BYLINE_START.match(text)):
            continue
        if any(a.tag in ("nav", "aside", "footer", "form") or _NOT_ARTICLE.search(str(a.get("class") or "") + " " + str(a.get("id") or ""))
               for a in [el, *el.iterancestors()]):
            continue
        later.append(text)
        if len(later) >= 10:
            break
    return near, later


def _following(el: Any) -> Any:
    """The elements after ``el`` in document order (its own descendants first)."""
    yield from el.iterdescendants()
    for ancestor in [el, *el.iterancestors()]:
        for sibling in ancestor.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()


_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:by\s+)?(?:(?:19|20)\d{2}(?:\s*[-–/]\s*(?:19|20)?\d{2,4})?)?\s*"
                        r"(?:by\s+)?([^\W\d](?:[^|,;.©\n]|\.(?=\S)){1,60}?)"
                        r"(?=\s*(?:[|,;©\n]|\.\s|\.$|\s[-–]\s|alle rechte|all rights|$))", re.I)


def _brands(tree: Any) -> list[str]:
    """The site's name as its reader sees it: the logo's alt text (an image marked "logo")
    and the copyright holder in the footer."""
    out: list[str] = []
    for img in tree.xpath("//img[@alt]")[:200]:
        marks = " ".join(str(a.get(k) or "") for a in [img, *list(img.iterancestors())[:3]] for k in ("class", "id"))
        alt = _plain(img.get("alt", ""))
        if re.search(r"logo", marks + " " + str(img.get("src") or ""), re.I) and alt and len(alt) <= 60 \
                and "logo" not in alt.casefold():
            out.append(alt)
            if len(out) >= 2:
                break
    for el in tree.xpath("//footer|//*[contains(@class, 'footer') or contains(@id, 'footer')]")[:3]:
        line = next((t for t in el.itertext() if "©" in t or re.search(r"(?i)copyright", t)), None)
        found = _COPYRIGHT.search(re.sub(r"\be\.\s+V\.", "e.V.", _plain(line))) if line and len(line) <= 200 else None
        if found:
            name = found.group(1).strip()
            address = next((w for w in name.split() if is_domain_like(w)), None)
            if address:  # "Example Times www.example.com", "bei der Autorin und bei example.com"
                rest = " ".join(w for w in name.split() if w != address)
                name = rest if rest[:1].isupper() else address
            out.append(name)
    return out


# --- the publication time -------------------------------------------------------------------

_PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
                   "publish-date", "publish_date", "article.published", "published_time", "dc.date.issued",
                   "dcterms.issued", "dc.date", "dcterms.date", "date", "sailthru.date", "parsely-pub-date",
                   "cxenseparse:recs:publishtime", "article_date_original", "originalpublicationdate")


def publication_time(s: PageSignals) -> str | None:
    """The day: a full date printed beside the headline (what the reader is shown), else the
    day htmldate finds (the URL, the header's metadata, then marked-up dates; no extensive
    search), else the page's publication metadata, else a short line after the headline that
    prints a date on its own, else a day-month-year date in the address. The time of day comes from a publication timestamp of that day
    (JSON-LD, meta tags, a ``<time>`` marked as the publication's), never from other times.
    A UTC timestamp a day off the date the page prints is the evening before or after in the
    page's own time zone: the printed day wins."""
    stamps = list(s.ld_published)
    for key in _PUBLISHED_META:
        stamps += s.meta.get(key, [])
    stamps += [v for v, mark in s.times if mark == "published"]
    found = [t for t in (_timestamp(v) for v in stamps) if t]
    plain = [t for t in (_timestamp(v) or dateline_date(v) for v, mark in s.times if mark in ("plain", "published")) if t]
    beside = next((d for d in (dateline_date(t, beside_headline=True) for t in s.datelines) if d), None)
    shown = beside or next((d for d in (dateline_date(t) for t in s.date_texts) if d), None)
    # htmldate's 1 January that no timestamp of the page confirms is a year alone ("© 2004")
    guessed = bool(s.htmldate and s.htmldate.endswith("-01-01") and not any(t.startswith(s.htmldate) for t in found + plain))
    if beside:  # the date the page prints beside its headline
        day = beside
    elif s.htmldate and not guessed:
        day = s.htmldate
    elif found or plain:
        day = (found + plain)[0]
    else:
        return shown or _address_date(s.url)
    utc = any(t[:10] == day[:10] and re.search(r"(?:\+00:00|Z)$", t) for t in found + plain)
    printed = shown or next(iter(plain), None)
    if utc and printed and _one_day_apart(day, printed):
        day = printed[:10]
    return next((t for t in found if t[:10] == day[:10] and len(t) > 10), day)


def _address_date(url: str | None) -> str | None:
    """A day-month-year date in the page's address (".../meldungen/29-10-2021"), which
    htmldate, reading year-month-day only, passes by."""
    try:
        path = urlparse(original_url(url)).path if url else ""
    except ValueError:  # "http://[": no address to read
        return None
    found = re.search(r"(?<!\d)(\d{1,2})[-_.](\d{1,2})[-_.]((?:19|20)\d{2})(?!\d)", path)
    return _valid_day(int(found[3]), int(found[2]), int(found[1])) if found else None


def _one_day_apart(a: str, b: str) -> bool:
    try:
        return abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days) == 1
    except ValueError:
        return False


def _timestamp(value: str) -> str | None:
    """An ISO timestamp of a plausible publication time (1990 up to tomorrow), else None."""
    value = value.strip()
    if not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None  # free-form strings in metadata are too often "vor 3 Tagen"
    try:
        stamp = normalize_timestamp(value.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} \d", value) else value)
    except (ValueError, OverflowError):
        return None
    if not stamp:
        return None
    year = int(stamp[:4])
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    return stamp if 1990 <= year and stamp[:10] <= tomorrow.isoformat() else None


_DATE_LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "pl")


def dateline_date(text: str, beside_headline: bool = False) -> str | None:
    """A full date (day, month and year) that a short line prints on its own, such as
    "Datum: 03.11.2021" or "Published 4 May 2022, 10:15"; a year or a bare number never is
    one, nor a date inside a sentence ("Die Wahl ist am 3. März 2026."): a line ending like a
    sentence counts only in the headline's own block (``beside_headline``) and with at most
    one lower-case word ("Veröffentlicht am 3. März 2026."). A date written for people comes
    before an ISO one (often a hidden machine value, such as the last change)."""
    words = re.findall(r"[^\W\d_]{2,}", ISO_DATE.sub("", DOTTED_DATE.sub("", WORDY_DATE.sub("", text))))
    lower = [w for w in words if w.islower()]  # a sentence's words; labels and names are capitalised or few
    sentence = re.search(r"[.!?][\"'”“)\]]?$", text)
    if len(text) > 60 or len(words) > 6 or len(lower) > (1 if sentence else 2):
        return None
    if sentence and not beside_headline:
        return None  # a sentence of the body; beside the headline "Veröffentlicht am 3. März 2026." is a label
    dotted = DOTTED_DATE.search(text)
    if dotted:
        return _valid_day(int(dotted[3]), int(dotted[2]), int(dotted[1]))
    wordy = WORDY_DATE.search(text)
    if wordy:
        import dateparser

        # The languages named: dateparser's own language detection costs a tenth of a second a call.
        parsed = dateparser.parse(wordy.group(0), languages=list(_DATE_LANGUAGES),
                                  settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]})
        return _timestamp(parsed.date().isoformat()) if parsed else None
    iso = ISO_DATE.search(text)
    return _valid_day(int(iso[1]), int(iso[2]), int(iso[3])) if iso else None


def _valid_day(year: int, month: int, day: int) -> str | None:
    try:
        return _timestamp(dt.date(year, month, day).isoformat())
    except ValueError:
        return None
