"""Screenshots of the main pages at desktop and phone widths (written to build/screenshots)
and axe-core's accessibility check of each: no serious or critical violation. axe is served
from the axe-playwright-python package on PyPI and injected with the page's content security
policy bypassed, for this check only."""

from __future__ import annotations

from importlib import resources

import pytest

from .live import ARTIFACTS, live

pytestmark = pytest.mark.slow

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def server(web_db):
    with live(web_db) as s:
        yield s


@pytest.fixture(scope="module")
def axe_source() -> str:
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def _pages(demo_doc) -> dict[str, str]:
    event = max(demo_doc["events"], key=lambda e: (len(e["articles"]), e["id"]))
    article = next(a for a in demo_doc["articles"] if a["quotes"] and a["removed"])
    entity = next(e for e in demo_doc["entities"] if e["name"] == "Marguerite Okonjo-Hale")
    return {"events": "/", "event": f"/events/{event['id']}", "article": f"/articles/{article['id']}",
            "entity": f"/entities/{entity['id']}", "search": "/search?q=fire", "add": "/add"}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_main_pages_have_no_serious_accessibility_violations(browser, server, demo_doc, axe_source, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, bypass_csp=True)
    page = context.new_page()
    found = {}
    for name, path in _pages(demo_doc).items():
        page.goto(server.url + path)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        page.add_script_tag(content=axe_source)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            found[name] = bad
        assert (ARTIFACTS / f"{name}-{width}.png").stat().st_size > 5000
    context.close()
    assert found == {}


def test_pages_fit_a_phone_without_sideways_scrolling(browser, server, demo_doc):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in _pages(demo_doc).values():
        page.goto(server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()
