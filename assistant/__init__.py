"""Review Assistant: cited answers about child-safeguarding review documents.

The Python API is the library and its use cases (see `review_assistant.library`):

    import review_assistant

    library = review_assistant.open_library()   # settings from the environment
    library.ingest(["samples/safeguarding"])
    print(library.ask("anything on babies not registered with a GP?").answer)

Names are loaded on first use, so `import review_assistant` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from review_assistant.library import Library, open_library
    from review_assistant.models import Answer, AskRequest, Filters, Mode
    from review_assistant.settings import Settings

_EXPORTS = {
    "Library": "review_assistant.library",
    "open_library": "review_assistant.library",
    "Settings": "review_assistant.settings",
    "Answer": "review_assistant.models",
    "AskRequest": "review_assistant.models",
    "Filters": "review_assistant.models",
    "Mode": "review_assistant.models",
}
__all__ = ["Answer", "AskRequest", "Filters", "Library", "Mode", "Settings", "open_library"]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'review_assistant' has no attribute {name!r}")
