"""Tests for storyfuse.dedupe: exact duplicates, syndicated copies, rewrites and their origin."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from storyfuse.config import DedupeConfig
from storyfuse.dedupe import (
    DedupeResult,
    ReuseLookup,
    band_hashes,
    classify,
    find_reuse,
    overlap,
    shingles,
    text_hash,
)
from storyfuse.models import Article

CONFIG = DedupeConfig()

# Fictional sentences, each about a dozen words, written for these tests.
SENTENCES = [
    "The ferry Marigold Star ran aground on a sandbar outside Quillhaven harbour on Tuesday morning.",
    "All forty passengers were taken ashore by volunteer lifeboat crews within two hours of the alarm.",
    "Harbour master Odile Carrow said the tide had fallen faster than the charts predicted.",
    "Engineers from the ferry company inspected the hull at low water and found a long dent.",
    "The crossing to Pellow Island was suspended for the rest of the week while repairs go on.",
    "Islanders who rely on the ferry for groceries were offered places on a chartered fishing boat.",
    "A spokesperson for the operator apologised and promised refunds for every cancelled ticket.",
    "Local councillors asked for the harbour channel to be dredged before the summer season begins.",
    "The coastguard said nobody was hurt and no fuel leaked into the bay during the grounding.",
]
OTHER_SENTENCES = [
    "A bakery in the old market square of Tessford won the regional prize for rye bread.",
    "Its owner Bruno Valtieri credits a sourdough starter kept alive since his grandmother's time.",
    "Judges praised the crust and the sour, nutty crumb of the winning dark loaf.",
    "Queues formed outside the shop before dawn on the morning after the announcement.",
    "The bakery plans to open a second branch near the railway station next spring.",
    "Valtieri said he would spend part of the prize money on a new wood-fired oven.",
]
STORY = " ".join(SENTENCES)
UNRELATED = " ".join(OTHER_SENTENCES)
# Shares its middle three sentences word for word with STORY; the rest is its own wording.
REWRITE = " ".join([
    "A passenger ferry got stuck on sand near Quillhaven early on Tuesday, officials confirmed.",
    "Lifeboat volunteers brought everyone on board safely back to the quay before lunchtime.",
    "The vessel's owners sent a team of specialists to examine the damage once the water receded.",
    SENTENCES[3], SENTENCES[4], SENTENCES[5],
    "Ticket holders will get their money back, according to a short statement from the company.",
    "Some councillors now want the shallow approach channel deepened ahead of the tourist months.",
    "Coastguard officers reported no injuries and no pollution from the stranded boat.",
])


def article(id: str, text: str, source: str | None = "Quillhaven Courier", published: str | None = None) -> Article:
    return Article(id=id, input=f"{id}.txt", source=source, url=None, title=None, author=None,
                   published=published, dateline=None, language="en", text=text)


class FakeLookup:
    """An in-memory stand-in for the store's ReuseLookup (hash and band indexes)."""

    def __init__(self, config: DedupeConfig = CONFIG) -> None:
        self.config = config
        self.rows: dict[str, tuple[str, str | None, str | None]] = {}
        self.hashes: dict[str, str] = {}
        self.bands: dict[str, set[int]] = {}

    def add(self, a: Article) -> None:
        self.rows[a.id] = (a.text, a.source, a.published)
        self.hashes[a.id] = text_hash(a.text)
        self.bands[a.id] = set(band_hashes(shingles(a.text, self.config.shingle_words), self.config))

    def article_with_hash(self, text_hash: str, exclude: str) -> str | None:
        return next((i for i, h in self.hashes.items() if h == text_hash and i != exclude), None)

    def articles_with_bands(self, bands: list[int], exclude: str, limit: int) -> list[str]:
        wanted = set(bands)
        shared = {i: len(b & wanted) for i, b in self.bands.items() if i != exclude}
        hits = sorted((i for i, n in shared.items() if n), key=lambda i: -shared[i])
        return hits[:limit]

    def reuse_basis(self, article_id: str) -> tuple[str, str | None, str | None] | None:
        return self.rows.get(article_id)


def lookup_with(*articles: Article) -> FakeLookup:
    lookup = FakeLookup()
    for a in articles:
        lookup.add(a)
    return lookup


def test_fake_lookup_satisfies_the_protocol_shape():
    lookup: ReuseLookup = FakeLookup()
    assert lookup.article_with_hash("x", exclude="y") is None
    assert lookup.articles_with_bands([1, 2], exclude="y", limit=5) == []


# --- text_hash ------------------------------------------------------------------------------------


