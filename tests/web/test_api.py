"""The JSON API over the demo store: every page's twin, checked against the store's export."""

from __future__ import annotations

import dataclasses
import time

from fastapi.testclient import TestClient

from storyfuse.models import count_statuses
from storyfuse.store import Store
from storyfuse.web import create_app, views


def _largest(doc: dict) -> dict:
    return max(doc["events"], key=lambda e: (len(e["articles"]), e["id"]))


def test_events_lists_every_event_once_across_pages(client, demo_doc):
    seen, offset = [], 0
    while offset is not None:
        page = client.get("/api/events", params={"limit": 2, "offset": offset}).json()
        seen += [e["id"] for e in page["events"]]
        offset = page["paging"]["next_offset"]
    assert sorted(seen) == sorted(e["id"] for e in demo_doc["events"])
    assert page["paging"]["total"] == len(demo_doc["events"])


def test_events_newest_first_by_end_date(client):
    events = client.get("/api/events").json()["events"]
    ends = [e["end"] or e["start"] for e in events]
    assert ends == sorted(ends, reverse=True)


def test_events_by_size_has_the_largest_first(client, demo_doc):
    events = client.get("/api/events", params={"order": "size"}).json()["events"]
    assert events[0]["articles"] == len(_largest(demo_doc)["articles"])
    assert [e["articles"] for e in events] == sorted((e["articles"] for e in events), reverse=True)


def test_event_item_counts_match_the_story(client, demo_doc):
    stories = {e["id"]: e for e in demo_doc["events"]}
    for item in client.get("/api/events", params={"limit": 100}).json()["events"]:
        story = stories[item["id"]]
        assert item["articles"] == len(story["articles"])
        assert item["facts"] == count_statuses(f["status"] for f in story["facts"])


def test_events_filtered_by_outlet_all_have_an_article_from_it(client, demo_doc):
    outlet = "Northmoor Courier"
    ids = {e["id"] for e in client.get("/api/events", params={"outlet": outlet}).json()["events"]}
    expected = {a["event"] for a in demo_doc["articles"] if a["source"] == outlet and a["event"]}
    assert ids == expected and ids


def test_events_filtered_by_dates(client, demo_doc):
    got = {e["id"] for e in client.get("/api/events", params={"since": "2026-05-01", "until": "2026-09-30"})
           .json()["events"]}
    expected = {e["id"] for e in demo_doc["events"]
                if (e["end"] or e["start"]) >= "2026-05-01" and (e["start"] or e["end"])[:10] <= "2026-09-30"}
    assert got == expected and 0 < len(got) < len(demo_doc["events"])


def test_events_filtered_by_entity_name_it(client, demo_doc):
    entity = next(e for e in demo_doc["entities"] if e["name"] == "Marguerite Okonjo-Hale")
    page = client.get("/api/events", params={"entity": entity["id"]}).json()
    assert page["entity"]["name"] == "Marguerite Okonjo-Hale"
    expected = {a["event"] for a in demo_doc["articles"] if a["id"] in entity["articles"]}
    assert {e["id"] for e in page["events"]} == expected


def test_event_detail_matches_its_story(client, demo_doc):
    event = _largest(demo_doc)
    got = client.get(f"/api/events/{event['id']}").json()
    assert [a["id"] for a in got["articles"]] == event["articles"]
    assert [a["number"] for a in got["articles"]] == list(range(1, len(event["articles"]) + 1))
    assert [r["fact"]["id"] for r in got["facts"]] == [f["id"] for f in event["facts"]]
    assert [s["text"] for s in got["summary"]] == [s["text"] for s in event["summary"]]
    assert len(got["conflicts"]) == sum(len(f["conflicts"]) for f in event["facts"])


def test_event_fact_outlets_are_the_sources_of_its_articles(client, demo_doc):
    event = _largest(demo_doc)
    source = {a["id"]: a["source"] for a in demo_doc["articles"]}
    got = client.get(f"/api/events/{event['id']}").json()
    for row in got["facts"]:
        assert set(row["outlets"]) == {source[a] or "(no outlet)" for a in row["fact"]["articles"]}


