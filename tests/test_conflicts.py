"""Place conflicts: two outlets placing one act in two places (``conflicts.find_conflicts``
through ``corroborate.build_facts``, with spaCy's parser for what each place is of)."""

from __future__ import annotations

import numpy as np

from storyfuse.config import CorroborateConfig
from storyfuse.corroborate import Member, build_facts, fact_units, places_together
from storyfuse.models import Analysis, Article, Mention, Sentence

CONFIG = CorroborateConfig()


def member(id: str, source: str, sentences: list[str], places: list[str]) -> Member:
    """An article of ``sentences`` whose place mentions are every occurrence of ``places``."""
    text = " ".join(sentences)
    spans, at = [], 0
    for s in sentences:
        start = text.index(s, at)
        spans.append(Sentence(start, start + len(s)))
        at = start + len(s)
    mentions = []
    for name in places:
        at = text.find(name)
        while at >= 0:
            mentions.append(Mention(name, at, at + len(name), "GPE"))
            at = text.find(name, at + 1)
    analysis = Analysis(id, True, None, tuple(spans), tuple(mentions))
    article = Article(id=id, input=f"{id}.txt", source=source, url=None, title=None, author=None,
                      published="2024-06-03", dateline=None, language="en", text=text)
    return Member(article, analysis)


def pair_facts(models, first: tuple[str, list[str]], second: tuple[str, list[str]], *extra: Member):
    """Facts of two outlets' sentences, aligned (one fact), with the parser."""
    members = [member("a", "Harlow Echo", [first[0]], first[1]),
               member("b", "Valley Wire", [second[0]], second[1]), *extra]
    units = fact_units(members, 5)
    vectors = np.zeros((len(units), 8), dtype=np.float32)
    vectors[:, 0] = 1.0  # every claim the same direction: the two sentences are one fact
    return build_facts("ev-test", members, units, vectors, [], CONFIG, None, models.figure_roles)


def place_conflicts(facts):
    return [c for f in facts for c in f.conflicts if c.slot.startswith("place")]


def test_one_act_placed_in_two_towns_is_a_place_conflict(models):
    facts = pair_facts(models, ("The quake struck near Lubbock early on Monday, police said.", ["Lubbock"]),
                       ("The quake struck near Amarillo early on Monday, police said.", ["Amarillo"]))
    (conflict,) = place_conflicts(facts)
    assert conflict.slot == "place near"
    assert {(s.value, s.articles) for s in conflict.sides} == {("Lubbock", ("a",)), ("Amarillo", ("b",))}


def test_a_place_and_a_place_inside_its_name_are_no_conflict(models):
    facts = pair_facts(models, ("The fire broke out in Manhattan on Sunday evening.", ["Manhattan"]),
                       ("The fire broke out in Lower Manhattan on Sunday evening.", ["Lower Manhattan"]))
    assert place_conflicts(facts) == []


def test_two_places_one_article_names_together_are_no_conflict(models):
    # a town and its county: one outlet names both, so each is right at its own scale
    other = member("c", "Plains Daily", ["Firefighters from Lubbock drove out to Crosby County."],
                   ["Lubbock", "Crosby County"])
    facts = pair_facts(models, ("The fire broke out in Lubbock on Sunday evening.", ["Lubbock"]),
                       ("The fire broke out in Crosby County on Sunday evening.", ["Crosby County"]), other)
    assert place_conflicts(facts) == []


def test_a_town_and_its_neighbour_by_the_gazetteer_are_no_conflict(models):
    # Rancho Mirage lies 16 km from Palm Springs: outlets name the better-known neighbour
    facts = pair_facts(models, ("The singer checked into the Harlow Clinic in Rancho Mirage on Friday.", ["Rancho Mirage"]),
                       ("The singer checked into the Harlow Clinic in Palm Springs on Friday.", ["Palm Springs"]))
    assert place_conflicts(facts) == []


def test_a_town_and_its_state_are_no_conflict(models):
    facts = pair_facts(models, ("The quake struck near Lubbock early on Monday, police said.", ["Lubbock"]),
                       ("The quake struck near Texas early on Monday, police said.", ["Texas"]))
    assert place_conflicts(facts) == []


