"""Page metadata (clean.html.page_metadata, clean.metadata rules) on small fictional pages."""

from __future__ import annotations

from storyfuse.clean.html import dateline_date, page_metadata, parse_html, publication_time
from storyfuse.clean.metadata import AUTHOR_SEPARATOR, PageSignals, choose_outlet, clean_authors, strip_site

BODY = ("<p>The harbour authority of Port Velmar approved the expansion of the eastern quay on "
        "Thursday after two years of hearings.</p>")


def meta_of(head: str = "", body: str = BODY, url: str | None = "https://www.lanterngazette.com/news/quay"):
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    return page_metadata(parse_html(html, "test.html"), url)


# --- authors --------------------------------------------------------------------------------

def test_placeholder_authors_give_no_author():
    for placeholder in ("Redaktion", "Admin", "No Author", "Staff", "Lokalredaktion", "dpa"):
        assert meta_of(f'<meta name="author" content="{placeholder}">').author is None, placeholder


def test_an_author_that_is_the_site_name_and_a_date_is_dropped():
    head = ('<meta property="og:site_name" content="Lantern Gazette">'
            '<meta name="author" content="Lantern Gazette March 3, 2026">')
    assert meta_of(head).author is None


def test_email_addresses_and_urls_are_not_authors():
    assert clean_authors(["desk@lanterngazette.com"]) is None
    assert clean_authors(["https://www.example.com/authors/jane"]) is None
    assert clean_authors(["www.lanterngazette.com"]) is None


def test_a_byline_with_two_names_gives_both_joined_by_the_separator():
    assert AUTHOR_SEPARATOR == "; "
    assert clean_authors("By Jane Doe and John Roe") == "Jane Doe; John Roe"
    assert clean_authors("Von Mirela Oster und Tomas Vrana") == "Mirela Oster; Tomas Vrana"


def test_a_trailing_role_is_stripped_from_a_name():
    assert clean_authors("Jane Doe, Reporter") == "Jane Doe"
    assert clean_authors("Mirela Oster, Redakteurin") == "Mirela Oster"


def test_view_all_posts_by_keeps_only_the_name():
    assert clean_authors("View all posts by Jane Doe") == "Jane Doe"


def test_a_comment_header_and_a_phrase_are_no_names():
    assert clean_authors("Jane Doe says:", strict=True) is None
    assert clean_authors("write a reply or comment", strict=True) is None


def test_a_name_in_capitals_is_written_in_ordinary_case():
    assert clean_authors("JANE DOE") == "Jane Doe"


def test_json_ld_person_author_is_used_and_an_organisation_author_is_not():
    person = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
              ' "headline": "Quay approved", "author": {"@type": "Person", "name": "Mirela Oster"}}</script>')
    organisation = person.replace('"@type": "Person"', '"@type": "Organization"')
    assert meta_of(person).author == "Mirela Oster"
    assert meta_of(organisation).author is None


def test_a_personal_site_may_be_named_after_its_author():
    head = '<meta property="og:site_name" content="Jane Doe"><meta name="author" content="Jane Doe">'
    assert meta_of(head, url="https://janedoe.com/2026/03/quay").author == "Jane Doe"


def test_a_von_line_under_the_headline_names_the_author():
    body = "<article><h1>Quay approved</h1><p>Von Mirela Oster</p>" + BODY + "</article>"
    assert meta_of(body=body).author == "Mirela Oster"


# --- outlets --------------------------------------------------------------------------------

def test_json_ld_publisher_is_the_outlet():
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
            ' "headline": "Quay approved", "publisher": {"@type": "Organization", "name": "Lantern Gazette"}}</script>')
    assert meta_of(head).source == "Lantern Gazette"


def test_the_outlet_is_never_the_article_title():
    head = '<title>Quay approved after two years</title><meta property="og:site_name" content="Quay approved after two years">'
    assert meta_of(head, body="<h1>Quay approved after two years</h1>" + BODY).source == "lanterngazette.com"


def test_without_a_site_name_the_outlet_is_the_registered_domain():
    assert meta_of("<title>Quay approved</title>", url="https://news.lanterngazette.co.uk/a/1").source == "lanterngazette.co.uk"


def test_a_title_suffix_that_recurs_in_the_domain_is_the_outlet():
    head = "<title>Quay approved | Lantern Gazette</title>"
    assert meta_of(head, body="<h1>Quay approved</h1>" + BODY).source == "Lantern Gazette"