def test_coverage_only_here_are_facts_of_that_outlet_alone(client, demo_doc):
    event = _largest(demo_doc)
    got = client.get(f"/api/events/{event['id']}").json()
    rows = {r["fact"]["id"]: r["outlets"] for r in got["facts"]}
    for c in got["coverage"]:
        assert all(rows[f["id"]] == [c["outlet"]] for f in c["only_here"])
        assert c["facts"] == sum(1 for outlets in rows.values() if c["outlet"] in outlets)


def test_coverage_names_the_syndicated_copy(client, demo_doc):
    copies = [(a["id"], a["duplicate_of"]) for a in demo_doc["articles"] if a["duplicate_of"]]
    assert copies, "the sample corpus holds a copy of a wire story"
    article, original = copies[0]
    event = next(a["event"] for a in demo_doc["articles"] if a["id"] == article)
    got = client.get(f"/api/events/{event}").json()
    found = [(cp["article"], cp["of"]) for c in got["coverage"] for cp in c["copies"]]
    assert (article, original) in found


def test_article_segments_put_its_text_back_together(client, demo_doc):
    article = next(a for a in demo_doc["articles"] if a["quotes"] and a["entities"])
    got = client.get(f"/api/articles/{article['id']}").json()
    assert "".join(s["text"] for s in got["segments"]) == article["text"]
    quoted = "".join(s["text"] for s in got["segments"] if s["quote"])
    assert article["quotes"][0]["text"][:20] in quoted
    assert got["removed"] == article["removed"]


def test_article_with_a_slash_in_its_id(client, demo_doc):
    article = next(a for a in demo_doc["articles"] if "/" in a["id"])
    got = client.get(f"/api/articles/{article['id']}").json()
    assert got["id"] == article["id"] and got["event"] == article["event"]


def test_entity_detail_has_aliases_events_and_quotes(client, demo_doc):
    entity = next(e for e in demo_doc["entities"] if e["name"] == "Marguerite Okonjo-Hale")
    got = client.get(f"/api/entities/{entity['id']}").json()
    assert set(got["entity"]["aliases"]) == set(entity["aliases"]) - {entity["name"]}
    assert {e["id"] for e in got["events"]} == {a["event"] for a in demo_doc["articles"] if a["id"] in entity["articles"]}
    said = [q for a in demo_doc["articles"] for q in a["quotes"] if q["speaker_entity"] == entity["id"]]
    assert len(got["quotes"]) == len(said) > 0


def test_search_finds_facts_and_articles_with_highlights(client):
    got = client.get("/api/search", params={"q": "warehouse fire"}).json()
    kinds = {r["kind"] for r in got["results"]}
    assert {"fact", "article"} <= kinds
    for r in got["results"]:
        matched = " ".join(p["text"].lower() for p in r["snippet"] if p["match"])
        assert "warehouse" in matched or "fire" in matched


def test_search_finds_a_quote_by_its_speaker(client):
    got = client.get("/api/search", params={"q": "Okonjo-Hale engulfed"}).json()
    assert any(r["kind"] == "quote" for r in got["results"])


def test_search_survives_query_syntax(client):
    for q in ['"unbalanced', "AND OR NOT", "-*:^", "NEAR(a b", "'; DROP TABLE articles; --"]:
        response = client.get("/api/search", params={"q": q})
        assert response.status_code == 200, q


def test_unknown_ids_answer_404_in_the_error_shape(client):
    for path in ("/api/events/ev-none", "/api/articles/none/such", "/api/entities/ent-none", "/api/jobs/" + "0" * 32,
                 "/api/no-such-route"):
        response = client.get(path)
        assert response.status_code == 404, path
        body = response.json()
        assert set(body) == {"error"} and body["error"]["status"] == 404 and body["error"]["code"] == "not_found"
        assert body["error"]["message"]


def test_a_date_that_does_not_exist_answers_422(client):
    for params in ({"since": "2026-02-30"}, {"until": "2026-13"}):
        response = client.get("/api/events", params=params)
        assert response.status_code == 422 and "not a date" in response.json()["error"]["message"]


