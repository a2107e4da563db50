"""Settings: grouped, described, and the README's table generated from them."""

from __future__ import annotations

from review_assistant.settings import GROUPS, Settings, settings_table
from tests.support.samples import ROOT


def test_every_setting_has_a_group_and_a_description():
    for name, field in Settings.model_fields.items():
        assert field.alias, name
        assert (field.json_schema_extra or {}).get("group") in GROUPS, name
        assert field.description and len(field.description) > 10, name


def test_the_readme_table_is_the_generated_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme, "regenerate it with `review-assistant settings`"


def test_layers_get_their_own_config(tmp_path):
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=tmp_path, CHROMA_HOST="chroma", REVIEW_ASSISTANT_CHUNK_TOKENS=99
    )
    assert settings.store.data_dir == tmp_path and settings.store.chroma_host == "chroma"
    assert settings.store.register_path == tmp_path / "register.sqlite3"
    assert settings.ingest.chunk_tokens == 99


def test_environment_variables_are_read(monkeypatch):
    monkeypatch.setenv("API_KEYS", " a, b ,,")
    monkeypatch.setenv("LLM_TIMEOUT", "7.5")
    settings = Settings()
    assert settings.api_key_list == ["a", "b"] and settings.llm_timeout == 7.5
