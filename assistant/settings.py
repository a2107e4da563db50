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


def _layer(config, name: str, env: str, description: str):
    """A setting of the store's or the ingest layer's own config: its default is the one that
    config declares, never a copy."""
    default = next(f.default for f in dataclasses.fields(config) if f.name == name)
    group = {StoreConfig: "store", IngestConfig: "ingest"}[config]
    return _setting(default, env, group, description)


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
    database_url: str | None = _layer(
        StoreConfig,
        "database_url",
        "REVIEW_ASSISTANT_DATABASE_URL",
        "a PostgreSQL URL (`postgresql://user:pass@host/db`) for the register and its keyword "
        "index, shared by replicas; unset: SQLite in the data directory",
    )
    chroma_host: str | None = _layer(
        StoreConfig,
        "chroma_host",
        "CHROMA_HOST",
        "use a Chroma server at this host instead of the embedded store",
    )
    chroma_port: int = _layer(
        StoreConfig, "chroma_port", "CHROMA_PORT", "port of that Chroma server"
    )
    collection: str = _layer(
        StoreConfig, "collection", "REVIEW_ASSISTANT_COLLECTION", "Chroma collection name"
    )
    embed_batch: int = _layer(
        StoreConfig,
        "embed_batch",
        "REVIEW_ASSISTANT_EMBED_BATCH",
        "embedding batch size (small batches are fastest on 2 cores)",
    )
    onnx_threads: int = _layer(
        StoreConfig, "onnx_threads", "REVIEW_ASSISTANT_ONNX_THREADS", "onnxruntime threads"
    )
    keyword_budget: int = _layer(
        StoreConfig,
        "keyword_budget",
        "REVIEW_ASSISTANT_KEYWORD_BUDGET",
        "most passages one keyword search scores (SQLite): past it, the question's commonest "
        "words are left out, keeping search time flat as the library grows",
    )
    # -- ingest -----------------------------------------------------------------------------
    chunk_tokens: int = _layer(
        IngestConfig,
        "chunk_tokens",
        "REVIEW_ASSISTANT_CHUNK_TOKENS",
        "maximum tokens (cl100k_base) per chunk",
    )
    agencies_file: Path | None = _layer(
        IngestConfig,
        "agencies_file",
        "REVIEW_ASSISTANT_AGENCIES",
        "a YAML file of the partnership's own agency names (see `examples/`), added to the "
        "national gazetteer for reading documents and questions",
    )
    ocr_min_chars: int = _layer(
        IngestConfig,
        "ocr_min_chars",
        "REVIEW_ASSISTANT_OCR_MIN_CHARS",
        "a PDF page with fewer characters of text (and an image) is OCRed",
    )
    ocr_scale: float = _layer(
        IngestConfig,
        "ocr_scale",
        "REVIEW_ASSISTANT_OCR_SCALE",
        "render scale for OCR (2.0 ≈ 144 dpi)",
    )
    max_pages: int = _layer(
        IngestConfig, "max_pages", "REVIEW_ASSISTANT_MAX_PAGES", "a PDF with more pages is refused"
    )
    max_ocr_pages: int = _layer(
        IngestConfig,
        "max_ocr_pages",
        "REVIEW_ASSISTANT_MAX_OCR_PAGES",
        "a document needing OCR on more pages is refused (OCR runs at about 1–2 s a page)",
    )
    max_render_megapixels: float = _layer(
        IngestConfig,
        "max_render_megapixels",
        "REVIEW_ASSISTANT_MAX_RENDER_MEGAPIXELS",
        "largest bitmap a page is rendered to for OCR; a page too large to OCR even at 36 dpi "
        "is refused",
    )
    max_expanded_mb: float = _layer(
        IngestConfig,
        "max_expanded_mb",
        "REVIEW_ASSISTANT_MAX_EXPANDED_MB",
        "a DOCX whose parts expand beyond this once unzipped is refused",
    )
    max_archive_members: int = _layer(
        IngestConfig,
        "max_archive_members",
        "REVIEW_ASSISTANT_MAX_ARCHIVE_MEMBERS",
        "a DOCX with more parts is refused",
    )
    max_paragraphs: int = _layer(
        IngestConfig,
        "max_paragraphs",
        "REVIEW_ASSISTANT_MAX_PARAGRAPHS",
        "a DOCX with more paragraphs and tables is refused",
    )
    max_html_mb: float = _layer(
        IngestConfig,
        "max_html_mb",
        "REVIEW_ASSISTANT_MAX_HTML_MB",
        "an HTML file larger than this is refused",
    )
    max_memory_mb: float = _layer(
        IngestConfig,
        "max_memory_mb",
        "REVIEW_ASSISTANT_MAX_MEMORY_MB",
        "the reading process is stopped (and the file refused) beyond this resident memory",
    )
    max_seconds: float = _layer(
        IngestConfig,
        "max_seconds",
        "REVIEW_ASSISTANT_MAX_SECONDS",
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
    max_queued_uploads: int = _setting(
        32,
        "REVIEW_ASSISTANT_MAX_QUEUED_UPLOADS",
        "api",
        "uploads waiting to be ingested (spooled in the data directory); past it an upload is "
        "answered `503` with `Retry-After`",
    )
    max_queued_mb: float = _setting(
        512.0,
        "REVIEW_ASSISTANT_MAX_QUEUED_MB",
        "api",
        "the bytes those waiting uploads may hold in the spool, in all",
    )
    max_originals_mb: float = _setting(
        10_000.0,
        "REVIEW_ASSISTANT_MAX_ORIGINALS_MB",
        "api",
        "the original files kept for reading may hold this much in all; an upload past it is "
        "answered `507` (0: no quota)",
    )
    allowed_hosts: str = _setting(
        "localhost,127.0.0.1,::1",
        "REVIEW_ASSISTANT_ALLOWED_HOSTS",
        "api",
        "comma-separated host names the server answers to (the Host header), `*` for any: "
        "other names are refused, so a page that rebinds its own name to this address "
        "reaches nothing; behind a proxy, the names users type",
    )
    failed_keys_per_minute: int = _setting(
        10,
        "REVIEW_ASSISTANT_FAILED_KEYS_PER_MINUTE",
        "api",
        "wrong keys (API or login) one client may send in a minute; past it every request "
        "it makes is answered `429` until the minute has passed",
    )
    secure_cookies: bool = _setting(
        False,
        "REVIEW_ASSISTANT_SECURE_COOKIES",
        "api",
        "mark the page's session cookie `Secure` (served over HTTPS, as behind a TLS proxy)",
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

    # -- each layer and front end takes its own group ----------------------------------------
    @property
    def store(self) -> StoreConfig:
        return _config(StoreConfig, self)

    @property
    def ingest(self) -> IngestConfig:
        return _config(IngestConfig, self)

    @property
    def retrieval(self) -> RetrievalConfig:
        return _config(RetrievalConfig, self)

    @property
    def llm(self) -> LLMConfig:
        return _config(LLMConfig, self, prefix="llm_")

    @property
    def api(self) -> ApiConfig:
        return _config(ApiConfig, self)

    @property
    def slack(self) -> SlackConfig:
        return _config(SlackConfig, self, prefix="slack_")

    @property
    def api_key_list(self) -> list[str]:
        return self.api.key_list


@dataclasses.dataclass(frozen=True)
class RetrievalConfig:
    candidates: int


@dataclasses.dataclass(frozen=True)
class LLMConfig:
    """The generative answerer's endpoint and bounds (`base_url` unset: no model)."""

    base_url: str | None
    model: str
    api_key: str
    max_tokens: int
    timeout: float


@dataclasses.dataclass(frozen=True)
class ApiConfig:
    api_keys: str | None
    max_upload_mb: float
    background_upload_kb: float
    max_queued_uploads: int
    max_queued_mb: float
    max_originals_mb: float
    allowed_hosts: str
    failed_keys_per_minute: int
    secure_cookies: bool
    allow_open: bool

    @property
    def key_list(self) -> list[str]:
        return _items(self.api_keys)

    @property
    def host_list(self) -> list[str]:
        return _items(self.allowed_hosts)


def _items(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


@dataclasses.dataclass(frozen=True)
class SlackConfig:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    api_base_url: str | None


def _config(kind, settings: Settings, prefix: str = ""):
    """A group's config object, from the settings of the same names (after a prefix)."""
    return kind(**{f.name: getattr(settings, prefix + f.name) for f in dataclasses.fields(kind)})


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
