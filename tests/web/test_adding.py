"""Adding articles from the web UI and the API: the pipeline runs in a subprocess through the
store's writer lock, progress is shown, and the new or changed events are linked at the end."""

from __future__ import annotations

import http.server
import re
import threading

import pytest
from fastapi.testclient import TestClient

from storyfuse.store import Store
from storyfuse.web import create_app

from .live import live

pytestmark = pytest.mark.slow

FOLLOW_UP = """The owner of the Dunmore Textiles warehouse on Quayside Road in Port Velmar said on Thursday
that it would rebuild on the same site, two days after a fire gutted the building and injured two workers.

"We will rebuild here, and every worker will keep their job," the company's managing director told
reporters outside the burned-out warehouse. The Port Velmar Fire Service said its investigation into the
cause of the fire was continuing.
"""

PAGE = """<html><head><title>Lakeline tram: work to start in spring</title></head><body>
<nav>Home | News | Sport</nav>
<article><h1>Lakeline tram: work to start in spring</h1>
<p>Work on the €412 million Lakeline tram extension in Eastbrook will start next spring, the city council
said on Friday, a week after councillors approved the project.</p>
<p>The extension will add six stops between the central station and the lake shore, the council said, and
the first trams are due to run on it in 2029.</p></article>
<footer>Copyright Eastbrook Daily Bulletin. All rights reserved.</footer></body></html>"""


@pytest.fixture
def local_page():
    """A page on a server of this machine (the tests' own: private addresses are allowed for them)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/2026/lakeline-spring"
    server.shutdown()


def test_adding_from_the_page_places_the_articles_and_links_their_events(browser, demo_copy, local_page):
    with live(demo_copy, allow_private_urls=True) as server:
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url + "/add")
        page.fill("#a-text", FOLLOW_UP)
        page.fill("#a-title", "Dunmore Textiles to rebuild fire-hit warehouse")
        page.fill("#a-source", "Port Velmar Evening Star")
        page.fill("#a-url", local_page)
        page.click("form.add button[type=submit]")
        page.wait_for_url(re.compile(r"/jobs/[0-9a-f]{32}$"))
        page.wait_for_selector("#job[data-state=finished]", timeout=300_000)
        assert "2 read, 2 added" in page.inner_text("#job-progress")
        links = page.locator("ul.job-events a")
        assert links.count() >= 2
        with Store(demo_copy, readonly=True) as store:
            states = store.articles.states()
        pasted = next(s for a, s in states.items() if a.startswith("pasted-"))
        fetched = states["127.0.0.1:" + local_page.split(":")[2].split("/")[0] + "/2026/lakeline-spring"]
        listed = set(links.evaluate_all("ls => ls.map(l => l.getAttribute('href'))"))
        assert {f"/events/{pasted.event_id}", f"/events/{fetched.event_id}"} <= listed
        page.click(f"ul.job-events a[href='/events/{pasted.event_id}']")
        assert "Dunmore Textiles to rebuild fire-hit warehouse" in page.inner_text("#articles")
        assert "Port Velmar Evening Star" in page.inner_text("table.facts thead")
        context.close()


def test_adding_through_the_api_then_again_adds_nothing(demo_copy):
    with TestClient(create_app(demo_copy)) as client:
        response = client.post("/api/articles", json={"text": FOLLOW_UP, "source": "Port Velmar Evening Star"})
        assert response.status_code == 202 and response.headers["location"].startswith("/api/jobs/")
        job = response.json()
        assert job["state"] in ("queued", "running")
        done = client.app.state.web.jobs.wait(job["id"], timeout=300)
        assert (done.state, done.read, done.added, done.rejected) == ("finished", 1, 1, [])
        assert done.events and client.get(response.headers["location"]).json()["events"] == done.events
        event = done.events[0]["id"]
        members = client.get(f"/api/events/{event}").json()["articles"]
        assert any(a["source"] == "Port Velmar Evening Star" for a in members)
        again = client.post("/api/articles", json={"text": FOLLOW_UP, "source": "Port Velmar Evening Star"}).json()
        second = client.app.state.web.jobs.wait(again["id"], timeout=300)
        assert (second.state, second.read, second.added, second.already_stored) == ("finished", 1, 0, 1)


def test_uploaded_files_are_added_under_their_names(demo_copy):
    with TestClient(create_app(demo_copy)) as client:
        client.get("/add")
        csrf = client.cookies["storyfuse_csrf"]
        response = client.post("/add", data={"csrf": csrf}, files=[
            ("files", ("../../etc/rebuild-plan.txt", FOLLOW_UP.encode(), "text/plain")),
            ("files", ("notes.html", b"<html><body><p>Too short.</p></body></html>", "text/html"))],
            follow_redirects=False)
        assert response.status_code == 303
        job_id = response.headers["location"].rsplit("/", 1)[1]
        done = client.app.state.web.jobs.wait(job_id, timeout=300)
        assert done.inputs == ["../../etc/rebuild-plan.txt", "notes.html"]
        assert (done.state, done.read, done.added) == ("finished", 2, 1)
        assert [r["input"] for r in done.rejected] == ["notes.html"]
        assert client.get("/api/articles/rebuild-plan").status_code == 200
        page = client.get(f"/jobs/{job_id}").text
        assert "notes.html" in page and "1 added" in page


def test_a_private_url_is_refused_by_the_fetch_itself(demo_copy, local_page):
    """The page checks the address before the job starts; the fetch checks it again (redirects,
    names that resolve differently): here the job is asked directly."""
    with TestClient(create_app(demo_copy)) as client:
        jobs = client.app.state.web.jobs
        job = jobs.new_job()
        jobs.add_url(job, local_page)
        done = jobs.wait(jobs.submit(job, None), timeout=300)
    assert done.state == "finished" and done.added == 0
    assert [r["input"] for r in done.rejected] == [local_page]
    assert "loopback, private or link-local" in done.rejected[0]["reason"]
