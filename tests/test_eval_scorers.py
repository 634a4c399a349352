"""The scorers behind storyfuse eval quotes, dates and entities (data-free parts), and one
run of each on the real data sets where they are present."""

from __future__ import annotations

import pytest

from storyfuse.eval import dates as dates_eval
from storyfuse.eval import entities as entities_eval
from storyfuse.eval import quotes as quotes_eval
from storyfuse.eval.data import DataNotFoundError
from storyfuse.models import Quote

TEXT = 'The mayor spoke. "We will build the line this year," said Lucia Ferrante on Monday.'


def gold_attribution():
    content = (TEXT.index('"'), TEXT.index("year,") + 6)
    source = (TEXT.index("Lucia"), TEXT.index("Lucia") + len("Lucia Ferrante"))
    return quotes_eval.Attribution((content,), (source,))


def quote(speaker=None, start=None, end=None):
    s = TEXT.index("We will")
    return Quote("We will build the line this year", s, s + 32, "direct", speaker, start, end)


def test_quote_scorer_counts_a_matching_quote_with_the_right_speaker():
    start = TEXT.index("Lucia")
    scores = quotes_eval.score([("d", TEXT, [gold_attribution()])], [[quote("Lucia Ferrante", start, start + 14)]])
    assert (scores["precision"], scores["recall"], scores["speaker_accuracy"]) == (1.0, 1.0, 1.0)


def test_quote_scorer_counts_a_wrong_speaker_against_accuracy_only():
    scores = quotes_eval.score([("d", TEXT, [gold_attribution()])], [[quote("The mayor")]])
    assert scores["f1"] == 1.0 and scores["speaker_accuracy"] == 0.0


def test_quote_scorer_counts_a_quote_outside_any_attribution_as_false():
    scores = quotes_eval.score([("d", TEXT, [])], [[quote()]])
    assert scores["precision"] == 0.0


def test_regex_baseline_gives_each_quote_the_nearest_person():
    from storyfuse.models import Mention

    start = TEXT.index("Lucia")
    [found] = quotes_eval.baseline(TEXT, (Mention("Lucia Ferrante", start, start + 14, "PERSON"),))
    assert found.speaker == "Lucia Ferrante" and found.text.startswith("We will build")


def test_tml_reader_keeps_timex_offsets_into_the_plain_text(tmp_path):
    path = tmp_path / "doc.tml"
    path.write_text('<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-03-22">March 22, 1998</TIMEX3></DCT>'
                    '<TEXT>Talks resumed <TIMEX3 tid="t1" type="DATE" value="1998-03-20">on Friday</TIMEX3> &amp; '
                    'ended.</TEXT></TimeML>')
    text, dct, timexes = dates_eval.read_tml(path)
    (start, end, attrs), = timexes
    assert dct == "1998-03-22" and text[start:end] == "on Friday" and attrs["value"] == "1998-03-20"
    assert "&" in text


def gold_mention(chain: str, head_word: str, document: str = "d1") -> entities_eval.GoldMention:
    return entities_eval.GoldMention("t1", document, chain, (0, len(head_word)), head_word)


def test_entity_scorer_counts_a_mention_the_ner_missed_as_a_singleton():
    gold = [gold_mention("a", "Ferrante"), gold_mention("a", "Ferrante", "d2")]
    [ours, _] = entities_eval.score(gold, {0: "t1|e1", 1: "missed|1"})
    assert (ours["precision"], ours["recall"]) == (1.0, 0.5)


def test_same_head_baseline_joins_lower_cased_head_words_within_a_topic():
    gold = [gold_mention("a", "House"), gold_mention("b", "house", "d2")]
    [_, baseline] = entities_eval.score(gold, {0: "missed|0", 1: "missed|1"})
    assert (baseline["precision"], baseline["recall"]) == (0.5, 1.0)


def test_join_tokens_keeps_every_token_offset():
    text, offsets = entities_eval.join_tokens([["Mr.", "Xi", "said", "."], ["Talks", "began"]])
    assert text == "Mr. Xi said.\nTalks began"
    assert [text[s:e] for s, e in offsets[0]] == ["Mr.", "Xi", "said", "."]
    assert text[slice(*offsets[1][1])] == "began"


@pytest.mark.slow
@pytest.mark.parametrize("module, split, metric, at_least", [
    (quotes_eval, "dev", "f1", 0.7), (dates_eval, "all", "value_f1", 0.6), (entities_eval, "dev", "f1", 0.75),
])
def test_storyfuse_beats_the_same_run_baselines_and_floors(module, split, metric, at_least):
    try:
        result = module.evaluate(split)
    except DataNotFoundError as err:
        pytest.skip(f"data set not available: {err}")
    ours = result["rows"][0][metric]
    assert ours >= at_least
    same_data = [row for row in result["rows"][1:] if row.get("data") == result["rows"][0].get("data")]
    assert all(ours >= row[metric] - 0.01 for row in same_data)
