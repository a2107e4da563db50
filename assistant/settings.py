"""Every setting of Review Assistant, read from environment variables (documented in README)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default=Path("./data"), alias="REVIEW_ASSISTANT_DATA_DIR")
    chroma_host: str | None = Field(default=None, alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, alias="CHROMA_PORT")
    collection: str = Field(default="review_passages", alias="REVIEW_ASSISTANT_COLLECTION")
    chunk_tokens: int = Field(default=180, alias="REVIEW_ASSISTANT_CHUNK_TOKENS")
    ocr_min_chars: int = Field(default=20, alias="REVIEW_ASSISTANT_OCR_MIN_CHARS")
    ocr_scale: float = Field(default=2.0, alias="REVIEW_ASSISTANT_OCR_SCALE")
    embed_batch: int = Field(default=4, alias="REVIEW_ASSISTANT_EMBED_BATCH")
    onnx_threads: int = Field(default=2, alias="REVIEW_ASSISTANT_ONNX_THREADS")
    candidates: int = Field(default=30, alias="REVIEW_ASSISTANT_CANDIDATES")
    llm_base_url: str | None = Field(default=None, alias="LLM_BASE_URL")
    llm_model: str = Field(default="llama3.1", alias="LLM_MODEL")
    llm_api_key: str = Field(default="not-needed", alias="LLM_API_KEY")
    llm_timeout: float = Field(default=30.0, alias="LLM_TIMEOUT")
    api_keys: str | None = Field(default=None, alias="API_KEYS")
    max_upload_mb: float = Field(default=50.0, alias="REVIEW_ASSISTANT_MAX_UPLOAD_MB")
    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_base_url: str | None = Field(default=None, alias="SLACK_API_BASE_URL")

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def register_path(self) -> Path:
        return self.data_dir / "register.sqlite3"


def get_settings() -> Settings:
    return Settings()
