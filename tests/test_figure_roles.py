"""Tests for storyfuse.figure_roles: what a figure counts, from the dependency parse."""

from __future__ import annotations

from storyfuse.figure_roles import Role, role_from_json, role_json, role_key
from storyfuse.slots import day_references, figures


def role_of(models, sentence: str, value: str) -> Role:
    (fig,) = [f for f in figures(sentence) if f.text == value]
    return models.figure_roles.role(sentence, fig)


def test_the_governor_is_the_verb_the_counted_noun_depends_on(models):
    assert role_of(models, "The quake injured two people on the island.", "two").governor == "injure"


def test_the_governor_passes_over_prepositions(models):
    assert role_of(models, "Dargahan is a town of about 15,000 people.", "15,000").governor == "town"


def test_the_subject_holds_the_names_of_who_the_count_is_about(models):
    role = role_of(models, "Jamaal Vance rushed for 226 yards on Sunday.", "226")
    assert role.subject == {"jamaal", "vance"}


def test_the_whole_of_a_part_is_marked(models):
    assert role_of(models, "Ruth Agon missed 10 of the club's 16 games.", "16").whole


def test_different_subjects_are_not_the_same_claim():
    assert Role("rush", frozenset({"vance"})).same_claim(Role("rush", frozenset({"hale"}))) is False


def test_an_unnamed_subject_does_not_stop_the_same_claim():
    assert Role("injur", frozenset({"dargahan"})).same_claim(Role("injur")) is True


def test_no_governor_on_a_side_leaves_the_decision_open():
    assert Role(None).same_claim(Role("injur")) is None


def test_a_whole_is_never_the_same_claim_as_a_part():
    assert Role(None, whole=True).same_claim(Role("mis")) is False


def test_an_item_of_a_list_counts_for_what_the_list_does(models):
    sentence = "Police seized seven pistols, three assault rifles and 13 magazines at the port."
    assert role_of(models, sentence, "three").governor == "seize"


def test_the_preposition_a_count_hangs_from_is_its_relation(models):
    assert role_of(models, "The Harlow team took Dunmore to six games last spring.", "six").relation == "to"


def test_a_count_taken_and_a_count_taken_to_are_different_claims(models):
    to_six = role_of(models, "The Harlow team took Dunmore to six games last spring.", "six")
    two = role_of(models, "The Harlow team took the first two games from Dunmore last spring.", "two")
    assert to_six.governor == two.governor
    assert not to_six.same_claim(two)


def test_capitalised_words_qualifying_the_counted_person_are_who_it_is_about(models):
    first = role_of(models, "A 36-year-old Australian climber died after a fall on Mount Harlow.", "36")
    second = role_of(models, "A 32-year-old British climber died after a fall on Mount Harlow.", "32")
    assert first.subject == {"australian"} and second.subject == {"british"}
    assert not first.same_claim(second)


def test_a_preposition_after_the_count_is_no_relation(models):
    role = role_of(models, "The climber fell about 200 metres down a steep gully near Harlow.", "200")
    assert (role.governor, role.relation) == ("fall", None)


def test_the_final_two_games_are_not_the_same_count_as_four_games(models):
    final = role_of(models, "Vance will miss the final two games of the Harlow season.", "two")
    four = role_of(models, "Vance will miss four games of the Harlow season.", "four")
    assert final.qualifiers == {"final"} and not final.same_claim(four)


def test_a_year_said_of_the_counted_thing_dates_the_count(models):
    then = role_of(models, "Vance missed the final four games of the 2007 season at Harlow.", "four")
    now = role_of(models, "Vance will miss the final two games of the season at Harlow.", "two")
    assert "2007" in then.qualifiers and not then.same_claim(now)


def test_a_day_in_an_editors_square_brackets_dates_the_verb_it_follows(models):
    sentence = "As it promised [Tuesday], Microsoft today issued an emergency patch for the browser."
    (day,) = day_references(sentence)
    assert models.figure_roles.role(sentence, day).governor == "promise"


class _Kept:
    """A role cache in memory (the store's ``roles`` in a run)."""

    def __init__(self):
        self.rows: dict[str, str] = {}

    def get(self, keys):
        return {k: self.rows[k] for k in keys if k in self.rows}

    def save(self, rows):
        self.rows.update(rows)


def test_a_role_reads_back_equal_from_its_json():
    role = Role("injur", frozenset({"charles"}), False, "to", frozenset({"final"}), ("on", frozenset({"punt"})),
                frozenset({"wynn"}))
    assert role_from_json(role_json(role)) == role
    assert role_from_json(role_json(Role(None))) == Role(None)


def test_roles_kept_in_a_cache_are_not_parsed_again(models, monkeypatch):
    sentence = "The fire injured two workers on Tuesday."
    fig = figures(sentence)[0]
    cache = _Kept()
    first = models.figure_roles.kept_in(cache)
    role = first.role(sentence, fig)
    assert cache.rows == {}  # written when flushed, with the story
    first.flush()
    assert list(cache.rows) == [role_key(sentence, fig, models.figure_roles.parser_name())]
    again = models.figure_roles.kept_in(cache)
    monkeypatch.setattr(again, "_role", lambda *a: (_ for _ in ()).throw(AssertionError("parsed again")))
    assert again.role(sentence, fig) == role


def test_a_role_key_changes_with_the_figure_and_the_sentence():
    sentence = "The fire injured two workers and three firefighters."
    a, b = figures(sentence)[:2]
    assert len({role_key(sentence, a), role_key(sentence, b), role_key(sentence + " ", a),
                role_key(sentence, a, "1:another_model:3.9")}) == 4
