"""The web UI in a real browser (Debian's chromium, driven by playwright): clicking through
events, articles and entities, search, filters, keyboard use, and markup from articles shown
as text under a content security policy that blocks inline script."""

from __future__ import annotations

import re

import pytest

from storyfuse.config import Config
from storyfuse.pipeline import run
from storyfuse.store import Store

from .live import live

HOSTILE = """---
title: Harbour <b>bold</b> claim <script>window.__xss = 1</script>
source: Mallow <i>Gazette</i>
published: 2025-03-12
---
Port Velmar harbour workers said on Tuesday that <img src=x onerror="window.__xss = 2"> smoke from the
Dunmore Textiles warehouse fire reached the quay. <a href="javascript:window.__xss = 3">Read more</a>.
<script>window.__xss = 4</script> A <b>bold</b> spokesman said the fire service had the blaze under control.
"""


@pytest.fixture(scope="module")
def server(web_db):
    with live(web_db) as s:
        yield s


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda err: errors.append(str(err)))
    yield p
    context.close()
    assert errors == []


def test_click_from_the_events_list_to_an_event_an_article_and_an_entity(page, server, demo_doc):
    largest = max(demo_doc["events"], key=lambda e: (len(e["articles"]), e["id"]))
    page.goto(server.url + "/?order=size")
    page.click(f"ol.events a[href='/events/{largest['id']}']")
    assert page.inner_text("h1") == largest["title"]
    facts = page.locator("table.facts tbody tr")
    assert facts.count() == len(largest["facts"])
    first = largest["articles"][0]
    page.click(f"#articles a[href='/articles/{first}']")
    article = next(a for a in demo_doc["articles"] if a["id"] == first)
    assert page.inner_text("h1") == article["title"]
    assert page.inner_text(".text") == article["text"]
    page.go_back()
    link = page.locator("#entities a").first
    name = link.inner_text()
    link.click()
    assert page.inner_text("h1").startswith(name)
    assert page.locator("ol.events li.event-item").count() >= 1


def test_event_page_shows_conflicts_side_by_side(page, server, demo_doc):
    event = next(e for e in demo_doc["events"] if any(f["conflicts"] for f in e["facts"]))
    page.goto(f"{server.url}/events/{event['id']}")
    conflict = next(c for f in event["facts"] for c in f["conflicts"])
    values = page.locator("#conflicts .conflict").first.locator(".side .value").all_inner_texts()
    assert values == [s["value"] for s in conflict["sides"]]


def test_citations_link_to_the_articles_they_cite(page, server, demo_doc):
    event = max(demo_doc["events"], key=lambda e: len(e["articles"]))
    page.goto(f"{server.url}/events/{event['id']}")
    cites = page.locator("#summary a.cite")
    assert cites.count() > 0
    for i in range(cites.count()):
        href = cites.nth(i).get_attribute("href")
        n = int(cites.nth(i).inner_text().strip("[]"))
        assert href == "/articles/" + event["articles"][n - 1]


def test_search_from_the_header_highlights_the_words(page, server):
    page.goto(server.url + "/")
    page.fill("#top-q", "warehouse")
    page.press("#top-q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=warehouse"))
    marks = page.locator("ol.results mark").all_inner_texts()
    assert marks and all(m.lower() == "warehouse" for m in marks)


def test_filtering_by_outlet_lists_only_its_events(page, server, demo_doc):
    page.goto(server.url + "/")
    page.select_option("#f-outlet", "Harbour Ledger")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"outlet=Harbour"))
    shown = {a.split("/events/")[1] for a in page.locator("ol.events h3 a").evaluate_all(
        "links => links.map(l => l.getAttribute('href'))")}
    assert shown == {a["event"] for a in demo_doc["articles"] if a["source"] == "Harbour Ledger"}


def test_filtering_by_a_name_lists_the_events_naming_it(page, server, demo_doc):
    entity = next(e for e in demo_doc["entities"] if e["name"] == "Marguerite Okonjo-Hale")
    page.goto(server.url + "/")
    page.fill("#f-who", "Okonjo-Hale")
    page.press("#f-who", "Enter")
    page.wait_for_url(re.compile(r"who=Okonjo-Hale"))
    assert "Marguerite Okonjo-Hale" in page.inner_text("p.filtering")
    shown = {h.split("/events/")[1] for h in page.locator("ol.events h3 a").evaluate_all(
        "links => links.map(l => l.getAttribute('href'))")}
    assert shown == {a["event"] for a in demo_doc["articles"] if a["id"] in entity["articles"]}


def test_every_page_linked_from_the_events_list_answers_200(page, server):
    page.goto(server.url + "/")
    links = set(page.locator("a[href^='/']").evaluate_all("links => links.map(l => l.getAttribute('href'))"))
    for href in sorted(links):
        if href.startswith("/events/"):
            page.goto(server.url + href)
            links |= set(page.locator("a[href^='/']").evaluate_all("ls => ls.map(l => l.getAttribute('href'))"))
    checked = 0
    for href in sorted(links):
        response = page.request.get(server.url + href.split("#")[0])
        assert response.status == 200, href
        checked += 1
    assert checked > 30


def test_the_keyboard_reaches_the_content_first(page, server):
    page.goto(server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_an_injected_inline_script_is_blocked(page, server):
    page.goto(server.url + "/")
    blocked = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective));
        const s = document.createElement('script');
        s.textContent = 'window.__ran = true';
        document.body.appendChild(s);
        setTimeout(() => resolve(null), 2000);
    })""")
    assert blocked and blocked.startswith("script-src")
    assert page.evaluate("window.__ran") is None


@pytest.fixture(scope="module")
def hostile_server(demo, tmp_path_factory, models):
    import shutil

    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.db"
    with Store(demo[0]) as store:
        store.checkpoint()
    shutil.copy(demo[0], db)
    source = folder / "mallow-harbour-claim.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    with Store(db) as store:
        report = run([str(source)], store, Config(), models=models)
    assert report.added == 1
    with live(db) as s:
        yield s


def test_markup_in_an_article_is_shown_as_text_and_never_runs(browser, hostile_server):
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_server.url + "/articles/mallow-harbour-claim")
    assert "<script>window.__xss = 1</script>" in page.inner_text("h1")
    body = page.inner_text(".text")
    assert '<img src=x onerror="window.__xss = 2">' in body and '<a href="javascript:window.__xss = 3">' in body
    assert page.locator(".text b, .text img, .text script, h1 b, h1 script").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    page.click("dl.facts-about a[href^='/events/']")  # its event: title and outlet in lists and tables
    assert "Mallow <i>Gazette</i>" in page.locator("table.facts thead").inner_text()
    assert "claim <script>window.__xss = 1</script>" in page.locator("#articles").inner_text()
    page.goto(hostile_server.url + "/search?q=spokesman+bold")
    assert page.locator("ol.results li").count() >= 1
    page.goto(hostile_server.url + "/?outlet=" + "Mallow <i>Gazette</i>")
    assert page.locator("ol.events h3 a").count() == 1
    assert page.locator("b, i, img, script:not([src])").count() == 0
    assert page.evaluate("window.__xss") is None and dialogs == []
    context.close()
