"""Tests for storyfuse.cluster.threads: events that continue one another."""

from __future__ import annotations

from storyfuse.cluster.threads import ThreadEvent, linked, threads

LABELS = {"varga": "PERSON", "kellan": "PERSON", "oskerby": "GPE", "dockers-union": "ORG", "port-authority": "ORG",
          "marrow-bay": "GPE", "tunnel-co": "ORG", "holm": "PERSON"}
NAMES = {k: k.replace("-", " ").title() for k in LABELS}


def test_events_with_the_same_main_actors_are_linked():
    a = ThreadEvent("ev-visit", "2024-05-14", ("varga", "kellan", "oskerby"), ("varga",))
    b = ThreadEvent("ev-return", "2025-06-11", ("varga", "kellan", "oskerby", "tunnel-co"), ("kellan",))
    assert linked(a, b, LABELS)


def test_shared_actors_that_no_title_names_are_not_a_thread():
    # Two fires attended by the same fire chief and fire service: the subjects differ.
    a = ThreadEvent("ev-fire-a", "2025-03-12", ("holm", "port-authority", "oskerby", "tunnel-co"), ("tunnel-co",))
    b = ThreadEvent("ev-fire-b", "2026-03-16", ("holm", "port-authority", "oskerby", "kellan"), ("kellan",))
    assert not linked(a, b, LABELS)


def test_one_shared_name_is_not_a_thread():
    a = ThreadEvent("ev-visit", "2024-05-14", ("varga", "oskerby"))
    b = ThreadEvent("ev-strike", "2024-05-13", ("varga", "marrow-bay", "dockers-union"))
    assert not linked(a, b, LABELS)


def test_places_alone_do_not_make_a_thread():
    a = ThreadEvent("ev-a", "2024-05-14", ("oskerby", "marrow-bay"))
    b = ThreadEvent("ev-b", "2025-05-14", ("oskerby", "marrow-bay"))
    assert not linked(a, b, LABELS)


def test_threads_are_connected_events_in_date_order():
    events = [
        ThreadEvent("ev-talks", "2024-06-02", ("dockers-union", "port-authority", "marrow-bay"), ("port-authority",)),
        ThreadEvent("ev-strike", "2024-05-13", ("dockers-union", "port-authority", "marrow-bay"), ("dockers-union",)),
        ThreadEvent("ev-deal", "2024-06-20", ("dockers-union", "port-authority", "holm"), ("dockers-union",)),
        ThreadEvent("ev-other", "2024-05-14", ("varga", "oskerby")),
    ]
    (thread,) = threads(events, LABELS, NAMES)
    assert thread.events == ("ev-strike", "ev-talks", "ev-deal")
    assert thread.title == "Dockers Union, Port Authority"
    assert thread.id.startswith("th-")


def test_an_event_without_a_partner_is_in_no_thread():
    assert threads([ThreadEvent("ev-a", None, ("varga", "kellan"))], LABELS, NAMES) == []
