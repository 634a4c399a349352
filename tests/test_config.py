"""Tests for storyfuse.config: one frozen config object, loaded from TOML, unknown keys an error."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from storyfuse.config import (
    ClusterConfig,
    Config,
    CorroborateConfig,
    DedupeConfig,
    SummarizeConfig,
    config_from_dict,
    load_config,
)
from storyfuse.errors import ConfigError

# --- defaults ------------------------------------------------------------------------------------


def test_defaults_of_each_section():
    config = Config()
    assert config.cluster == ClusterConfig()
    assert config.summarize.max_sentences == 5
    assert config.dedupe.shingle_words == 5
    assert config.corroborate.sentence_similarity == 0.65


def test_default_dedupe_bands_divide_the_permutations():
    d = DedupeConfig()
    assert d.num_perm % d.bands == 0


def test_default_thresholds_are_ordered():
    d, c = DedupeConfig(), CorroborateConfig()
    assert 0 < d.rewrite_overlap < d.syndicated_overlap < 1
    assert 0 < c.sentence_similarity - c.conflict_margin < c.sentence_similarity


def test_default_cluster_thresholds_are_the_trained_models():
    c = ClusterConfig()
    assert (c.join, c.merge, c.split) == (None, None, None)


def test_empty_dict_gives_the_defaults():
    assert config_from_dict({}) == Config()


# --- config_from_dict ----------------------------------------------------------------------------


def test_config_from_dict_overrides_one_key():
    config = config_from_dict({"cluster": {"join": 0.3}})
    assert config.cluster.join == 0.3


def test_config_from_dict_keeps_the_other_keys_of_the_section():
    config = config_from_dict({"cluster": {"join": 0.3}})
    assert config.cluster.model_copy(update={"join": ClusterConfig().join}) == ClusterConfig()


def test_config_from_dict_keeps_the_other_sections():
    config = config_from_dict({"cluster": {"join": 0.3}})
    assert (config.summarize, config.dedupe) == (SummarizeConfig(), DedupeConfig())


def test_config_from_dict_unknown_section_is_an_error_naming_it():
    with pytest.raises(ConfigError, match=r"unknown section \[clustering\]"):
        config_from_dict({"clustering": {"join": 0.3}})


def test_config_from_dict_unknown_section_error_lists_the_known_sections():
    with pytest.raises(ConfigError, match="cluster") as err:
        config_from_dict({"clustering": {}})
    assert "summarize" in str(err.value)


def test_config_from_dict_unknown_key_is_an_error_naming_key_and_section():
    with pytest.raises(ConfigError) as err:
        config_from_dict({"cluster": {"treshold": 0.3}})
    assert "'treshold'" in str(err.value) and "[cluster]" in str(err.value)


def test_config_from_dict_error_names_the_origin():
    with pytest.raises(ConfigError, match=r"^my\.toml: "):
        config_from_dict({"cluster": {"treshold": 0.3}}, origin="my.toml")


def test_config_from_dict_section_that_is_not_a_table_is_an_error():
    with pytest.raises(ConfigError, match=r"\[cluster\] must be a table"):
        config_from_dict({"cluster": 0.3})


def test_config_from_dict_wrong_type_is_an_error():
    with pytest.raises(ConfigError, match=r"\[summarize\] max_sentences: expected int"):
        config_from_dict({"summarize": {"max_sentences": "five"}})


def test_config_from_dict_float_for_int_is_an_error():
    with pytest.raises(ConfigError, match="expected int"):
        config_from_dict({"summarize": {"max_sentences": 5.5}})


def test_config_from_dict_bool_for_int_is_an_error():
    with pytest.raises(ConfigError, match="expected int"):
        config_from_dict({"summarize": {"max_sentences": True}})


def test_config_from_dict_string_for_float_is_an_error():
    with pytest.raises(ConfigError, match="expected float"):
        config_from_dict({"cluster": {"join": "0.3"}})


def test_config_from_dict_accepts_an_int_for_a_float():
    config = config_from_dict({"cluster": {"join": 1}})
    assert config.cluster.join == 1.0 and isinstance(config.cluster.join, float)


def test_config_from_dict_turns_a_list_of_strings_into_a_tuple():
    config = config_from_dict({"clean": {"extra_junk_patterns": ["^Advertisement$", "^Share this"]}})
    assert config.clean.extra_junk_patterns == ("^Advertisement$", "^Share this")


def test_config_from_dict_list_with_a_non_string_is_an_error():
    with pytest.raises(ConfigError, match="expected a list of strings"):
        config_from_dict({"ingest": {"text_extensions": [".txt", 3]}})


def test_config_from_dict_string_for_a_tuple_field_is_an_error():
    with pytest.raises(ConfigError, match="expected a list of strings"):
        config_from_dict({"ingest": {"text_extensions": ".txt"}})


def test_config_from_dict_accepts_a_string_field():
    assert config_from_dict({"nlp": {"model": "en_core_web_sm"}}).nlp.model == "en_core_web_sm"


# --- load_config ---------------------------------------------------------------------------------


def test_load_config_reads_a_toml_file(tmp_path):
    path = tmp_path / "custom.toml"
    path.write_text("[cluster]\njoin = 0.30\n\n[summarize]\nmax_sentences = 6\n", encoding="utf-8")
    config = load_config(path)
    assert (config.cluster.join, config.summarize.max_sentences) == (0.30, 6)


def test_load_config_accepts_a_string_path(tmp_path):
    path = tmp_path / "custom.toml"
    path.write_text("[summarize]\nmax_sentences = 2\n", encoding="utf-8")
    assert load_config(str(path)).summarize.max_sentences == 2


def test_load_config_invalid_toml_is_an_error_naming_the_path(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[cluster\nthreshold = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML") as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_load_config_missing_file_is_an_error_naming_the_path(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError, match="not found") as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_load_config_file_that_is_not_utf8_is_an_error_naming_the_path(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b"\xff\xfe[cluster]\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value)


def test_load_config_on_a_directory_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        load_config(tmp_path)


def test_load_config_unknown_key_error_names_the_file(tmp_path):
    path = tmp_path / "custom.toml"
    path.write_text("[cluster]\njion = 0.3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="jion") as err:
        load_config(path)
    assert str(err.value).startswith(str(path))


def test_load_config_none_uses_storyfuse_toml_in_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "storyfuse.toml").write_text("[summarize]\nmax_sentences = 9\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_config(None).summarize.max_sentences == 9


def test_load_config_none_without_storyfuse_toml_gives_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config(None) == Config()


def test_load_config_default_takes_no_argument(tmp_path, monkeypatch):
    (tmp_path / "storyfuse.toml").write_text("[cluster]\nmerge = 0.7\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_config().cluster.merge == 0.7


# --- frozen --------------------------------------------------------------------------------------


def test_config_is_frozen():
    with pytest.raises(ValidationError, match="frozen"):
        Config().cluster = ClusterConfig(join=0.5)  # type: ignore[misc]


def test_config_sections_are_frozen():
    with pytest.raises(ValidationError, match="frozen"):
        Config().cluster.join = 0.5  # type: ignore[misc]


def test_config_is_hashable():
    assert hash(Config()) == hash(Config())


# --- ranges --------------------------------------------------------------------------------------


@pytest.mark.parametrize("section, key, value, message", [
    ("cluster", "join", -3, "greater than or equal to 0"),
    ("cluster", "join", 1.5, "less than or equal to 1"),
    ("dedupe", "bands", 200, "bands (200) must divide num_perm (128)"),
    ("dedupe", "bands", 0, "greater than or equal to 1"),
    ("summarize", "max_sentences", 0, "greater than or equal to 1"),
    ("nlp", "batch_size", -1, "greater than or equal to 1"),
])
def test_a_value_out_of_its_range_is_an_error_naming_it(section, key, value, message):
    with pytest.raises(ConfigError) as err:
        config_from_dict({section: {key: value}}, "my.toml")
    assert str(err.value).startswith(f"my.toml: [{section}]") and message in str(err.value)


def test_an_invalid_junk_pattern_is_an_error_at_load_time():
    with pytest.raises(ConfigError, match=r"\[clean\] extra_junk_patterns: '\(' is not a valid regular expression"):
        config_from_dict({"clean": {"extra_junk_patterns": ["("]}})


def test_rewrite_overlap_above_syndicated_overlap_is_an_error():
    with pytest.raises(ConfigError, match="rewrite_overlap must not exceed syndicated_overlap"):
        config_from_dict({"dedupe": {"rewrite_overlap": 0.9}})
