"""Tests for storyfuse.entities: name normalisation and alias merging within and across articles."""

from __future__ import annotations

import pytest

from storyfuse.entities import EntityIndex, acronym, name_key, recover_mentions, resolve_mentions, strip_name
from storyfuse.models import Mention


def article(*specs: tuple[str, str]) -> tuple[Mention, ...]:
    """Mentions laid out one after another in a made-up article text: (surface, label) pairs."""
    text = " ... ".join(surface for surface, _ in specs)
    out, start = [], 0
    for surface, label in specs:
        start = text.index(surface, start)
        out.append(Mention(surface, start, start + len(surface), label))
        start += len(surface)
    return tuple(out)


def resolve(index: EntityIndex, *specs: tuple[str, str]) -> tuple[Mention, ...]:
    return resolve_mentions(article(*specs), index)


# --- name_key / strip_name / acronym ------------------------------------------------------------


def test_name_key_ignores_case_and_accents():
    assert name_key("Anna Kovač") == name_key("ANNA KOVAC") == "anna kovac"


def test_name_key_treats_hyphen_as_space():
    assert name_key("Okonjo-Hale") == name_key("Okonjo Hale") == "okonjo hale"


def test_name_key_drops_punctuation():
    assert name_key("L. Ferrante") == "l ferrante"


def test_name_key_drops_titles():
    assert name_key("Fire Chief Marguerite Okonjo-Hale") == name_key("Marguerite Okonjo-Hale")


def test_strip_name_removes_compound_title():
    assert strip_name("Fire Chief Marguerite Okonjo-Hale") == "Marguerite Okonjo-Hale"


@pytest.mark.parametrize("surface", ["Ms Ferrante", "Ms. Ferrante", "Dr Ferrante", "Councillor Ferrante"])
def test_strip_name_removes_short_titles(surface):
    assert strip_name(surface) == "Ferrante"


def test_strip_name_removes_leading_article():
    assert strip_name("the Cabin Crew Union of Valdria") == "Cabin Crew Union of Valdria"


def test_strip_name_removes_possessive():
    assert strip_name("Kovač's") == "Kovač"


def test_strip_name_keeps_a_bare_title():
    assert strip_name("Mayor") == "Mayor"


def test_acronym_skips_function_words():
    assert acronym("cabin crew union of valdria") == "ccuv"


def test_acronym_of_a_single_word_is_none():
    assert acronym("valdria") is None


# --- within one article -------------------------------------------------------------------------


def test_surname_joins_full_name_in_the_same_article():
    index = EntityIndex()
    full, surname = resolve(index, ("Marguerite Okonjo-Hale", "PERSON"), ("Okonjo-Hale", "PERSON"))
    assert full.entity is not None
    assert surname.entity == full.entity


def test_surname_labelled_org_joins_full_name_in_the_same_article():
    index = EntityIndex()
    full, surname = resolve(index, ("Marguerite Okonjo-Hale", "PERSON"), ("Okonjo-Hale", "ORG"))
    assert surname.entity == full.entity
    assert index.entities[full.entity].label == "PERSON"


def test_surname_before_full_name_in_the_same_article_joins_it():
    index = EntityIndex()
    surname, full = resolve(index, ("Okonjo-Hale", "PERSON"), ("Marguerite Okonjo-Hale", "PERSON"))
    assert surname.entity == full.entity
    assert index.entities[full.entity].name == "Marguerite Okonjo-Hale"


def test_title_is_stripped_from_the_entity_name():
    index = EntityIndex()
    titled, plain = resolve(index, ("Fire Chief Marguerite Okonjo-Hale", "PERSON"), ("Okonjo-Hale", "PERSON"))
    assert titled.entity == plain.entity
    assert index.entities[titled.entity].name == "Marguerite Okonjo-Hale"


def test_titled_surname_joins_full_name():
    index = EntityIndex()
    full, titled = resolve(index, ("Lucia Ferrante", "PERSON"), ("Ms Ferrante", "PERSON"))
    assert titled.entity == full.entity


def test_aliases_keep_the_surface_forms():
    index = EntityIndex()
    full, _ = resolve(index, ("Lucia Ferrante", "PERSON"), ("Ms Ferrante", "PERSON"))
    assert set(index.entities[full.entity].aliases) == {"Lucia Ferrante", "Ms Ferrante"}


