"""The agencies a library's documents name, learned as each document is written (the owners
of its responses and the bodies its text names by shape: ingest.agencies.Gazetteer.learn), and
what a person changed of them: the role a body fills, a name merged into another body.

A document's rows are written in its own transaction and go with it; a person's edits are kept
by name, whatever documents come and go.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from review_assistant.ingest.agencies import LearnedAgency, default_gazetteer
from review_assistant.ingest.types import ParsedDocument
from review_assistant.store.database import Connection
from review_assistant.store.models import LibraryAgency


def learn(text: str, owners: Iterable[str]) -> list[LearnedAgency]:
    """The bodies a document's text and its responses' owners name, with the national
    gazetteer's roles (a partnership's own file is applied when they are read)."""
    return default_gazetteer().learn(text, owners)


def of_document(doc: ParsedDocument) -> list[LearnedAgency]:
    owners = [r.agency for rec in doc.recommendations for r in rec.responses]
    owners += [b.agency for b in doc.blocks if b.agency]
    return learn(doc.text, dict.fromkeys(owners))


def write(db: Connection, doc_id: str, learned: Iterable[LearnedAgency]) -> None:
    db.execute("DELETE FROM document_agencies WHERE doc_id = ?", (doc_id,))
    db.executemany(
        "INSERT INTO document_agencies VALUES (?,?,?,?,?)",
        [(doc_id, a.name, a.role, a.how, json.dumps(list(a.aliases))) for a in learned],
    )


def library(db: Connection) -> list[LibraryAgency]:
    """Every body the library's documents name, once, with a person's edits applied."""
    edits = {row["name"]: row for row in db.execute("SELECT * FROM agency_edits")}
    found: dict[str, dict] = {}
    rows = db.execute(
        "SELECT a.name, a.role, a.how, a.aliases, d.file_name FROM document_agencies a "
        "JOIN documents d ON d.doc_id = a.doc_id ORDER BY a.name, d.file_name"
    )
    for row in rows:
        entry = found.setdefault(
            row["name"],
            {"name": row["name"], "learned_role": row["role"], "responded": False,
             "documents": [], "aliases": set()},
        )  # fmt: skip
        entry["responded"] = entry["responded"] or row["how"] == "label"
        entry["documents"].append(row["file_name"])
        entry["aliases"].update(json.loads(row["aliases"]))
    agencies = []
    for name, entry in found.items():
        edit = edits.get(name)
        agencies.append(
            LibraryAgency(
                **entry | {"aliases": sorted(entry["aliases"])},
                role=(edit["role"] if edit is not None else None) or entry["learned_role"],
                merged_into=edit["merged_into"] if edit is not None else None,
            )
        )
    return agencies


def merges(db: Connection) -> dict[str, str]:
    """Names a person said are another body's: name -> that body."""
    rows = db.execute("SELECT name, merged_into FROM agency_edits WHERE merged_into IS NOT NULL")
    return {row["name"]: row["merged_into"] for row in rows}


def set_role(db: Connection, name: str, role: str | None) -> None:
    db.execute(
        "INSERT INTO agency_edits (name, role) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET role = excluded.role",
        (name, role),
    )


def merge(db: Connection, alias: str, name: str | None) -> None:
    """`alias` is another name of `name` (None: of no other body any more)."""
    db.execute(
        "INSERT INTO agency_edits (name, merged_into) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET merged_into = excluded.merged_into",
        (alias, name),
    )
