import re

import pytest

from storyfuse.clean import clean_document, detect_language, is_junk_line, normalize, normalize_timestamp
from storyfuse.config import CleanConfig
from storyfuse.errors import InputError
from storyfuse.models import RawDocument

from conftest import MODELS

BODY = (
    "The harbour authority approved a long-debated expansion\n"
    "of the eastern quay on Thursday, officials said.\n"
    "\n"
    "The project will add two berths for cargo ships and is expected to take three years.\n"
)

FRENCH = (
    "Le conseil municipal a approuvé jeudi l'agrandissement du quai est, après deux ans "
    "de débats publics et de plans révisés. Les travaux devraient durer trois ans et "
    "ajouter deux postes d'amarrage pour les cargos."
)

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbour Authority Approves Eastern Quay Expansion | Lantern Gazette</title>
<meta property="og:title" content="Harbour Authority Approves Eastern Quay Expansion">
<meta property="og:site_name" content="Lantern Gazette">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2026-03-12T08:30:00+01:00">
<meta property="og:url" content="https://lantern.invalid/news/quay-expansion">
<script>var tracking = "tracker-snippet-never-shown";</script>
</head>
<body>
<div id="cookie-banner" class="cookie-consent">
  <p>We use cookies to improve your experience on Lantern Gazette. Accept all cookies or manage your preferences.</p>
  <button>Accept</button>
</div>
<header><nav class="main-nav"><ul>
  <li><a href="/">Home</a></li><li><a href="/news">News</a></li>
  <li><a href="/weather">Weather</a></li><li><a href="/ferries">Ferry Timetables</a></li>
</ul></nav></header>
<main>
<article>
<h1>Harbour Authority Approves Eastern Quay Expansion</h1>
<p class="byline">By Jane Doe</p>
<p>The harbour authority of Port Velmar approved a long-debated expansion of the eastern quay on Thursday, ending two years of public hearings and revised plans.</p>
<p>The project will add two deep-water berths for cargo ships and a covered shed for the fishing cooperative, and is expected to take three years to complete.</p>
<p>"This is the most important investment in the harbour for a generation," said Mirela Oster, who chairs the authority's board, after the vote.</p>
<p>Residents of the Saltmarsh district had objected to the noise of night loading, and the approved plan limits cargo handling to the hours between six in the morning and ten at night.</p>
</article>
</main>
<footer>
  <p>Lantern Gazette, 4 Lighthouse Row, Port Velmar. Contact the newsroom at desk@lantern.invalid.</p>
  <p>© 2026 Lantern Gazette. All rights reserved.</p>