def test_acronym_joins_organisation_in_the_same_article():
    index = EntityIndex()
    union, short = resolve(index, ("Cabin Crew Union of Valdria", "ORG"), ("CCUV", "ORG"))
    assert short.entity == union.entity
    assert index.entities[union.entity].name == "Cabin Crew Union of Valdria"


def test_surname_shared_by_two_people_in_one_article_joins_neither():
    index = EntityIndex()
    lucia, paolo, bare = resolve(index, ("Lucia Ferrante", "PERSON"), ("Paolo Ferrante", "PERSON"),
                                 ("Ferrante", "PERSON"))
    assert bare.entity not in (lucia.entity, paolo.entity)


def test_different_names_get_different_entities():
    index = EntityIndex()
    a, b = resolve(index, ("Lucia Ferrante", "PERSON"), ("Port Velmar", "GPE"))
    assert a.entity != b.entity


def test_resolve_keeps_mention_text_offsets_and_label():
    mentions = article(("Lucia Ferrante", "PERSON"), ("Port Velmar", "GPE"))
    resolved = resolve_mentions(mentions, EntityIndex())
    assert [(m.text, m.start, m.end, m.label) for m in resolved] == [
        (m.text, m.start, m.end, m.label) for m in mentions]


# --- across articles ----------------------------------------------------------------------------


def test_same_full_name_in_two_articles_is_one_entity():
    index = EntityIndex()
    (first,) = resolve(index, ("Lucia Ferrante", "PERSON"))
    (second,) = resolve(index, ("Lucia Ferrante", "PERSON"))
    assert first.entity == second.entity


def test_accented_and_plain_spellings_across_articles_are_one_entity():
    index = EntityIndex()
    (first,) = resolve(index, ("Anna Kovač", "PERSON"))
    (second,) = resolve(index, ("Anna Kovac", "PERSON"))
    assert first.entity == second.entity


def test_surname_in_second_article_links_to_the_single_known_person():
    index = EntityIndex()
    (full,) = resolve(index, ("Lucia Ferrante", "PERSON"))
    (surname,) = resolve(index, ("Ferrante", "PERSON"))
    assert surname.entity == full.entity


def test_double_barrelled_surname_in_second_article_links_to_the_known_person():
    index = EntityIndex()
    (full,) = resolve(index, ("Marguerite Okonjo-Hale", "PERSON"))
    (surname,) = resolve(index, ("Okonjo-Hale", "PERSON"))
    assert surname.entity == full.entity


def test_initial_and_surname_links_to_the_known_person():
    index = EntityIndex()
    (full,) = resolve(index, ("Lucia Ferrante", "PERSON"))
    (initial,) = resolve(index, ("L. Ferrante", "PERSON"))
    assert initial.entity == full.entity


def test_initial_picks_the_person_with_that_first_letter():
    index = EntityIndex()
    (lucia,) = resolve(index, ("Lucia Ferrante", "PERSON"))
    (paolo,) = resolve(index, ("Paolo Ferrante", "PERSON"))
    (initial,) = resolve(index, ("P. Ferrante", "PERSON"))
    assert initial.entity == paolo.entity != lucia.entity


def test_acronym_in_second_article_links_to_the_known_organisation():
    index = EntityIndex()
    (union,) = resolve(index, ("Cabin Crew Union of Valdria", "ORG"))
    (short,) = resolve(index, ("CCUV", "ORG"))
    assert short.entity == union.entity


def test_two_people_sharing_a_surname_make_surname_alone_ambiguous():
    index = EntityIndex()
    (lucia,) = resolve(index, ("Lucia Ferrante", "PERSON"))
    (paolo,) = resolve(index, ("Paolo Ferrante", "PERSON"))
    (bare,) = resolve(index, ("Ferrante", "PERSON"))
    assert bare.entity not in (lucia.entity, paolo.entity)


def test_surname_alias_does_not_link_once_a_second_person_shares_it():
    index = EntityIndex()
    lucia, _ = resolve(index, ("Lucia Ferrante", "PERSON"), ("Ferrante", "PERSON"))
    (paolo,) = resolve(index, ("Paolo Ferrante", "PERSON"))
    (bare,) = resolve(index, ("Ferrante", "PERSON"))
    assert bare.entity not in (lucia.entity, paolo.entity)


def test_surname_first_then_full_name_becomes_one_entity_with_the_full_name():
    index = EntityIndex()
    (surname,) = resolve(index, ("Ferrante", "PERSON"))
    (full,) = resolve(index, ("Lucia Ferrante", "PERSON"))
    assert full.entity == surname.entity
    assert index.entities[full.entity].name == "Lucia Ferrante"
    assert len(index.entities) == 1