def test_text_hash_ignores_case():
    assert text_hash("The Ferry Ran Aground") == text_hash("the ferry ran aground")


def test_text_hash_ignores_punctuation():
    assert text_hash("The ferry ran aground.") == text_hash("The ferry -- ran aground!")


def test_text_hash_ignores_spacing_and_line_breaks():
    assert text_hash("The ferry  ran\n\naground") == text_hash("The ferry ran aground")


def test_text_hash_changes_when_a_word_changes():
    assert text_hash("The ferry ran aground") != text_hash("The barge ran aground")


def test_text_hash_is_a_sha1_hex_digest():
    digest = text_hash("The ferry ran aground")
    assert len(digest) == 40 and all(c in "0123456789abcdef" for c in digest)


# --- shingles and overlap ------------------------------------------------------------------------


def test_shingles_are_lowercased_word_ngrams():
    assert shingles("One Two three, four five six", 5) == {"one two three four five", "two three four five six"}


def test_shingles_of_a_text_shorter_than_the_size_is_the_whole_text():
    assert shingles("Ferry aground", 5) == {"ferry aground"}


def test_shingles_of_an_empty_text_is_empty():
    assert shingles("  ...  ", 5) == set()


def test_overlap_is_the_share_of_the_smaller_set_found_in_the_other():
    assert overlap({"a", "b"}, {"a", "b", "c", "d"}) == 1.0
    assert overlap({"a", "b", "c", "d"}, {"a", "x"}) == 0.5


def test_overlap_with_an_empty_set_is_zero():
    assert overlap(set(), {"a"}) == 0.0


# --- band_hashes ---------------------------------------------------------------------------------


def test_band_hashes_are_deterministic():
    assert band_hashes(shingles(STORY, 5), CONFIG) == band_hashes(shingles(STORY, 5), CONFIG)


def test_band_hashes_do_not_depend_on_the_process_hash_seed():
    # The store keeps band hashes across runs: they must not change with PYTHONHASHSEED.
    code = (
        "from storyfuse.config import DedupeConfig; from storyfuse.dedupe import band_hashes, shingles; "
        "import sys; print(list(band_hashes(shingles(sys.argv[1], 5), DedupeConfig())))"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code, STORY], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1] == str(list(band_hashes(shingles(STORY, 5), CONFIG)))


def test_band_hashes_give_one_signed_64_bit_integer_per_band():
    bands = band_hashes(shingles(STORY, 5), CONFIG)
    assert len(bands) == CONFIG.bands
    assert all(-(2**63) <= b < 2**63 for b in bands)


def test_band_hashes_of_no_shingles_are_empty():
    assert band_hashes(set(), CONFIG) == ()


def test_near_identical_texts_share_most_bands():
    edited = STORY.replace("Tuesday morning", "Tuesday afternoon")
    a = set(band_hashes(shingles(STORY, 5), CONFIG))
    b = set(band_hashes(shingles(edited, 5), CONFIG))
    assert len(a & b) >= CONFIG.bands // 2


def test_unrelated_texts_share_few_bands():
    a = set(band_hashes(shingles(STORY, 5), CONFIG))
    b = set(band_hashes(shingles(UNRELATED, 5), CONFIG))
    assert len(a & b) <= 2


# --- classify ------------------------------------------------------------------------------------


def test_classify_exact_copy_from_the_same_outlet_is_a_duplicate():
    assert classify(1.0, "Quillhaven Courier", "Quillhaven Courier", True, CONFIG) == "duplicate"


def test_classify_exact_copy_from_another_outlet_is_syndicated():
    assert classify(1.0, "Quillhaven Courier", "Coastal Wire", True, CONFIG) == "syndicated"


def test_classify_near_total_overlap_within_one_outlet_is_a_duplicate():
    assert classify(0.92, "Quillhaven Courier", "Quillhaven Courier", False, CONFIG) == "duplicate"


def test_classify_near_total_overlap_across_outlets_is_syndicated():
    assert classify(0.92, "Quillhaven Courier", "Coastal Wire", False, CONFIG) == "syndicated"


def test_classify_overlap_at_the_syndicated_threshold_is_syndicated():
    assert classify(CONFIG.syndicated_overlap, "Quillhaven Courier", "Coastal Wire", False, CONFIG) == "syndicated"


def test_classify_overlap_between_thresholds_is_a_rewrite():
    assert classify(0.35, "Quillhaven Courier", "Coastal Wire", False, CONFIG) == "rewrite"