def test_invalid_parameters_answer_422_in_the_error_shape(client):
    response = client.get("/api/events", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request" and "limit" in response.json()["error"]["message"]


def test_wrong_method_answers_405_in_the_error_shape(client):
    response = client.delete("/api/events")
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"


def test_openapi_documents_every_api_route_and_the_error_shape(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/entities/{entity_id}",
            "/api/search", "/api/articles", "/api/jobs/{job_id}"} <= paths
    assert "ApiError" in schema["components"]["schemas"]
    assert not any(p.startswith(("/events", "/add", "/login")) for p in paths)


def test_a_merged_event_is_found_under_its_old_id(demo_copy):
    with Store(demo_copy) as store:
        events = store.events.ids()
        keep, gone = events[0], events[1]
        store.clustering.merge(keep, gone)
    with TestClient(create_app(demo_copy)) as client:
        got = client.get(f"/api/events/{gone}").json()
        assert got["id"] == keep and gone in got["aliases"]
        page = client.get(f"/events/{gone}", follow_redirects=False)
    assert page.status_code == 301 and page.headers["location"] == f"/events/{keep}"


def test_events_filtered_by_an_entity_name_or_alias(client, demo_doc):
    entity = next(e for e in demo_doc["entities"] if e["name"] == "Marguerite Okonjo-Hale")
    expected = {a["event"] for a in demo_doc["articles"] if a["id"] in entity["articles"]}
    for who in ("marguerite okonjo-hale", "Okonjo-Hale", "Marguerite Okon"):
        page = client.get("/api/events", params={"who": who}).json()
        assert page["entity"]["id"] == entity["id"], who
        assert {e["id"] for e in page["events"]} == expected


def test_events_filtered_by_an_unknown_name_are_none_and_say_so(client):
    page = client.get("/api/events", params={"who": "Nobody Atall"}).json()
    assert page["events"] == [] and page["who"] == "Nobody Atall" and page["paging"]["total"] == 0


def test_events_of_a_thread_show_it(client, demo_doc):
    assert demo_doc["threads"], "the sample corpus holds a thread of events"
    thread = demo_doc["threads"][0]
    items = {e["id"]: e for e in client.get("/api/events", params={"limit": 100}).json()["events"]}
    for event in thread["events"]:
        assert items[event]["thread"]["title"] == thread["title"]
        assert items[event]["thread"]["events"] == thread["events"]
    detail = client.get(f"/api/events/{thread['events'][0]}").json()
    assert [e["id"] for e in detail["thread_events"]] == thread["events"][1:]


def test_a_failure_inside_a_page_answers_500_in_the_error_shape_without_a_traceback(web_db, monkeypatch):
    from storyfuse.web import app

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(app, "event_detail", broken)
    with TestClient(create_app(web_db), raise_server_exceptions=False) as client:
        event = client.get("/api/events").json()["events"][0]["id"]
        response = client.get(f"/api/events/{event}")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_an_event_page_is_kept_until_its_event_changes(demo_copy, monkeypatch):
    from storyfuse.web import app

    built = []
    monkeypatch.setattr(app, "event_detail", lambda *a: built.append(a[1]) or views.event_detail(*a))
    with TestClient(create_app(demo_copy)) as client:
        event = client.get("/api/events", params={"order": "size"}).json()["events"][0]["id"]
        before = client.get(f"/events/{event}").text
        assert client.get(f"/events/{event}").text == before and built == [event]
        with Store(demo_copy) as store:
            story = store.stories.events([event])[0].story
            store.stories.save(dataclasses.replace(story, title="A title written since"))
        assert "A title written since" in client.get(f"/events/{event}").text
        assert client.get(f"/api/events/{event}").json()["title"] == "A title written since"
        with Store(demo_copy) as store:  # saved again within the same second
            store.stories.save(dataclasses.replace(story, title="And again"))
        assert client.get(f"/api/events/{event}").json()["title"] == "And again"


def test_a_kept_page_is_built_again_once_it_is_old():
    from storyfuse.web.app import PageCache

    cache = PageCache(size=2, max_age_s=0.05)
    cache.put(("a",), b"page")
    assert cache.get(("a",)) == b"page"
    time.sleep(0.1)
    assert cache.get(("a",)) is None
    for k in ("a", "b", "c"):
        cache.put((k,), k.encode())
    assert cache.get(("a",)) is None and cache.get(("c",)) == b"c"
