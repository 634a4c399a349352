"""The trafilatura-eval page loader and its site splits (data tests skip where ../shared/data is absent)."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

import storyfuse.eval
from storyfuse.eval.data import DataNotFoundError, dataset_dir
from storyfuse.eval.pages import (
    Page,
    decode_html,
    load_pages,
    missing_files,
    original_url,
    site_folds,
    site_of,
    train_test_by_site,
)


def _page(page_id: str, site: str) -> Page:
    return Page(page_id=page_id, url=f"https://{site}/{page_id}", site=site, html="",
                with_snippets=(), without_snippets=())


@pytest.fixture(scope="module")
def evaldata() -> dict:
    try:
        folder = dataset_dir("trafilatura-eval")
    except DataNotFoundError as err:
        pytest.skip(f"trafilatura-eval not available: {err}")
    with open(folder / "tests" / "evaldata.json", encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def pages(evaldata) -> list[Page]:
    return load_pages()


# --- without the data ---------------------------------------------------------------------

def test_missing_data_says_where_it_looked(tmp_path):
    with pytest.raises(DataNotFoundError, match="STORYFUSE_DATA"):
        load_pages(tmp_path)


def test_decoding_utf8_declared_legacy_and_mixed_bytes():
    assert decode_html("<p>Grüße</p>".encode()) == "<p>Grüße</p>"
    legacy = '<meta charset="iso-8859-1"><p>Grüße “quoted”</p>'.encode("cp1252")
    assert decode_html(legacy) == '<meta charset="iso-8859-1"><p>Grüße “quoted”</p>'
    polish = '<meta charset="windows-1250"><p>Zażółć gęślą jaźń</p>'.encode("cp1250")
    assert "Zażółć gęślą jaźń" in decode_html(polish)
    mixed = "<p>Grüße, schöne Größe</p>".encode() + b"<!-- M\xe4rz -->"
    assert decode_html(mixed) == "<p>Grüße, schöne Größe</p><!-- März -->"
    assert decode_html(b"<p>M\xe4rz</p>") == "<p>März</p>"  # no declaration: cp1252


def test_archive_copies_and_typos_map_to_the_original_site():
    wrapped = "https://web.archive.org/web/20190101000000/https://www.example.co.uk/a/b"
    assert original_url(wrapped) == "https://www.example.co.uk/a/b"
    assert site_of(wrapped) == "example.co.uk"
    assert site_of("https://web.archive.org/web/2013/example.de/x.html") == "example.de"
    assert site_of("xhttps://www.example.org/page ") == "example.org"
    assert site_of("https://someone.blogspot.com/2020/01/x.html") == "someone.blogspot.com"


def test_labels_without_a_url_use_the_canonical_link_then_the_file_name():
    page = '<link href="https&#x3A;&#x2F;&#x2F;www.example.com.pa&#x2F;x" rel="canonical" />'
    assert site_of("hard::example.html", page, "example.html") == "example.com.pa"
    assert site_of("hard::x", '<meta property="og:url" content="https://news.example.net/a">') == "example.net"
    assert site_of("hard::a", "", "example.com.pa-slug.html") == "example.com.pa"
    assert site_of("hard::b", "", "example.de.blog.post-x.html") == "example.de"


def test_folds_and_split_keep_sites_whole_on_synthetic_pages():
    pages = [_page(f"p{i}", f"site{i % 7}.example") for i in range(40)]
    folds = site_folds(pages, k=3, seed=1)
    assert sorted(pid for fold in folds for pid in fold) == sorted(p.page_id for p in pages)
    site = {p.page_id: p.site for p in pages}
    assert [len({site[pid] for pid in fold} & {site[pid] for pid in other})
            for i, fold in enumerate(folds) for other in folds[i + 1:]] == [0, 0, 0]
    train, test = train_test_by_site(pages, 0.5, seed=3)
    assert train | test == set(site) and not {site[p] for p in train} & {site[p] for p in test}
    with pytest.raises(ValueError):
        train_test_by_site(pages, 1.5)


# --- on the data --------------------------------------------------------------------------

def test_every_referenced_page_is_loaded_once_in_sorted_order(evaldata, pages):
    assert len(pages) + len(missing_files()) == len(evaldata)
    assert len(pages) == 990, "the data README describes 990 pages"
    ids = [p.page_id for p in pages]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(p.with_snippets and p.without_snippets for p in pages)


def test_recorded_metadata_coverage(pages):
    assert sum(p.title is not None for p in pages) == 845
    assert sum(p.author is not None for p in pages) == 538
    assert sum(p.date is not None for p in pages) == 728
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", p.date) for p in pages if p.date)
    assert any(p.author and "; " in p.author for p in pages)  # recorded lists of authors


def test_html_is_decoded_so_the_kept_snippets_are_found(pages):
    def flat(text: str) -> str:
        return re.sub(r"\s+", " ", html.unescape(text))

    found = total = 0
    for page in pages:
        text, bare = flat(page.html), flat(re.sub(r"<[^>]+>", " ", page.html))
        for snippet in page.with_snippets:
            total += 1
            found += flat(snippet) in text or flat(snippet) in bare
    assert found / total > 0.95


def test_archive_urls_and_labels_map_to_their_origin_site(pages):
    archived = [p for p in pages if "web.archive.org/web/" in p.url]
    assert len(archived) >= 20
    for page in archived:
        inner = re.sub(r"^https?://web\.archive\.org/web/[^/]+/(https?://)?", "", page.url)
        host = inner.split("/")[0].lower()
        assert page.site != "archive.org" and host.endswith(page.site), (page.url, page.site)
    assert all("." in p.site and "/" not in p.site and ":" not in p.site for p in pages)
    assert not any(p.site.endswith("archive.org") for p in pages)
    assert Counter(p.site for p in pages)["wordpress.com"] > 10  # wordpress.com blogs share a site
    assert len({p.site for p in pages}) > 900


def test_split_by_site_is_disjoint_and_deterministic(pages):
    train, test = train_test_by_site(pages, test_share=0.3, seed=0)
    site = {p.page_id: p.site for p in pages}
    assert train | test == set(site) and not train & test
    assert not {site[p] for p in train} & {site[p] for p in test}
    assert 0.2 < len(test) / len(site) < 0.4
    assert train_test_by_site(pages, test_share=0.3, seed=0) == (train, test)
    assert train_test_by_site(list(reversed(pages)), test_share=0.3, seed=0) == (train, test)
    assert train_test_by_site(pages, test_share=0.3, seed=1)[1] != test


def test_site_folds_are_whole_sites_balanced_and_deterministic(pages):
    folds = site_folds(pages, k=5, seed=0)
    assert len(folds) == 5
    assert sorted(pid for fold in folds for pid in fold) == sorted(p.page_id for p in pages)
    site = {p.page_id: p.site for p in pages}
    fold_of_site: dict[str, set[int]] = {}
    for i, fold in enumerate(folds):
        for pid in fold:
            fold_of_site.setdefault(site[pid], set()).add(i)
    assert all(len(v) == 1 for v in fold_of_site.values())
    sizes = [len(f) for f in folds]
    assert max(sizes) - min(sizes) <= 1 + max(Counter(site.values()).values())
    assert site_folds(list(reversed(pages)), k=5, seed=0) == folds
    assert site_folds(pages, k=5, seed=7) != folds


def test_outlet_labels_are_every_eighth_page_and_complete(pages):
    path = Path(storyfuse.eval.__file__).parent / "labels" / "outlets.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "page_id\toutlet\tnote"
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 3 and row[1].strip() and row[2].strip() for row in rows)
    assert [row[0] for row in rows] == [p.page_id for p in pages[::8]]
    assert len(rows) >= 120
    assert not any("archive" in row[1].lower() for row in rows)  # archive copies: the original outlet