def test_classify_overlap_at_the_rewrite_threshold_is_a_rewrite():
    assert classify(CONFIG.rewrite_overlap, "Quillhaven Courier", "Coastal Wire", False, CONFIG) == "rewrite"


def test_classify_overlap_below_the_rewrite_threshold_is_not_reuse():
    assert classify(0.1, "Quillhaven Courier", "Coastal Wire", False, CONFIG) is None


# --- find_reuse ----------------------------------------------------------------------------------


def test_find_reuse_on_an_empty_store_finds_nothing():
    result = find_reuse(article("a1", STORY), FakeLookup(), CONFIG)
    assert isinstance(result, DedupeResult)
    assert (result.duplicate_of, result.reuses, result.demoted) == (None, (), None)


def test_find_reuse_returns_the_text_hash_and_bands_of_the_article():
    result = find_reuse(article("a1", STORY), FakeLookup(), CONFIG)
    assert result.text_hash == text_hash(STORY)
    assert result.bands == band_hashes(shingles(STORY, CONFIG.shingle_words), CONFIG)


def test_find_reuse_marks_a_later_exact_copy_as_duplicate_of_the_stored_one():
    stored = article("a1", STORY, published="2024-05-07T08:00:00+00:00")
    lookup = lookup_with(stored)
    copy = article("a2", STORY.upper(), published="2024-05-07T10:00:00+00:00")
    result = find_reuse(copy, lookup, CONFIG)
    assert result.duplicate_of == "a1"
    assert result.demoted is None


def test_find_reuse_records_an_exact_copy_as_duplicate_reuse_with_full_overlap():
    lookup = lookup_with(article("a1", STORY, published="2024-05-07"))
    result = find_reuse(article("a2", STORY, published="2024-05-08"), lookup, CONFIG)
    assert [(r.article, r.other, r.kind, r.overlap, r.origin) for r in result.reuses] == [
        ("a2", "a1", "duplicate", 1.0, "a1")
    ]


def test_find_reuse_exact_copy_published_earlier_demotes_the_stored_article():
    stored = article("a1", STORY, published="2024-05-07T12:00:00+00:00")
    lookup = lookup_with(stored)
    earlier = article("a2", STORY, published="2024-05-07T06:00:00+00:00")
    result = find_reuse(earlier, lookup, CONFIG)
    assert result.demoted == "a1"
    assert result.duplicate_of is None


def test_find_reuse_exact_copy_published_earlier_is_the_origin():
    lookup = lookup_with(article("a1", STORY, published="2024-05-07T12:00:00+00:00"))
    result = find_reuse(article("a2", STORY, published="2024-05-07T06:00:00+00:00"), lookup, CONFIG)
    assert result.reuses[0].origin == "a2"


def test_find_reuse_exact_copy_without_dates_is_a_duplicate_of_the_stored_one():
    lookup = lookup_with(article("a1", STORY))
    result = find_reuse(article("a2", STORY), lookup, CONFIG)
    assert (result.duplicate_of, result.demoted) == ("a1", None)


def test_find_reuse_exact_copy_from_another_outlet_is_syndicated():
    lookup = lookup_with(article("a1", STORY, source="Coastal Wire", published="2024-05-07"))
    result = find_reuse(article("a2", STORY, source="Quillhaven Courier", published="2024-05-08"), lookup, CONFIG)
    assert [r.kind for r in result.reuses] == ["syndicated"]


def test_find_reuse_does_not_match_an_article_with_itself():
    lookup = lookup_with(article("a1", STORY))
    result = find_reuse(article("a1", STORY), lookup, CONFIG)
    assert (result.duplicate_of, result.reuses) == (None, ())


def test_find_reuse_detects_a_rewrite_sharing_a_third_of_its_sentences():
    lookup = lookup_with(article("a1", STORY, source="Quillhaven Courier", published="2024-05-07T09:00:00+00:00"))
    result = find_reuse(article("a2", REWRITE, source="Coastal Wire", published="2024-05-07T15:00:00+00:00"),
                        lookup, CONFIG)
    assert result.duplicate_of is None
    assert [(r.other, r.kind) for r in result.reuses] == [("a1", "rewrite")]


def test_find_reuse_rewrite_overlap_lies_between_the_thresholds():
    lookup = lookup_with(article("a1", STORY, source="Quillhaven Courier"))
    result = find_reuse(article("a2", REWRITE, source="Coastal Wire"), lookup, CONFIG)
    (reuse,) = result.reuses
    assert CONFIG.rewrite_overlap <= reuse.overlap < CONFIG.syndicated_overlap
    assert 0.2 <= reuse.overlap <= 0.45  # about a third of the text is shared


