"""Every setting of Review Assistant, read from environment variables.

Settings are grouped (store, ingest, retrieval, answer, llm, api, slack); each carries the
description the README's settings table shows (`review-assistant settings` prints it, and a
test keeps the README in step). The store and ingest layers get their own small config
objects, so they never import this module.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from review_assistant.ingest.config import IngestConfig
from review_assistant.store.config import StoreConfig

GROUPS = ("store", "ingest", "retrieval", "llm", "api", "slack")


def _setting(default, env: str, group: str, description: str):
    return Field(
        default=default,
        alias=env,
        description=description,
        json_schema_extra={"group": group},
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    # -- store ------------------------------------------------------------------------------
    data_dir: Path = _setting(
        Path("./data"),
        "REVIEW_ASSISTANT_DATA_DIR",
        "store",
        "where the register (with its keyword index) and embedded Chroma live",
    )
    database_url: str | None = _setting(
        None,
        "REVIEW_ASSISTANT_DATABASE_URL",
        "store",
        "a PostgreSQL URL (`postgresql://user:pass@host/db`) for the register and its keyword "
        "index, shared by replicas; unset: SQLite in the data directory",
    )
    chroma_host: str | None = _setting(
        None,
        "CHROMA_HOST",
        "store",
        "use a Chroma server at this host instead of the embedded store",
    )
    chroma_port: int = _setting(8000, "CHROMA_PORT", "store", "port of that Chroma server")
    collection: str = _setting(
        "review_passages", "REVIEW_ASSISTANT_COLLECTION", "store", "Chroma collection name"
    )
    embed_batch: int = _setting(
        4,
        "REVIEW_ASSISTANT_EMBED_BATCH",
        "store",
        "embedding batch size (small batches are fastest on 2 cores)",
    )
    onnx_threads: int = _setting(2, "REVIEW_ASSISTANT_ONNX_THREADS", "store", "onnxruntime threads")
    keyword_budget: int = _setting(
        5000,
        "REVIEW_ASSISTANT_KEYWORD_BUDGET",
        "store",
        "most passages one keyword search scores (SQLite): past it, the question's commonest "
        "words are left out, keeping search time flat as the library grows",
    )
    # -- ingest -----------------------------------------------------------------------------
    chunk_tokens: int = _setting(
        180, "REVIEW_ASSISTANT_CHUNK_TOKENS", "ingest", "maximum tokens (cl100k_base) per chunk"
    )
    agencies_file: Path | None = _setting(
        None,
        "REVIEW_ASSISTANT_AGENCIES",
        "ingest",
        "a YAML file of the partnership's own agency names (see `examples/`), added to the "
        "national gazetteer for reading documents and questions",
    )
    ocr_min_chars: int = _setting(
        20,
        "REVIEW_ASSISTANT_OCR_MIN_CHARS",
        "ingest",
        "a PDF page with fewer characters of text (and an image) is OCRed",
    )
    ocr_scale: float = _setting(
        2.0, "REVIEW_ASSISTANT_OCR_SCALE", "ingest", "render scale for OCR (2.0 ≈ 144 dpi)"
    )
    max_pages: int = _setting(
        2000, "REVIEW_ASSISTANT_MAX_PAGES", "ingest", "a PDF with more pages is refused"
    )
    max_ocr_pages: int = _setting(
        300,
        "REVIEW_ASSISTANT_MAX_OCR_PAGES",
        "ingest",
        "a document needing OCR on more pages is refused (OCR runs at about 1–2 s a page)",
    )
    max_render_megapixels: float = _setting(
        40.0,
        "REVIEW_ASSISTANT_MAX_RENDER_MEGAPIXELS",
        "ingest",
        "largest bitmap a page is rendered to for OCR; a page too large to OCR even at 36 dpi "
        "is refused",
    )
    max_expanded_mb: float = _setting(
        300.0,
        "REVIEW_ASSISTANT_MAX_EXPANDED_MB",
        "ingest",
        "a DOCX whose parts expand beyond this once unzipped is refused",
    )
    max_archive_members: int = _setting(
        5000,
        "REVIEW_ASSISTANT_MAX_ARCHIVE_MEMBERS",
        "ingest",
        "a DOCX with more parts is refused",
    )
    max_paragraphs: int = _setting(
        100_000,
        "REVIEW_ASSISTANT_MAX_PARAGRAPHS",
        "ingest",
        "a DOCX with more paragraphs and tables is refused",
    )
    max_html_mb: float = _setting(
        20.0, "REVIEW_ASSISTANT_MAX_HTML_MB", "ingest", "an HTML file larger than this is refused"
    )
    max_memory_mb: float = _setting(
        1536.0,
        "REVIEW_ASSISTANT_MAX_MEMORY_MB",
        "ingest",
        "the reading process is stopped (and the file refused) beyond this resident memory",
    )
    max_seconds: float = _setting(
        600.0,
        "REVIEW_ASSISTANT_MAX_SECONDS",
        "ingest",
        "the reading process is stopped (and the file refused) after this long on one file",
    )
    # -- retrieval --------------------------------------------------------------------------
    candidates: int = _setting(
        30,
        "REVIEW_ASSISTANT_CANDIDATES",
        "retrieval",
        "passages each retriever returns before fusion",
    )
    # -- llm --------------------------------------------------------------------------------
    llm_base_url: str | None = _setting(
        None,
        "LLM_BASE_URL",
        "llm",
        "an OpenAI-compatible endpoint (e.g. `http://localhost:11434/v1`); unset: extractive "
        "answers",
    )
    llm_model: str = _setting("llama3.1", "LLM_MODEL", "llm", "model name at that endpoint")
    llm_api_key: str = _setting("not-needed", "LLM_API_KEY", "llm", "key for that endpoint")
    llm_max_tokens: int = _setting(
        400,
        "LLM_MAX_TOKENS",
        "llm",
        "most tokens a reply may have: a small model left unbounded can generate for minutes",
    )
    llm_timeout: float = _setting(
        30.0, "LLM_TIMEOUT", "llm", "seconds before falling back to the extractive answer"
    )
    # -- api --------------------------------------------------------------------------------
    api_keys: str | None = _setting(
        None,
        "API_KEYS",
        "api",
        "comma-separated keys; when set, every route but `/health` requires one",
    )
    max_upload_mb: float = _setting(
        50.0,
        "REVIEW_ASSISTANT_MAX_UPLOAD_MB",
        "api",
        "largest upload accepted by `POST /documents`",
    )
    background_upload_kb: float = _setting(
        256.0,
        "REVIEW_ASSISTANT_BACKGROUND_UPLOAD_KB",
        "api",
        "uploads larger than this are ingested as background jobs (`202` and `GET /jobs/{id}`)",
    )
    allow_open: bool = _setting(
        False,
        "REVIEW_ASSISTANT_ALLOW_OPEN",
        "api",
        "let `serve` listen on a non-loopback address without `API_KEYS` (closed networks only)",
    )
    # -- slack ------------------------------------------------------------------------------
    slack_bot_token: str | None = _setting(
        None, "SLACK_BOT_TOKEN", "slack", "the bot's `xoxb-` token"
    )
    slack_signing_secret: str | None = _setting(
        None, "SLACK_SIGNING_SECRET", "slack", "verifies requests to `/slack/events` (HTTP mode)"
    )
    slack_app_token: str | None = _setting(
        None,
        "SLACK_APP_TOKEN",
        "slack",
        "the app-level `xapp-` token for Socket Mode (`review-assistant slack`)",
    )
    slack_api_base_url: str | None = _setting(
        None, "SLACK_API_BASE_URL", "slack", "overrides the Web API base URL (tests, proxies)"
    )

    @property
    def store(self) -> StoreConfig:
        return _config(StoreConfig, self)

    @property
    def ingest(self) -> IngestConfig:
        return _config(IngestConfig, self)

    @property
    def api_key_list(self) -> list[str]:
        return [k.strip() for k in (self.api_keys or "").split(",") if k.strip()]


def _config(kind, settings: Settings):
    """A layer's config object, from the settings of the same names."""
    return kind(**{f.name: getattr(settings, f.name) for f in dataclasses.fields(kind)})


def get_settings() -> Settings:
    return Settings()


def settings_table() -> str:
    """The README's settings table, grouped, from the fields' own descriptions."""
    rows = ["| variable | group | default | meaning |", "|---|---|---|---|"]
    fields = Settings.model_fields
    for group in GROUPS:
        for field in fields.values():
            if (field.json_schema_extra or {}).get("group") != group:
                continue
            default = field.default
            if isinstance(default, Path) and not default.is_absolute():
                default = f"./{default}"
            default = "unset" if default is None else f"`{default}`"
            rows.append(f"| `{field.alias}` | {group} | {default} | {field.description} |")
    return "\n".join(rows)