def test_places_of_different_acts_are_no_conflict(models):
    facts = pair_facts(models, ("The suspect was arrested in Denver after the robbery, police said.", ["Denver"]),
                       ("The suspect was born in Boulder and moved away, police said.", ["Boulder"]))
    assert place_conflicts(facts) == []


def test_a_name_not_after_a_locative_preposition_places_nothing(models):
    facts = pair_facts(models, ("Lubbock police said the quake struck early on Monday.", ["Lubbock"]),
                       ("Amarillo police said the quake struck early on Monday.", ["Amarillo"]))
    assert place_conflicts(facts) == []


def test_places_together_pairs_the_names_of_one_article():
    m = member("a", "Harlow Echo", ["Crews came from Lubbock and from the Crosby County line."],
               ["Lubbock", "the Crosby County"])
    assert places_together([m]) == frozenset({frozenset({"lubbock", "crosby county"})})


def figure_conflicts(facts, slot: str):
    return [c for f in facts for c in f.conflicts if c.slot == slot]


def test_counts_at_different_clock_times_are_of_different_moments(models):
    facts = pair_facts(models, ("At about 8 p.m., nearly 100 people set off from the vigil to the station.", []),
                       ("Around 8:30 p.m., more than 200 people set off from the vigil to the station.", []))
    assert figure_conflicts(facts, "people") == []


def test_counts_at_one_clock_time_are_compared(models):
    facts = pair_facts(models, ("At about 8 p.m., nearly 100 people set off from the vigil to the station.", []),
                       ("At about 8 p.m., more than 200 people set off from the vigil to the station.", []))
    assert len(figure_conflicts(facts, "people")) == 1


def test_counts_scoped_by_a_preposition_to_different_things_are_no_conflict(models):
    facts = pair_facts(models, ("Vance scored three touchdowns on punt returns in his final season.", []),
                       ("Vance scored six touchdowns on offense in his final season.", []))
    assert figure_conflicts(facts, "touchdown") == []


def test_counts_scoped_to_the_same_thing_are_compared(models):
    facts = pair_facts(models, ("Vance scored three touchdowns on punt returns in his final season.", []),
                       ("Vance scored six touchdowns on punt returns in his final season.", []))
    assert len(figure_conflicts(facts, "touchdown")) == 1



def test_counts_beside_a_part_of_ones_own_total_are_of_part_of_the_span(models):
    # "3 of his 11 rebounds" tells a half or a quarter: its "two shots" are not the game's six
    facts = pair_facts(models, ("Mensah grabbed 3 of his 11 rebounds and blocked two shots for the Rovers.", []),
                       ("Mensah grabbed 11 rebounds and blocked six shots for the Rovers.", []))
    assert figure_conflicts(facts, "shot") == []


def test_counts_beside_a_rate_of_the_whole_are_compared(models):
    facts = pair_facts(models, ("Mensah completed 29 of 34 passes and threw two interceptions for the Rovers.", []),
                       ("Mensah completed 29 of 34 passes and threw four interceptions for the Rovers.", []))
    assert len(figure_conflicts(facts, "interception")) == 1


def test_one_act_done_to_different_people_on_different_days_is_no_date_conflict(models):
    facts = pair_facts(models, ("The Harlow Rovers signed Dario Castellane on Tuesday from the reserve squad.", []),
                       ("The Harlow Rovers also added Ines Farrow, who was signed Wednesday from the reserve squad.", []))
    assert [c for f in facts for c in f.conflicts if c.slot == "weekday"] == []


def test_one_act_done_to_the_same_person_on_different_days_is_a_date_conflict(models):
    facts = pair_facts(models, ("The Harlow Rovers signed Dario Castellane on Tuesday from the reserve squad.", []),
                       ("The Harlow Rovers signed Dario Castellane on Thursday from the reserve squad.", []))
    assert len([c for f in facts for c in f.conflicts if c.slot == "weekday"]) == 1