def test_find_reuse_rewrite_origin_is_the_earlier_published_article():
    lookup = lookup_with(article("a1", STORY, source="Quillhaven Courier", published="2024-05-08T09:00:00+00:00"))
    result = find_reuse(article("a2", REWRITE, source="Coastal Wire", published="2024-05-07T09:00:00+00:00"),
                        lookup, CONFIG)
    assert result.reuses[0].origin == "a2"


def test_find_reuse_compares_timestamps_in_different_zones_as_instants():
    # 09:30 at +03:00 is 06:30 UTC: earlier than 07:00 UTC, although "09:30" sorts after "07:00".
    lookup = lookup_with(article("a1", STORY, source="Quillhaven Courier", published="2024-05-07T07:00:00+00:00"))
    result = find_reuse(article("a2", REWRITE, source="Coastal Wire", published="2024-05-07T09:30:00+03:00"),
                        lookup, CONFIG)
    assert result.reuses[0].origin == "a2"


def test_find_reuse_zone_offset_can_make_the_stored_article_the_origin():
    # 23:00 at -05:00 is 04:00 UTC next day: later than 02:00 UTC that day.
    lookup = lookup_with(article("a1", STORY, source="Quillhaven Courier", published="2024-05-08T02:00:00Z"))
    result = find_reuse(article("a2", REWRITE, source="Coastal Wire", published="2024-05-07T23:00:00-05:00"),
                        lookup, CONFIG)
    assert result.reuses[0].origin == "a1"


def test_find_reuse_ignores_an_unrelated_article():
    lookup = lookup_with(article("a1", UNRELATED, source="Tessford Gazette"))
    result = find_reuse(article("a2", STORY), lookup, CONFIG)
    assert result.reuses == ()


def test_find_reuse_sorts_reuses_by_overlap_descending():
    near_copy = STORY.replace("Tuesday morning", "Tuesday afternoon")
    lookup = lookup_with(
        article("rw", REWRITE, source="Coastal Wire"),
        article("nc", near_copy, source="Bayside Post"),
    )
    result = find_reuse(article("a1", STORY, source="Quillhaven Courier"), lookup, CONFIG)
    assert [r.other for r in result.reuses] == ["nc", "rw"]
    assert [r.kind for r in result.reuses] == ["syndicated", "rewrite"]


@pytest.mark.parametrize("published", ["2024-05-07", "2024-05-07T00:00:00"])
def test_find_reuse_dates_and_naive_timestamps_are_taken_as_utc(published):
    # Stored at 01:00+02:00 = 23:00 UTC the day before: earlier than midnight UTC.
    lookup = lookup_with(article("a1", STORY, source="Quillhaven Courier", published="2024-05-07T01:00:00+02:00"))
    result = find_reuse(article("a2", REWRITE, source="Coastal Wire", published=published), lookup, CONFIG)
    assert result.reuses[0].origin == "a1"


def test_find_reuse_equal_instants_in_different_zones_keep_the_stored_article_as_origin():
    lookup = lookup_with(article("a1", STORY, published="2024-05-07T08:00:00Z"))
    result = find_reuse(article("a2", STORY, published="2024-05-07T10:00:00+02:00"), lookup, CONFIG)
    assert (result.duplicate_of, result.demoted, result.reuses[0].origin) == ("a1", None, "a1")


def test_find_reuse_unknown_publication_time_keeps_the_stored_article_as_origin():
    lookup = lookup_with(article("a1", STORY, source="Quillhaven Courier", published=None))
    result = find_reuse(article("a2", REWRITE, source="Coastal Wire", published="2024-05-01"), lookup, CONFIG)
    assert result.reuses[0].origin == "a1"


def test_find_reuse_unparseable_publication_time_keeps_the_stored_article_as_origin():
    lookup = lookup_with(article("a1", STORY, source="Quillhaven Courier", published="2024-05-09"))
    result = find_reuse(article("a2", REWRITE, source="Coastal Wire", published="last Tuesday"), lookup, CONFIG)
    assert result.reuses[0].origin == "a1"


def test_an_exact_copy_from_an_unknown_outlet_is_a_duplicate():
    assert classify(1.0, None, "Coastal Wire", True, DedupeConfig()) == "duplicate"


def test_one_outlet_written_two_ways_is_one_outlet():
    assert classify(1.0, "The Harbour Ledger", "Harbour Ledger", True, DedupeConfig()) == "duplicate"