# --- labels, change tracking, stable ids --------------------------------------------------------


def test_label_is_the_majority_within_an_article():
    index = EntityIndex()
    first, _, _ = resolve(index, ("Port Velmar", "GPE"), ("Port Velmar", "ORG"), ("Port Velmar", "GPE"))
    assert index.entities[first.entity].label == "GPE"


def test_label_is_the_majority_across_articles():
    index = EntityIndex()
    (first,) = resolve(index, ("Port Velmar", "ORG"))
    resolve(index, ("Port Velmar", "GPE"))
    resolve(index, ("Port Velmar", "GPE"))
    assert index.entities[first.entity].label == "GPE"


def test_differently_labelled_mentions_of_one_name_are_one_entity():
    index = EntityIndex()
    a, b = resolve(index, ("Port Velmar", "GPE"), ("Port Velmar", "ORG"))
    assert a.entity == b.entity


def test_changed_lists_new_entities():
    index = EntityIndex()
    a, b = resolve(index, ("Lucia Ferrante", "PERSON"), ("Cabin Crew Union of Valdria", "ORG"))
    assert index.changed == {a.entity, b.entity}


def test_changed_lists_only_entities_touched_by_the_next_article():
    index = EntityIndex()
    lucia, union = resolve(index, ("Lucia Ferrante", "PERSON"), ("Cabin Crew Union of Valdria", "ORG"))
    index.changed.clear()
    _, town = resolve(index, ("Ferrante", "PERSON"), ("Port Velmar", "GPE"))
    assert index.changed == {lucia.entity, town.entity}
    assert union.entity not in index.changed


def test_entity_ids_are_stable_across_fresh_indexes():
    specs = (("Lucia Ferrante", "PERSON"), ("CCUV", "ORG"), ("Port Velmar", "GPE"))
    first = [m.entity for m in resolve(EntityIndex(), *specs)]
    second = [m.entity for m in resolve(EntityIndex(), *specs)]
    assert first == second
    assert all(e and e.startswith("ent-") for e in first)


def test_every_mention_gets_an_entity_id():
    resolved = resolve(EntityIndex(), ("Lucia Ferrante", "PERSON"), ("Port Velmar", "GPE"), ("CCUV", "ORG"))
    assert all(m.entity for m in resolved)


def test_a_word_that_is_a_title_for_people_stays_in_an_organisation_name():
    assert name_key("General Motors", "ORG") == "general motors" and name_key("St Louis", "GPE") == "st louis"


def test_a_title_followed_by_of_is_not_dropped():
    assert name_key("Prime Minister of Canada", "PERSON") == "prime minister of canada"


def test_a_generational_suffix_does_not_make_another_person():
    assert name_key("Joseph R. Biden Jr.", "PERSON") == name_key("Joseph R. Biden", "PERSON")


def test_a_legal_form_does_not_make_another_company():
    index = EntityIndex()
    [first] = resolve(index, ("Apple Inc.", "ORG"))
    [second] = resolve(index, ("Apple", "ORG"))
    assert first.entity == second.entity


def test_an_acronym_joins_a_place_in_the_same_article():
    mentions = resolve(EntityIndex(), ("United States", "GPE"), ("U.S.", "GPE"))
    assert mentions[0].entity == mentions[1].entity


def test_a_full_name_does_not_join_a_place_that_is_its_last_word():
    index = EntityIndex()
    [place] = resolve(index, ("Washington", "GPE"))
    [person] = resolve(index, ("George Washington", "PERSON"))
    assert place.entity != person.entity


# --- names in other forms -------------------------------------------------------------------------


def entity_of(index: EntityIndex, *specs: tuple[str, str]) -> list[str | None]:
    return [m.entity for m in resolve(index, *specs)]


def test_a_family_name_written_first_joins_the_full_name_across_articles():
    index = EntityIndex()
    [full] = entity_of(index, ("Xi Jinping", "PERSON"))
    assert entity_of(index, ("Xi", "PERSON")) == [full]


def test_a_family_name_written_first_joins_the_full_name_in_the_article():
    [full, short] = entity_of(EntityIndex(), ("Xi Jinping", "PERSON"), ("Xi", "PERSON"))
    assert full == short