</footer>
</body>
</html>"""


def _text(content, config=None, **meta):
    return clean_document(RawDocument("t1", "t1.txt", "text", content, meta), config or CleanConfig(), MODELS.junk)


@pytest.fixture(scope="module")
def page():
    return clean_document(RawDocument("p1", "p1.html", "html", PAGE, {}), CleanConfig(), MODELS.junk)


# normalize


def test_normalize_composes_to_nfc():
    assert normalize("Cafe\u0301") == "Caf\u00e9"


def test_normalize_turns_nbsp_into_a_space():
    assert normalize("5\u00a0km") == "5 km"


def test_normalize_turns_narrow_nbsp_into_a_space():
    assert normalize("12\u202f000 tonnes") == "12 000 tonnes"


def test_normalize_removes_soft_hyphens():
    assert normalize("co\u00adop\u00aderative") == "cooperative"


def test_normalize_turns_non_breaking_hyphen_into_hyphen():
    assert normalize("non\u2011stop") == "non-stop"


def test_normalize_removes_zero_width_characters():
    assert normalize("har\u200bbour\ufeff") == "harbour"


def test_normalize_keeps_curly_quotes():
    assert normalize("\u201cWe will rebuild,\u201d she said, \u2018soon\u2019.") == (
        "\u201cWe will rebuild,\u201d she said, \u2018soon\u2019."
    )


def test_normalize_keeps_dashes():
    assert normalize("2019\u20132021 \u2014 a decade") == "2019\u20132021 \u2014 a decade"


def test_normalize_collapses_runs_of_spaces_and_tabs():
    assert normalize("the  quay\t\tclosed") == "the quay closed"


def test_normalize_strips_each_line_and_drops_carriage_returns():
    assert normalize("  first line  \r\n\tsecond line ") == "first line\nsecond line"


# is_junk_line


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "Share this article",
        "Sign up for our morning briefing",
        "Read more: Ferry timetable changes for spring",
        "Photo: Ilse Varro / Lantern Gazette",
        "© 2026 X. All rights reserved.",
        "Follow us on social media",
    ],
)
def test_is_junk_line_recognises_page_furniture(line):
    assert is_junk_line(line)


def test_is_junk_line_ignores_surrounding_whitespace():
    assert is_junk_line("   Advertisement  ")


def test_is_junk_line_is_false_for_an_empty_line():
    assert not is_junk_line("   ")


def test_is_junk_line_is_false_for_a_sentence_about_share_prices():
    assert not is_junk_line("Share prices fell 3 percent on Monday after the announcement.")


def test_is_junk_line_is_false_for_a_sentence_starting_with_copyright():
    assert not is_junk_line("Copyright lawyers argued for hours on Monday about the case.")


@pytest.mark.parametrize(
    "line",
    [
        "Home owners on the coast were told to leave before the storm.",
        "Search and rescue teams reached the island at 4 a.m.",
        "Photo enthusiasts gathered at the pier to watch the eclipse.",
        "The council said it would publish the report on Friday.",
    ],
)
def test_is_junk_line_is_false_for_real_sentences(line):
    assert not is_junk_line(line)


def test_is_junk_line_is_false_for_long_lines():
    line = "Share this article " + "with the residents of the harbour district, the mayor urged " * 3
    assert len(line) > 140
    assert not is_junk_line(line)


def test_is_junk_line_uses_extra_patterns():
    assert is_junk_line("Lantern Gazette Daily Digest", [re.compile(r"daily digest", re.I)])


# clean_document on text


def test_text_body_paragraphs_are_joined_and_separated():
    article = _text(BODY)
    assert article.text == (
        "The harbour authority approved a long-debated expansion of the eastern quay on Thursday, "
        "officials said.\n\nThe project will add two berths for cargo ships and is expected to take three years."
    )


def test_text_junk_lines_go_to_removed():
    article = _text("Advertisement\n\n" + BODY + "\nShare this article\nFollow us on social media\n")
    assert article.removed == ("Advertisement", "Share this article", "Follow us on social media")


def test_text_junk_lines_are_not_in_the_text():
    article = _text(BODY + "\nSign up for our morning briefing\n")
    assert "Sign up" not in article.text


def test_text_extra_junk_patterns_from_config_are_removed():
    config = CleanConfig(extra_junk_patterns=(r"^Lantern Digest\b",))
    article = _text("Lantern Digest for subscribers\n\n" + BODY, config=config)
    assert article.removed == ("Lantern Digest for subscribers",)


def test_text_byline_becomes_author_when_none_given():
    article = _text("By Jane Doe\n\n" + BODY)
    assert article.author == "Jane Doe"


def test_text_byline_line_goes_to_removed_and_out_of_the_text():
    article = _text("By Jane Doe\n\n" + BODY)
    assert article.removed == ("By Jane Doe",)
    assert "Jane Doe" not in article.text
    assert article.title is None


def test_text_byline_after_the_headline_becomes_author():
    article = _text("Harbour Authority Approves Expansion\n\nBy Jane Doe\n\n" + BODY)
    assert article.title == "Harbour Authority Approves Expansion"
    assert article.author == "Jane Doe"


def test_text_lowercase_byline_becomes_author():
    article = _text("by Jane Doe\n\n" + BODY)
    assert article.author == "Jane Doe"


def test_text_given_author_is_kept():
    article = _text(BODY, author="Ilse Varro")
    assert article.author == "Ilse Varro"


def test_text_without_byline_or_author_has_no_author():
    assert _text(BODY).author is None


def test_text_wire_dateline_is_taken_out_of_the_text():
    article = _text("PORT VELMAR, March 12 (VWS) \u2014 " + BODY)
    assert article.dateline == "PORT VELMAR, March 12 (VWS)"
    assert article.text.startswith("The harbour authority approved")


def test_text_dateline_with_hyphen_and_no_date_is_taken():
    article = _text("PORT VELMAR (VWS) - " + BODY)
    assert article.dateline == "PORT VELMAR (VWS)"
    assert "VWS" not in article.text


def test_text_without_dateline_has_none():
    article = _text(BODY)
    assert article.dateline is None


def test_text_dash_inside_the_body_is_not_a_dateline():
    article = _text("Officials said the work \u2014 delayed twice \u2014 would start in May.\n\n" + BODY)
    assert article.dateline is None
    assert article.text.startswith("Officials said the work")


def test_text_headline_like_first_line_becomes_title_when_none_given():
    article = _text("Harbour Authority Approves Expansion\n\n" + BODY)
    assert article.title == "Harbour Authority Approves Expansion"
    assert not article.text.startswith("Harbour Authority")


def test_text_headline_and_dateline_are_both_taken():
    article = _text("Harbour Authority Approves Expansion\n\nPORT VELMAR, March 12 (VWS) \u2014 " + BODY)
    assert article.title == "Harbour Authority Approves Expansion"
    assert article.dateline == "PORT VELMAR, March 12 (VWS)"
    assert article.text.startswith("The harbour authority approved")


def test_text_first_line_ending_with_a_full_stop_is_not_a_title():
    article = _text("The quay will close for a week.\n\n" + BODY)
    assert article.title is None
    assert article.text.startswith("The quay will close for a week.")


def test_text_given_title_is_kept_and_another_headline_line_is_not_lost():
    article = _text("Harbour Authority Approves Expansion\n\n" + BODY, title="Quay Vote Passes")
    assert article.title == "Quay Vote Passes"
    assert "Harbour Authority Approves Expansion" in article.text or (
        "Harbour Authority Approves Expansion" in article.removed)


def test_text_headline_repeating_the_given_title_goes_to_removed():
    article = _text("Quay Vote Passes\n\n" + BODY, title="Quay Vote Passes")
    assert article.removed == ("Quay Vote Passes",)
    assert article.text.startswith("The harbour authority approved")


def test_text_too_short_raises_input_error_with_the_reason():
    with pytest.raises(InputError) as info:
        _text("Quay closed.")
    assert info.value.input == "t1.txt"
    assert "no article text after cleaning (" in info.value.reason
    assert "min_text_chars = 40" in info.value.reason


def test_text_that_is_only_junk_raises_input_error():
    with pytest.raises(InputError, match="0 characters left"):
        _text("Advertisement\nShare this article\nFollow us on social media\n")


def test_text_min_text_chars_comes_from_config():
    article = _text("Quay closed.", config=CleanConfig(min_text_chars=5))
    assert article.text == "Quay closed."


def test_text_language_is_detected_as_english():
    assert _text(BODY).language == "en"


def test_text_language_is_detected_as_french():
    assert _text(FRENCH).language == "fr"


def test_text_given_language_is_lowercased_to_its_primary_subtag():
    assert _text(BODY, language="EN-GB").language == "en"


def test_detect_language_of_french_paragraph():
    assert detect_language(FRENCH) == "fr"


def test_text_published_utc_z_is_normalised_to_offset():
    assert _text(BODY, published="2026-03-12T08:30:00Z").published == "2026-03-12T08:30:00+00:00"


def test_text_published_bare_date_stays_a_date():
    assert _text(BODY, published="2026-03-12").published == "2026-03-12"


def test_text_published_unparseable_is_dropped():
    assert _text(BODY, published="sometime soon-ish").published is None


def test_text_source_falls_back_to_the_registered_domain_of_the_url():
    assert _text(BODY, url="https://www.gull.invalid/a?x=1").source == "gull.invalid"


def test_text_given_source_is_kept():
    assert _text(BODY, source="Lantern Gazette", url="https://gull.invalid/a").source == "Lantern Gazette"


def test_text_article_keeps_id_and_input():
    article = _text(BODY)
    assert (article.id, article.input) == ("t1", "t1.txt")


# normalize_timestamp


def test_normalize_timestamp_keeps_an_explicit_offset():
    assert normalize_timestamp("2026-03-12T08:30:00+01:00") == "2026-03-12T08:30:00+01:00"


def test_normalize_timestamp_reads_rfc_822_dates():
    assert normalize_timestamp("Thu, 12 Mar 2026 08:30:00 GMT") == "2026-03-12T08:30:00+00:00"


def test_normalize_timestamp_rejects_an_impossible_date():
    assert normalize_timestamp("2026-02-30") is None


def test_normalize_timestamp_of_nothing_is_none():
    assert normalize_timestamp(None) is None
    assert normalize_timestamp("") is None


def test_normalize_timestamp_written_out_date_stays_a_date():
    assert normalize_timestamp("12 March 2026") == "2026-03-12"


# clean_document on HTML


def test_html_main_text_is_kept(page):
    assert page.text.startswith("The harbour authority of Port Velmar approved a long-debated expansion")
    assert "said Mirela Oster, who chairs the authority's board" in page.text
    assert page.text.endswith("between six in the morning and ten at night.")


def test_html_paragraphs_are_separated_by_blank_lines(page):
    assert page.text.count("\n\n") == 3


def test_html_navigation_goes_to_removed(page):
    assert {"Home", "News", "Weather", "Ferry Timetables"} <= set(page.removed)
    assert "Ferry Timetables" not in page.text


def test_html_cookie_banner_goes_to_removed(page):
    banner = "We use cookies to improve your experience on Lantern Gazette. Accept all cookies or manage your preferences."
    assert banner in page.removed
    assert "cookies" not in page.text


def test_html_footer_goes_to_removed(page):
    assert "© 2026 Lantern Gazette. All rights reserved." in page.removed
    assert any("4 Lighthouse Row" in block for block in page.removed)
    assert "Lighthouse Row" not in page.text


def test_html_script_text_is_neither_kept_nor_listed(page):
    assert "tracker-snippet-never-shown" not in page.text
    assert not any("tracker-snippet-never-shown" in block for block in page.removed)


def test_html_title_comes_from_meta(page):
    assert page.title == "Harbour Authority Approves Eastern Quay Expansion"


def test_html_author_comes_from_meta(page):
    assert page.author == "Jane Doe"


def test_html_source_comes_from_site_name(page):
    assert page.source == "Lantern Gazette"


def test_html_url_comes_from_og_url(page):
    assert page.url == "https://lantern.invalid/news/quay-expansion"


def test_html_published_keeps_the_full_timestamp_from_article_published_time(page):
    assert page.published == "2026-03-12T08:30:00+01:00"


def test_html_language_is_detected(page):
    assert page.language == "en"


def test_html_given_metadata_wins_over_the_page():
    doc = RawDocument("p1", "p1.html", "html", PAGE, {"source": "Archive Copy", "author": "Desk Staff"})
    article = clean_document(doc, CleanConfig(), MODELS.junk)
    assert (article.source, article.author) == ("Archive Copy", "Desk Staff")


def test_html_published_from_time_element_when_no_meta():
    paragraph = "<p>The harbour authority approved a long-debated expansion of the eastern quay on Thursday.</p>"
    html = (
        "<html><body><article>" + paragraph + paragraph.replace("Thursday", "Friday")
        + '<time itemprop="datePublished" datetime="2026-03-11T17:45:00Z">11 March</time>'
        + "</article></body></html>"
    )
    article = clean_document(RawDocument("p2", "p2.html", "html", html, {}), CleanConfig(), MODELS.junk)
    assert article.published == "2026-03-11T17:45:00+00:00"


def test_html_page_without_main_text_raises_input_error():
    with pytest.raises(InputError) as info:
        clean_document(RawDocument("p3", "p3.html", "html", "<html><body></body></html>", {}), CleanConfig(), MODELS.junk)
    assert info.value.input == "p3.html"
    assert "no main text found" in info.value.reason


def test_html_empty_document_raises_input_error():
    with pytest.raises(InputError, match="HTML cannot be parsed"):
        clean_document(RawDocument("p4", "p4.html", "html", "", {}), CleanConfig(), MODELS.junk)


def test_a_junk_looking_line_inside_a_wrapped_sentence_is_kept():
    article = _text("The union said its members had declined to make any further\ncomments\n"
                    "on the dispute until Monday, a spokesman said.\n")
    assert "any further comments on the dispute" in article.text and article.removed == ()


def test_sentences_that_start_like_page_furniture_are_kept():
    article = _text("Posted at Port Velmar airport since 2019, the 400 crew members voted 9 to 1 in favour.\n\n"
                    "Sign up for the strike was near total, the union said.\n")
    assert article.removed == ()


WRAPPED = ("The harbour office of Port Velmar said on Thursday that the old wooden notice\n"
           "{}\n"
           "that have stood along the eastern quay since the war would be removed this\n"
           "spring, and that the council would pay for new ones with lighting built into\n"
           "them, after several complaints from the ferry passengers who use the quay.\n")


def test_a_junk_word_that_starts_a_wrapped_line_mid_sentence_is_kept():
    article = _text(WRAPPED.format("Advertisement boards, painted by the harbour's first keepers,"))
    assert article.removed == () and "notice Advertisement boards" in article.text


def test_a_junk_phrase_between_two_halves_of_a_sentence_is_kept():
    article = _text(WRAPPED.format("sign up boards with the opening hours of the fish market and those"))
    assert article.removed == () and "notice sign up boards" in article.text


def test_a_radio_sign_off_is_page_furniture():
    assert is_junk_line("We'll have more on this story in our next bulletin.")
