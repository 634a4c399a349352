"""Tests for storyfuse.story: a story built at once, and kept up to date incrementally from
its stored state as articles join its event."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from storyfuse.config import Config
from storyfuse.story import StoryState, build_story, update_story
from test_corroborate import Judge, basis, member, near

FIRE = "Two workers were injured in the warehouse fire on Monday night."
FIRE_TOO = "Two workers were hurt when the warehouse burned on Monday night."
FIRE_AGAIN = "Two workers suffered injuries in Monday night's warehouse blaze."
ROAD = "The harbour road will stay closed until engineers inspect the site."
ROAD_TOO = "Engineers must inspect the site before the harbour road reopens."
# FIRE_AGAIN and ROAD_TOO are close enough to be candidates, and the pair model says they align
VECTORS = {FIRE: basis(0), FIRE_TOO: near(0, 1, 0.9), FIRE_AGAIN: near(0, 2, 0.55),
           ROAD: basis(3), ROAD_TOO: near(3, 4, 0.55)}
ANSWERS = {frozenset((FIRE, FIRE_AGAIN)): 0.9, frozenset((FIRE_TOO, FIRE_AGAIN)): 0.9,
           frozenset((ROAD, ROAD_TOO)): 0.9}
MEMBERS = {
    "a": member("a", "Harlow Echo", [FIRE, ROAD]),
    "b": member("b", "Valley Wire", [FIRE_TOO, ROAD_TOO]),
    "c": member("c", "Coast Radio", [FIRE_AGAIN]),
}
DUPLICATES: dict[str, str | None] = {a: None for a in MEMBERS}


def vectors(texts: list[str]) -> np.ndarray:
    return np.vstack([VECTORS[t] for t in texts])


class Loader:
    """Gives members by id (``copies``: what some are now copies of), recording which ids
    each call asked for."""

    def __init__(self):
        self.calls: list[list[str]] = []
        self.copies: dict[str, str] = {}

    def __call__(self, ids: list[str]):
        self.calls.append(list(ids))
        return [replace(MEMBERS[i], duplicate_of=self.copies.get(i)) for i in ids]


def update(state, ids, loader, judge=None):
    return update_story("ev-test", state, ids, {i: DUPLICATES[i] for i in ids}, loader, [], vectors, Config(),
                        lambda _: {}, judge or Judge(ANSWERS))


def facts(story):
    return sorted((f.text, f.status, f.articles, f.independent_sources) for f in story.facts)


def test_an_article_added_to_an_event_is_the_only_one_read():
    loader = Loader()
    _, state = update(None, ["a", "b"], loader)
    story, _ = update(state, ["a", "b", "c"], loader)
    assert loader.calls == [["a", "b"], ["c"]]
    fire = next(f for f in story.facts if "injur" in f.text or "hurt" in f.text)
    assert fire.articles == ("a", "b", "c") and fire.independent_sources == 3


def test_an_update_gives_the_facts_of_a_story_built_from_all_members_at_once():
    _, state = update(None, ["a", "b"], Loader())
    updated, _ = update(state, ["a", "b", "c"], Loader())
    whole = build_story("ev-test", list(MEMBERS.values()), [], vectors, Config(), {}, Judge(ANSWERS))
    assert {len(f.articles) for f in whole.facts} == {2, 3}
    assert facts(updated) == facts(whole)
    assert updated.summary == whole.summary and updated.title == whole.title


def test_new_claims_are_compared_only_with_claims_not_compared_before():
    judge = Judge(ANSWERS)
    _, state = update(None, ["a", "b"], Loader())
    update(state, ["a", "b", "c"], Loader(), judge)
    assert sorted(map(frozenset, judge.asked)) == sorted([frozenset((FIRE, FIRE_AGAIN)),
                                                          frozenset((FIRE_TOO, FIRE_AGAIN))])


def test_a_member_that_left_is_taken_out_without_reading_the_others():
    loader = Loader()
    _, state = update(None, ["a", "b", "c"], loader)
    story, state = update(state, ["a", "b"], loader)
    assert loader.calls[-1] == [] and set(state.members) == {"a", "b"}
    whole = build_story("ev-test", [MEMBERS["a"], MEMBERS["b"]], [], vectors, Config(), {}, Judge(ANSWERS))
    assert facts(story) == facts(whole)


def test_a_member_that_became_a_copy_is_the_only_one_read_again():
    loader = Loader()
    _, state = update(None, ["a", "b", "c"], loader)
    loader.copies["c"] = "a"
    _, state = update_story("ev-test", state, ["a", "b", "c"], {"a": None, "b": None, "c": "a"}, loader, [], vectors,
                            Config(), lambda _: {}, Judge(ANSWERS))
    assert loader.calls[-1] == ["c"] and state.members["c"].duplicate_of == "a"


def test_a_second_independent_source_reads_the_first_again_to_split_its_claims():
    loader = Loader()
    _, state = update(None, ["a"], loader)
    assert not state.several and state.units
    story, state = update(state, ["a", "b"], loader)
    assert loader.calls == [["a"], ["b"], ["a", "b"]] and state.several
    assert {f.status for f in story.facts} == {"corroborated"}


def test_a_story_state_is_kept_as_text_and_read_back_unchanged():
    _, state = update(None, ["a", "b", "c"], Loader())
    again = StoryState.load(state.dump())
    assert again == state


def test_a_state_that_cannot_be_read_is_none_so_the_story_is_built_again():
    assert StoryState.load('{"members": 3}') is None and StoryState.load(None) is None


def test_a_state_whose_claims_and_figures_disagree_is_none():
    _, state = update(None, ["a", "b", "c"], Loader())
    state.figures = []
    assert StoryState.load(state.dump()) is None


def test_a_member_whose_text_was_rewritten_is_the_only_one_read_again():
    loader = Loader()
    _, state = update(None, ["a", "b", "c"], loader)
    story, state = update_story("ev-test", state, ["a", "b", "c"], DUPLICATES, loader, [], vectors, Config(),
                                lambda _: {}, Judge(ANSWERS), revisions={"b": 1})
    assert loader.calls[-1] == ["b"] and state.members["b"].revision == 1
    assert facts(story) == facts(build_story("ev-test", list(MEMBERS.values()), [], vectors, Config(), {},
                                             Judge(ANSWERS)))