def test_names_in_the_other_order_with_a_patronymic_form_are_one_person():
    index = EntityIndex()
    [first] = entity_of(index, ("Khurelsukh Ukhnaa", "PERSON"))
    assert entity_of(index, ("Ukhnaagiin Khurelsukh", "PERSON")) == [first]


def test_a_full_name_with_an_extra_initial_is_the_same_person():
    index = EntityIndex()
    [first] = entity_of(index, ("Mark Felt", "PERSON"))
    assert entity_of(index, ("W. Mark Felt", "PERSON")) == [first]


def test_two_people_with_one_family_name_stay_apart():
    index = EntityIndex()
    [vincent] = entity_of(index, ("Vincent Gigante", "PERSON"))
    [louis] = entity_of(index, ("Louis Gigante", "PERSON"))
    assert vincent != louis


def test_british_and_american_spellings_are_one_name():
    index = EntityIndex()
    [first] = entity_of(index, ("Shanghai Cooperation Organisation", "ORG"))
    assert entity_of(index, ("Shanghai Cooperation Organization", "ORG")) == [first]


@pytest.mark.parametrize("short", ["US", "U.S.", "USA"])
def test_a_countrys_short_forms_are_the_country(short):
    index = EntityIndex()
    [country] = entity_of(index, ("United States", "GPE"))
    assert entity_of(index, (short, "GPE")) == [country]


def test_an_acronym_seen_first_joins_the_full_name_later():
    index = EntityIndex()
    [short] = entity_of(index, ("SCO", "ORG"))
    assert entity_of(index, ("Shanghai Cooperation Organization", "ORG")) == [short]


def test_a_common_noun_never_joins_a_person():
    index = EntityIndex()
    [robert] = entity_of(index, ("Robert House", "PERSON"))
    [house] = entity_of(index, ("House", "ORG"))
    [west] = entity_of(index, ("West", "LOC"))
    [steve] = entity_of(index, ("Steve West", "PERSON"))
    assert house != robert and west != steve


def test_a_numbered_name_stays_apart_from_the_name():
    index = EntityIndex()
    [one] = entity_of(index, ("Catching Fire", "WORK_OF_ART"))
    assert entity_of(index, ("Catching Fire 2", "WORK_OF_ART")) != [one]


def test_a_company_known_by_its_short_name_joins_its_full_name():
    index = EntityIndex()
    [short] = entity_of(index, ("Ford", "ORG"))
    assert entity_of(index, ("Ford Motor Company", "ORG")) == [short]


def test_a_team_known_by_its_last_word_joins_its_full_name():
    index = EntityIndex()
    [full] = entity_of(index, ("New Orleans Saints", "ORG"))
    assert entity_of(index, ("Saints", "ORG")) == [full]


def test_an_organisation_is_shown_by_its_fullest_form():
    index = EntityIndex()
    entity_of(index, ("Cabin Crew Union", "ORG"))
    entity_of(index, ("Cabin Crew Union of Valdria", "ORG"))
    [stored] = [s for s in index.changed_entities() if "Cabin Crew Union" in s.entity.aliases]
    assert stored.entity.name == "Cabin Crew Union of Valdria"


# --- names the NER missed -----------------------------------------------------------------------


def test_a_known_name_the_ner_missed_is_found():
    text = "The Colts won on Sunday. Fans of the Colts cheered in Indianapolis."
    first = text.index("Colts")
    found = recover_mentions(text, (Mention("Colts", first, first + 5, "ORG"),), EntityIndex())
    assert [(m.text, m.start) for m in found] == [("Colts", first), ("Colts", text.rindex("Colts"))]


def test_a_name_known_from_other_articles_is_found():
    index = EntityIndex()
    resolve(index, ("Kimani Gray", "PERSON"))
    text = "Police said Gray was unarmed."
    [found] = recover_mentions(text, (), index)
    assert found.text == "Gray" and found.label == "PERSON"


def test_a_capitalised_word_starting_a_sentence_is_not_taken_for_a_known_name():
    index = EntityIndex()
    resolve(index, ("Cabin", "PERSON"))
    assert recover_mentions("Cabin crew will strike on Monday.", (), index) == ()


def test_a_short_given_name_beside_the_same_family_name_is_the_same_person():
    index = EntityIndex()
    [first] = entity_of(index, ("Frederick Cheney LaRue", "PERSON"))
    assert entity_of(index, ("Fred LaRue", "PERSON")) == [first]