def test_a_kicker_before_the_headline_is_not_taken_for_the_outlet():
    head = "<title>Harbour news - Quay approved</title>"
    assert meta_of(head, body="<h1>Quay approved</h1>" + BODY).source == "lanterngazette.com"


def test_a_legal_form_and_a_tagline_are_not_part_of_the_outlet():
    assert choose_outlet(["Lantern Gazette GmbH"], "Quay approved", "lanterngazette.com") == "Lantern Gazette"
    assert choose_outlet(["Lantern Gazette - News from Port Velmar"], None, "lanterngazette.com") == "Lantern Gazette"


# --- titles ---------------------------------------------------------------------------------

def test_the_site_suffix_is_removed_from_the_title():
    head = '<title>Quay approved | Lantern Gazette</title><meta property="og:site_name" content="Lantern Gazette">'
    assert meta_of(head).title == "Quay approved"


def test_a_site_prefix_and_a_dash_suffix_are_removed_from_the_title():
    assert strip_site("Lantern Gazette - Quay approved", ["Lantern Gazette"]) == "Quay approved"
    assert strip_site("Quay approved – Lantern Gazette", ["Lantern Gazette"]) == "Quay approved"
    assert strip_site("Quay approved - lanterngazette.com", [], "lanterngazette.com") == "Quay approved"


def test_a_hyphen_inside_the_headline_is_kept():
    assert strip_site("Port-Velmar quay approved - Lantern Gazette", ["Lantern Gazette"]) == "Port-Velmar quay approved"


def test_the_h1_is_the_title_and_a_banner_h1_linking_home_is_not():
    body = ('<header><h1 class="site-title"><a href="/" rel="home">Lantern Gazette</a></h1></header>'
            '<article><h1>Quay approved after two years</h1>' + BODY + "</article>")
    assert meta_of("<title>Quay approved after two years | Lantern Gazette</title>", body).title == \
        "Quay approved after two years"


# --- dates ----------------------------------------------------------------------------------

def test_numbers_in_the_body_never_become_dates():
    body = ("<article><h1>Quay approved</h1><p>The new berths will bring power to 2000 homes and jobs to "
            "350 people from the year 2027 on.</p></article>")
    assert meta_of(body=body, url="https://www.lanterngazette.com/news/quay").published is None


def test_a_date_inside_a_sentence_of_the_body_is_not_the_publication_date():
    body = ("<article><h1>Quay approved</h1><p>The vote is on 3 March 2026.</p>"
            "<p>Die Abstimmung ist am 3. März 2026.</p></article>")
    assert meta_of(body=body).published is None


def test_json_ld_date_published_keeps_the_full_timestamp():
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
            ' "headline": "Quay approved", "datePublished": "2026-03-12T08:30:00+01:00"}</script>')
    assert meta_of(head).published == "2026-03-12T08:30:00+01:00"


def test_htmldate_gives_the_day_from_the_address_when_the_page_has_no_metadata():
    assert meta_of(url="https://www.lanterngazette.com/2024/03/12/quay-approved/").published == "2024-03-12"


def test_a_date_printed_under_the_headline_is_read():
    body = "<article><h1>Quay approved</h1><p>Datum: 03.11.2021</p>" + BODY + "</article>"
    assert meta_of(body=body, url=None).published == "2021-11-03"


def test_a_utc_timestamp_just_after_midnight_keeps_the_day_the_page_prints():
    head = '<meta property="article:published_time" content="2022-05-04T00:53:29Z">'
    body = "<article><h1>Quay approved</h1><p>3 May 2022</p>" + BODY + "</article>"
    assert meta_of(head, body, url=None).published == "2022-05-03"


def test_dateline_dates_need_day_month_and_year():
    assert dateline_date("Published 4 May 2022, 10:15") == "2022-05-04"
    assert dateline_date("Datum: 03.11.2021") == "2021-11-03"
    assert dateline_date("Power to 2000 homes") is None
    assert dateline_date("May 2022") is None


def test_a_day_month_year_date_in_the_address_is_read():
    assert meta_of(url="https://www.lanterngazette.com/meldungen/29-10-2021").published == "2021-10-29"


def test_an_unconfirmed_first_of_january_from_htmldate_is_a_year_alone_and_dropped():
    assert publication_time(PageSignals(htmldate="2004-01-01")) is None
    confirmed = PageSignals(htmldate="2023-01-01", meta={"article:published_time": ["2023-01-01T07:35:00+01:00"]})
    assert publication_time(confirmed) == "2023-01-01T07:35:00+01:00"
