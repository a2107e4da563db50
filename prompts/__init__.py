"""Prompt templates of the generative answerer, shipped as package data (one `.md` file each)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The text of `prompts/<name>.md`, from the installed package."""
    return resources.files(__name__).joinpath(f"{name}.md").read_text(encoding="utf-8")


def names() -> list[str]:
    return sorted(
        entry.name.removesuffix(".md")
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith(".md") and entry.name != "README.md"
    )
