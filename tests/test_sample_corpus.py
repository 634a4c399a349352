"""The bundled sample corpus, end to end: what its MANIFEST.md says is planted is found."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from storyfuse.export import validate

from conftest import event_of, memberships

FIRE_2025 = {
    "valdria-wire/2025-03-12-dunmore-fire", "meridian-post/2025-03-12-port-velmar-warehouse-fire",
    "harbour-ledger/2025-03-12-dunmore-fire", "northmoor-courier/2025-03-13-dunmore-fire-inspection",
    "kestrel-radio/2025-03-12-quayside-fire",
}
FIRE_2026 = {
    "valdria-wire/2026-03-16-halvard-depot-fire", "harbour-ledger/2026-03-17-halvard-depot-fire",
    "kestrel-radio/2026-03-16-ferrier-street-fire", "northmoor-courier/2026-03-17-halvard-fire-damage",
}
TRAM = {
    "valdria-wire/2026-05-07-lakeline-tram-vote", "eastbrook-sentinel/2026-05-08-council-backs-lakeline-tram",
    "northmoor-courier/2026-05-08-eastbrook-tram", "harbour-ledger/2026-05-08-eastbrook-lakeline",
    "kestrel-radio/2026-05-07-tram-vote",
}
STRIKE = {
    "aggregator-strike-001", "aggregator-strike-002", "aggregator-strike-003", "aggregator-strike-004",
    "kestrel-radio/2026-09-12-strike", "kestrel-radio/2026-09-12-strike-update",
}
TALKS = {"valdria-wire/2026-10-06-aurelian-talks-resume", "northmoor-courier/2026-10-07-aurelian-mediation"}
DEAL = {"eastbrook-sentinel/2026-11-03-aurelian-pay-deal", "kestrel-radio/2026-11-03-aurelian-deal"}
FRENCH = "courrier-de-valdrie/2026-09-14-greve-aurelian"


def article(doc, article_id):
    return next(a for a in doc["articles"] if a["id"] == article_id)


def fact_with(event, words):
    found = [f for f in event["facts"] if words.lower() in f["text"].lower()]
    assert found, f"no fact containing {words!r} in {event['title']!r}"
    return found[0]


def quote_with(event, words):
    found = [q for q in event["quotes"] if words in q["text"]]
    assert found, f"no quote containing {words!r} in {event['title']!r}"
    return found[0]


def digits(text):
    return re.sub(r"\D", "", text)


def test_every_article_is_stored_and_the_counts_add_up(demo):
    _, report, doc = demo
    assert report.read == 25 and report.added == 25 and not report.rejected
    assert report.counts_add_up


def test_the_six_events_are_found_with_their_articles(demo_doc):
    assert memberships(demo_doc) == {frozenset(FIRE_2025), frozenset(FIRE_2026), frozenset(TRAM), frozenset(STRIKE),
                                     frozenset(TALKS), frozenset(DEAL)}


def test_the_strike_the_talks_and_the_deal_are_one_thread_in_date_order(demo_doc):
    ids = [event_of(demo_doc, sorted(group)[0])["id"] for group in (STRIKE, TALKS, DEAL)]
    (thread,) = demo_doc["threads"]
    assert thread["events"] == ids
    assert all(event_of(demo_doc, sorted(g)[0])["thread"] == thread["id"] for g in (STRIKE, TALKS, DEAL))
    assert "Aurelian Airways" in thread["title"]


def test_two_fires_of_the_same_kind_with_other_subjects_are_not_threaded(demo_doc):
    assert event_of(demo_doc, sorted(FIRE_2025)[0])["thread"] is None
    assert event_of(demo_doc, sorted(FIRE_2026)[0])["thread"] is None


def test_two_fires_in_one_city_a_year_apart_are_two_events(demo_doc):
    assert event_of(demo_doc, "valdria-wire/2025-03-12-dunmore-fire")["id"] != event_of(
        demo_doc, "valdria-wire/2026-03-16-halvard-depot-fire")["id"]


def test_french_article_is_stored_but_not_analysed_or_clustered(demo_doc):
    french = article(demo_doc, FRENCH)
    assert french["language"] == "fr"
    assert french["event"] is None and french["analysed"] is False
    assert "language 'fr'" in french["analysis_note"]
    assert french["entities"] == [] and french["quotes"] == []


def test_syndicated_copy_is_marked_with_the_wire_as_origin(demo_doc):
    copy = article(demo_doc, "meridian-post/2025-03-12-port-velmar-warehouse-fire")
    assert copy["duplicate_of"] == "valdria-wire/2025-03-12-dunmore-fire"
    assert copy["reuses"] == [{"article": "valdria-wire/2025-03-12-dunmore-fire", "kind": "syndicated",
                               "overlap": 1.0, "origin": "valdria-wire/2025-03-12-dunmore-fire"}]


def test_exact_duplicate_of_one_outlet_is_a_duplicate(demo_doc):
    pair = [article(demo_doc, "kestrel-radio/2026-09-12-strike"), article(demo_doc, "kestrel-radio/2026-09-12-strike-update")]
    assert sorted(a["duplicate_of"] is None for a in pair) == [False, True]
    assert all(a["reuses"][0]["kind"] == "duplicate" for a in pair)


def test_rewrite_of_the_wire_story_is_found_with_partial_overlap(demo_doc):
    rewrite = article(demo_doc, "eastbrook-sentinel/2026-05-08-council-backs-lakeline-tram")
    [reuse] = rewrite["reuses"]
    assert reuse["article"] == "valdria-wire/2026-05-07-lakeline-tram-vote"
    assert reuse["kind"] == "rewrite" and 0.2 <= reuse["overlap"] < 0.6
    assert reuse["origin"] == "valdria-wire/2026-05-07-lakeline-tram-vote"
    assert rewrite["duplicate_of"] is None


def test_the_day_the_talks_open_is_a_date_conflict(demo_doc):
    event = event_of(demo_doc, "valdria-wire/2026-10-06-aurelian-talks-resume")
    conflicts = [c for f in event["facts"] for c in f["conflicts"] if c["slot"] == "weekday next"]
    assert len(conflicts) == 1
    sides = {s["value"]: set(s["articles"]) for s in conflicts[0]["sides"]}
    assert sides == {"Monday": {"valdria-wire/2026-10-06-aurelian-talks-resume"},
                     "Tuesday": {"northmoor-courier/2026-10-07-aurelian-mediation"}}


def test_injured_workers_two_then_three_the_next_day_is_an_update_not_a_conflict(demo_doc):
    event = event_of(demo_doc, "valdria-wire/2025-03-12-dunmore-fire")
    assert not [c for f in event["facts"] for c in f["conflicts"] if c["slot"] == "worker"]
    (update,) = [u for f in event["facts"] for u in f["updates"] if u["slot"] == "worker"]
    assert [s["value"].lower() for s in update["sides"]] == ["two", "three"]  # in date order
    assert update["sides"][1]["articles"] == ["northmoor-courier/2025-03-13-dunmore-fire-inspection"]
    assert set(update["sides"][0]["articles"]) <= FIRE_2025 - {"northmoor-courier/2025-03-13-dunmore-fire-inspection"}


def test_an_updated_count_is_told_in_the_timeline_at_each_value(demo_doc):
    event = event_of(demo_doc, "valdria-wire/2025-03-12-dunmore-fire")
    told = {(e["date"], e["text"]) for e in event["timeline"]}
    assert any(d == "2025-03-12" and "two workers" in t.lower() for d, t in told)
    assert any(d == "2025-03-13" and t.startswith("Three workers were injured") for d, t in told)


@pytest.mark.parametrize("article_id, slot, values", [
    ("valdria-wire/2026-03-16-halvard-depot-fire", "EUR", {"3", "5"}),
    ("valdria-wire/2026-05-07-lakeline-tram-vote", "EUR", {"412", "420"}),
    # Not "flight: 140 / 160": 140 cancellations announced days before the strike, 160 flights
    # grounded on its first morning are said of different moments (an update, not a conflict).
])
def test_conflicting_figures_between_outlets_are_reported(demo_doc, article_id, slot, values):
    event = event_of(demo_doc, article_id)
    conflicts = [c for f in event["facts"] for c in f["conflicts"] if c["slot"] == slot]
    assert conflicts, f"no {slot} conflict in {event['title']!r}"
    assert {digits(s["value"]) for s in conflicts[0]["sides"]} == values


def test_contradicted_facts_carry_their_conflicts(demo_doc):
    for event in demo_doc["events"]:
        for f in event["facts"]:
            assert (f["status"] == "contradicted") == bool(f["conflicts"])


@pytest.mark.parametrize("article_id, words, at_least", [
    ("valdria-wire/2025-03-12-dunmore-fire", "No one was killed", 3),
    ("valdria-wire/2026-03-16-halvard-depot-fire", "treated for smoke inhalation", 3),
    ("valdria-wire/2026-05-07-lakeline-tram-vote", "voted 31 to 14", 3),
    ("aggregator-strike-001", "refund", 2),
])
def test_facts_reported_by_several_outlets_are_corroborated(demo_doc, article_id, words, at_least):
    fact = fact_with(event_of(demo_doc, article_id), words)
    assert fact["status"] in ("corroborated", "contradicted")
    assert fact["independent_sources"] >= at_least


def test_wire_and_its_syndicated_copy_count_as_one_source(demo_doc):
    event = event_of(demo_doc, "valdria-wire/2025-03-12-dunmore-fire")
    fact = fact_with(event, "employs around 220 people")
    assert set(fact["articles"]) == {"valdria-wire/2025-03-12-dunmore-fire",
                                     "meridian-post/2025-03-12-port-velmar-warehouse-fire"}
    assert fact["independent_sources"] == 1 and fact["status"] == "single_source"


def test_a_claim_only_one_outlet_makes_is_single_source(demo_doc):
    fact = fact_with(event_of(demo_doc, "valdria-wire/2025-03-12-dunmore-fire"), "failed a fire-safety inspection in 2023")
    assert fact["status"] == "single_source"
    assert fact["articles"] == ["northmoor-courier/2025-03-13-dunmore-fire-inspection"]


def test_a_figure_only_one_outlet_gives_inside_a_corroborated_claim_is_listed_with_that_claim(demo_doc):
    event = event_of(demo_doc, "valdria-wire/2026-05-07-lakeline-tram-vote")
    (fact,) = [f for f in event["facts"] if any(s["value"] == "14 stops" for s in f.get("only_one_source", []))]
    (side,) = [s for s in fact["only_one_source"] if s["value"] == "14 stops"]
    assert side["articles"] == ["eastbrook-sentinel/2026-05-08-council-backs-lakeline-tram"]
    assert "will have 14 stops" in side["text"] and fact["status"] == "corroborated"
    # the claim belongs to that one fact only
    assert [f["id"] for f in event["facts"] if "will have 14 stops" in f["text"]] in ([], [fact["id"]])


@pytest.mark.parametrize("article_id, words, speaker", [
    ("valdria-wire/2025-03-12-dunmore-fire", "fully engulfed when our first crews arrived", "Marguerite Okonjo-Hale"),
    ("valdria-wire/2026-03-16-halvard-depot-fire", "stopped the fire from reaching the fuel store", "Marguerite Okonjo-Hale"),
    ("valdria-wire/2026-05-07-lakeline-tram-vote", "most important transport decision", "Lucia Ferrante"),
    ("valdria-wire/2026-05-07-lakeline-tram-vote", "long after the ribbon is cut", "Piet Haverkamp"),
    ("aggregator-strike-001", "patience has run out", "Joanna Mbeki-Ross"),
    ("aggregator-strike-001", "negotiating table at any time", "Henrik Solberg"),
    ("harbour-ledger/2026-05-08-eastbrook-lakeline", "find the money, so can we", "Greta Lindholm"),
])
def test_quotes_get_their_speakers(demo_doc, article_id, words, speaker):
    assert quote_with(event_of(demo_doc, article_id), words)["speaker"] == speaker


def test_quote_reported_by_several_outlets_lists_them_all(demo_doc):
    quote = quote_with(event_of(demo_doc, "aggregator-strike-001"), "patience has run out")
    assert {"aggregator-strike-001", "aggregator-strike-003", "kestrel-radio/2026-09-12-strike"} <= set(quote["articles"])


def test_quote_attributed_to_another_speaker_by_one_outlet_is_a_speaker_conflict(demo_doc):
    quote = quote_with(event_of(demo_doc, "valdria-wire/2025-03-12-dunmore-fire"), "fully engulfed")
    claims = {c["speaker"]: set(c["articles"]) for c in quote["speaker_conflict"]}
    assert claims["Aldo Brennan"] == {"kestrel-radio/2025-03-12-quayside-fire"}
    assert "Marguerite Okonjo-Hale" in claims


def entity_named(doc, name):
    found = [e for e in doc["entities"] if e["name"] == name]
    assert len(found) == 1, f"{len(found)} entities named {name!r}"
    return found[0]


def test_name_variants_are_one_entity_across_articles_and_events(demo_doc):
    chief = entity_named(demo_doc, "Marguerite Okonjo-Hale")
    assert chief["label"] == "PERSON"
    assert "Okonjo-Hale" in chief["aliases"]
    assert set(chief["articles"]) & FIRE_2025 and set(chief["articles"]) & FIRE_2026


def test_surname_and_title_forms_join_the_full_name(demo_doc):
    mayor = entity_named(demo_doc, "Lucia Ferrante")
    assert {"Ferrante", "Ms Ferrante"} <= set(mayor["aliases"])


def test_acronym_joins_the_organisation_it_abbreviates(demo_doc):
    union = entity_named(demo_doc, "Cabin Crew Union of Valdria")
    assert "CCUV" in union["aliases"]


def test_every_mention_points_at_a_known_entity(demo_doc):
    known = {e["id"] for e in demo_doc["entities"]}
    for a in demo_doc["articles"]:
        for m in a["entities"]:
            assert m["entity"] in known and a["text"][m["start"]:m["end"]] == m["text"]


@pytest.mark.parametrize("article_id, expression, value", [
    ("valdria-wire/2025-03-12-dunmore-fire", "on Tuesday", "2025-03-11"),
    ("valdria-wire/2026-05-07-lakeline-tram-vote", "next spring", "2027"),
    ("eastbrook-sentinel/2026-05-08-council-backs-lakeline-tram", "last week", "2026-W18"),
    ("aggregator-strike-003", "three days ago", "2026-09-11"),
    ("valdria-wire/2025-03-12-dunmore-fire", "earlier this year", "2025"),
])
def test_relative_dates_resolve_against_the_publication_date(demo_doc, article_id, expression, value):
    dates = article(demo_doc, article_id)["dates"]
    found = [d for d in dates if expression.lower() in d["text"].lower()]
    assert found, f"{expression!r} not found among {[d['text'] for d in dates]}"
    assert found[0]["value"] == value


def test_page_junk_lines_are_removed_and_kept_aside(demo_doc):
    courier = article(demo_doc, "northmoor-courier/2025-03-13-dunmore-fire-inspection")
    planted = ["Advertisement", "Photo: Harbour Ledger / Tomas Rydell", "Share this article",
               "Read more: Council delays harbour dredging vote", "Sign up for our morning briefing",
               "© 2026 Northmoor Courier. All rights reserved."]
    assert list(courier["removed"]) == planted
    assert not any(line in courier["text"] for line in planted)


def test_html_page_furniture_is_removed_from_the_text(demo_doc):
    page = article(demo_doc, "harbour-ledger/2025-03-12-dunmore-fire")
    furniture = [r for r in page["removed"] if "cookie" in r.lower() or "All rights reserved" in r]
    assert furniture
    assert "cookie" not in page["text"].lower() and "All rights reserved" not in page["text"]
    assert page["source"] == "Harbour Ledger" and page["published"].startswith("2025-03-12T09:30")


def test_wire_dateline_is_kept_apart_from_the_text(demo_doc):
    wire = article(demo_doc, "valdria-wire/2025-03-12-dunmore-fire")
    assert wire["dateline"] == "PORT VELMAR, March 12 (VWS)"
    assert not wire["text"].startswith("PORT VELMAR")


def test_every_summary_sentence_cites_articles_of_its_event(demo_doc):
    for event in demo_doc["events"]:
        assert 1 <= len(event["summary"]) <= 5
        facts = {f["id"]: f for f in event["facts"]}
        for s in event["summary"]:
            assert s["articles"] and set(s["articles"]) <= set(event["articles"])
            assert facts[s["fact"]]["status"] == s["status"]
            # The whole sentence that holds the fact's claim, as one of its articles has it.
            assert s["text"] in [e["text"] for e in facts[s["fact"]]["evidence"]]


def test_summary_sentences_are_sentences_of_the_articles_they_cite(demo_doc):
    texts = {a["id"]: a["text"] for a in demo_doc["articles"]}
    for event in demo_doc["events"]:
        for s in event["summary"]:
            assert any(s["text"] in texts[a] for a in s["articles"])


def test_no_sentence_is_told_twice_in_a_summary(demo_doc):
    for event in demo_doc["events"]:
        told = [s["text"] for s in event["summary"]]
        assert len(told) == len(set(told))


def test_timelines_are_in_date_order_and_point_at_facts(demo_doc):
    assert all(event["timeline"] for event in demo_doc["events"])
    for event in demo_doc["events"]:
        dates = [t["date"] for t in event["timeline"]]
        assert dates == sorted(dates)
        facts = {f["id"] for f in event["facts"]}
        assert all(set(t["facts"]) <= facts for t in event["timeline"])


def test_event_span_covers_the_night_of_the_fire(demo_doc):
    event = event_of(demo_doc, "valdria-wire/2025-03-12-dunmore-fire")
    assert event["start"] == "2025-03-11" and event["end"] == "2025-03-13"


def test_fact_evidence_offsets_point_at_their_sentences(demo_doc):
    texts = {a["id"]: a["text"] for a in demo_doc["articles"]}
    for event in demo_doc["events"]:
        for f in event["facts"]:
            for ev in f["evidence"]:
                assert texts[ev["article"]][ev["start"]:ev["end"]] == ev["text"]


def test_export_matches_the_json_schema(demo_doc):
    validate(demo_doc)


def test_export_passes_the_contract_checker(demo_doc, check_export_tool, tmp_path):
    import json

    path = tmp_path / "export.json"
    path.write_text(json.dumps(demo_doc), encoding="utf-8")
    out = subprocess.run([sys.executable, str(check_export_tool), str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
    assert out.stdout.strip().endswith("25 articles, 6 events")


def test_a_quotation_interrupted_by_its_attribution_is_one_quote_with_its_segments(demo_doc):
    doc = article(demo_doc, "valdria-wire/2025-03-12-dunmore-fire")
    quote = next(q for q in doc["quotes"] if "fully engulfed" in q["text"])
    assert [doc["text"][s["start"]:s["end"]].split()[:3] for s in quote["segments"]] == [
        ["The", "building", "was"], ["Our", "priority", "was"]]
    assert quote["speaker"] == "Marguerite Okonjo-Hale"


def test_a_yearly_running_cost_beside_the_total_cost_is_no_conflict(demo_doc):
    event = event_of(demo_doc, "valdria-wire/2026-05-07-lakeline-tram-vote")
    sides = [s for f in event["facts"] for c in f["conflicts"] for s in c["sides"]]
    assert sides and not any("a year" in s["text"] for s in sides)


def test_an_estimate_and_a_close_figure_corroborate_each_other(demo_doc):
    fact = fact_with(event_of(demo_doc, "valdria-wire/2026-05-07-lakeline-tram-vote"), "million a year")
    assert (fact["status"], fact["independent_sources"]) == ("corroborated", 2)


def test_a_career_figure_beside_this_years_figure_is_no_conflict(demo_doc):
    event = event_of(demo_doc, "valdria-wire/2025-03-12-dunmore-fire")
    assert not [c for f in event["facts"] for c in f["conflicts"] if c["slot"].endswith("fire")]
