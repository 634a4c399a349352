import pytest

from storyfuse.errors import InputError
from storyfuse.ingest.text import markdown_to_text, split_front_matter, text_document


def test_no_front_matter_returns_text_unchanged():
    meta, body = split_front_matter("Just a body line.\nAnother.", "a.txt")
    assert meta == {}
    assert body == "Just a body line.\nAnother."


def test_front_matter_keys_and_body_are_split():
    text = "---\ntitle: Harbour Reopens\nsource: Lantern Gazette\n---\nThe harbour reopened today."
    meta, body = split_front_matter(text, "a.txt")
    assert meta == {"title": "Harbour Reopens", "source": "Lantern Gazette"}
    assert body == "The harbour reopened today."


def test_front_matter_double_and_single_quoted_values_are_unquoted():
    text = "---\ntitle: \"Ferry: the return\"\nauthor: 'Mira Quell'\n---\nBody."
    meta, _ = split_front_matter(text, "a.txt")
    assert meta["title"] == "Ferry: the return"
    assert meta["author"] == "Mira Quell"


def test_front_matter_value_keeps_colons_after_the_first():
    meta, _ = split_front_matter("---\npublished: 2026-03-12T08:30:00Z\n---\nBody.", "a.txt")
    assert meta["published"] == "2026-03-12T08:30:00Z"


def test_front_matter_keys_are_lowercased():
    meta, _ = split_front_matter("---\nTitle: Mixed Case\n---\nBody.", "a.txt")
    assert meta == {"title": "Mixed Case"}


def test_front_matter_comments_and_blank_lines_are_ignored():
    text = "---\n# an editor's note\n\ntitle: Lighthouse Vote\n   # indented comment\n---\nBody."
    meta, body = split_front_matter(text, "a.txt")
    assert meta == {"title": "Lighthouse Vote"}
    assert body == "Body."


def test_front_matter_may_close_with_three_dots():
    meta, body = split_front_matter("---\ntitle: Dots\n...\nBody here.", "a.txt")
    assert meta == {"title": "Dots"}
    assert body == "Body here."


def test_unclosed_front_matter_is_an_error():
    with pytest.raises(InputError) as info:
        split_front_matter("---\ntitle: Never closed\nauthor: Pell Arden\n", "story.txt")
    assert info.value.input == "story.txt"
    assert "never closed" in info.value.reason


def test_front_matter_line_without_colon_is_an_error_naming_the_line():
    with pytest.raises(InputError) as info:
        split_front_matter("---\ntitle: Fine\nthis line has no separator\n---\nBody.", "story.txt")
    assert "line 3" in info.value.reason
    assert "this line has no separator" in info.value.reason


def test_markdown_first_level_heading_becomes_the_heading_and_leaves_the_body():
    text, heading = markdown_to_text("# Council Approves Bridge\n\nThe council voted on Monday.")
    assert heading == "Council Approves Bridge"
    assert "Council Approves Bridge" not in text
    assert "The council voted on Monday." in text


def test_markdown_lower_level_heading_marks_are_stripped():
    text, heading = markdown_to_text("## Background\nThe bridge is old.")
    assert heading is None
    assert text.split("\n")[0] == "Background"


def test_markdown_links_keep_their_text_only():
    text, _ = markdown_to_text("Read the [full report](https://example.invalid/report) today.")
    assert text == "Read the full report today."


def test_markdown_image_keeps_its_alt_text_only():
    text, _ = markdown_to_text("![A grey ferry](ferry.png)")
    assert text == "A grey ferry"


def test_markdown_emphasis_marks_are_removed():
    text, _ = markdown_to_text("It was **very** cold and *quite* windy, __truly__.")
    assert text == "It was very cold and quite windy, truly."


def test_markdown_asterisk_multiplication_inside_words_is_kept():
    text, _ = markdown_to_text("The grid was 3*4 tiles.")
    assert text == "The grid was 3*4 tiles."


def test_markdown_blockquote_marker_is_removed():
    text, _ = markdown_to_text("> We will rebuild, she said.")
    assert text == "We will rebuild, she said."


def test_text_document_markdown_heading_becomes_title():
    doc = text_document("story", "story.md", "# Storm Closes Port\n\nShips stayed in the bay.", markdown=True)
    assert doc.meta["title"] == "Storm Closes Port"
    assert doc.kind == "text"
    assert "Storm Closes Port" not in doc.content


def test_text_document_front_matter_title_wins_over_heading():
    raw = "---\ntitle: Given Title\n---\n# Heading Title\n\nShips stayed in the bay."
    doc = text_document("story", "story.md", raw, markdown=True)
    assert doc.meta["title"] == "Given Title"


def test_text_document_plain_text_keeps_markdown_like_characters():
    doc = text_document("story", "story.txt", "# Not a heading\nSome *stars* here.", markdown=False)
    assert doc.content == "# Not a heading\nSome *stars* here."
    assert "title" not in doc.meta


def test_text_document_front_matter_id_overrides_the_file_id():
    doc = text_document("story", "story.txt", "---\nid: custom-7\nauthor: Ola Brenn\n---\nBody text.", False)
    assert doc.id == "custom-7"
    assert "id" not in doc.meta
    assert doc.meta == {"author": "Ola Brenn"}


def test_text_document_without_id_uses_the_given_id():
    doc = text_document("folder/story", "folder/story.txt", "Body text.", False)
    assert doc.id == "folder/story"
    assert doc.input == "folder/story.txt"


def test_text_document_with_empty_body_after_front_matter_is_an_error():
    with pytest.raises(InputError) as info:
        text_document("story", "story.txt", "---\ntitle: Only Metadata\n---\n\n   \n", False)
    assert info.value.input == "story.txt"
    assert "no article text" in info.value.reason


def test_markdown_document_with_only_a_heading_is_an_error():
    with pytest.raises(InputError):
        text_document("story", "story.md", "# Lonely Heading\n", markdown=True)
