"""The one error a reader raises for a file that cannot be ingested, with a reason for the user."""


class UnreadableDocument(Exception):
    """The file is corrupt, encrypted, empty, unsupported or has no text; the message says which."""
