"""`review-assistant`: a thin command line over the library's Python API."""

from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from review_assistant.errors import NotFound, is_disk_full
from review_assistant.models import STATUSES
from review_assistant.settings import get_settings

if TYPE_CHECKING:
    from review_assistant.library import Library

app = typer.Typer(
    help="Cited answers about child-safeguarding review documents.", no_args_is_help=True
)


def _library() -> Library:
    from review_assistant.library import open_library  # the stores load only when needed

    return open_library(get_settings())


def _found(call):
    """What a use case returns; a refusal (an unknown review, document…) ends with exit 1."""
    try:
        return call()
    except NotFound as exc:
        typer.echo(f"{exc}.", err=True)
        raise typer.Exit(1) from None


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details")] = False):
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (recursive)")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON")] = False,
) -> None:
    """Ingest review documents (txt, md, pdf, docx, html); exit 1 if any file was skipped."""
    library = _library()
    # SIGTERM (a container stopping) ends the run like Ctrl-C: the document being written is
    # abandoned whole (its transaction rolls back) and the next `check` clears its vectors
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with library:
            report = library.ingest(paths, progress=not quiet and not as_json)
    except KeyboardInterrupt:
        typer.echo(
            "Interrupted: documents already written stay; the one in progress was abandoned. "
            f"Index: {library.status().chunks} chunk(s).",
            err=True,
        )
        raise typer.Exit(130) from None
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(
            f"Ingested {report.documents} document(s) ({report.replaced} replaced, "
            f"{report.unchanged} unchanged): {report.reviews} review(s), "
            f"{report.recommendations} recommendation(s), {report.chunks} chunk(s), "
            f"{report.pages} page(s), {report.ocr_pages} page(s) OCRed."
        )
        for skipped in report.skipped:
            typer.echo(f"Skipped {skipped.path}: {skipped.reason}", err=True)
        typer.echo(f"Index: {library.status().chunks} chunk(s) in total.")
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def remove(document: Annotated[str, typer.Argument(help="File name or document id")]) -> None:
    """Delete one document from every store."""
    with _library() as library:
        _found(lambda: library.remove(document))
    typer.echo(f"Removed {document}.")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for")],
    review: Annotated[str | None, typer.Option(help="Review name or id")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency name or alias")] = None,
    recommendation: Annotated[str | None, typer.Option("--recommendation", "--rec")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=50)] = 5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Hybrid search; each passage says which review, recommendation, agency and page."""
    from review_assistant.models import Filters

    filters = Filters(review=review, agency=agency, recommendation=recommendation)
    retrieval = _library().retrieve(query, k, filters)
    passages = retrieval.passages
    if as_json:
        typer.echo(json.dumps({"results": [p.model_dump(mode="json") for p in passages]}, indent=2))
        return
    if retrieval.relaxed:
        typer.echo(f"(no passage matched every filter; relaxed: {', '.join(retrieval.relaxed)})")
    if not passages:
        typer.echo("No passages found.")
    for number, p in enumerate(passages, 1):
        typer.echo(f"[{number}] {p.location()}  ({p.document}, score {p.score:.4f})")
        typer.echo("    " + " ".join(p.text.split())[:400])


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question about the reviews")],
    mode: Annotated[
        str | None, typer.Option(help="question, learning_points or commitments")
    ] = None,
    review: Annotated[str | None, typer.Option(help="Review name or id")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency name or alias")] = None,
    recommendation: Annotated[str | None, typer.Option("--recommendation", "--rec")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    stream: Annotated[
        bool, typer.Option(help="print each verified sentence as a model writes it")
    ] = False,
) -> None:
    """A short answer in which every sentence cites the passage it came from."""
    from review_assistant.models import AskRequest, Filters, Mode

    try:
        chosen = Mode(mode) if mode else None
    except ValueError:
        raise typer.BadParameter(
            f"mode must be one of {', '.join(m.value for m in Mode)}"
        ) from None
    filters = Filters(review=review, agency=agency, recommendation=recommendation)
    request = AskRequest(question=question, mode=chosen, filters=filters)
    library = _library()
    if as_json or not stream:
        answer = library.ask(request)
        if as_json:
            typer.echo(answer.model_dump_json(indent=2))
            return
        typer.echo(answer.answer)
    else:
        shown: list[str] = []
        for event in library.stream(request):
            if event.answer is None:
                typer.echo(event.text)
                shown.append(event.text)
            else:
                answer = event.answer
        if " ".join(" ".join(shown).split()) != " ".join(answer.answer.split()):
            # what was streamed is not the answer (the model failed or was given up)
            if shown:
                typer.echo("---")
            typer.echo(answer.answer)
    typer.echo(f"(answered by: {answer.answerer})")
    if answer.note:
        typer.echo(f"({answer.note})")
    for c in answer.citations:
        typer.echo(f"[{c.n}] {c.location()} ({c.document}, chars {c.quote_start}-{c.quote_end})")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes sharing the data directory")
    ] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import ipaddress

    import uvicorn

    from review_assistant.server import create_app

    settings = get_settings()
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not settings.api.key_list and not settings.api.allow_open:
        typer.echo(
            f"Refusing to serve on {host} without API_KEYS: anyone who can reach it could read "
            "and change the library. Set API_KEYS, or REVIEW_ASSISTANT_ALLOW_OPEN=true on a "
            "closed network.",
            err=True,
        )
        raise typer.Exit(2)
    hosts = settings.api.host_list
    if not loopback and "*" not in hosts:
        typer.echo(
            f"Answering only requests that name one of: {', '.join(hosts)} "
            "(REVIEW_ASSISTANT_ALLOWED_HOSTS; `*` for any name, safe only with API_KEYS).",
            err=True,
        )
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, timeout_graceful_shutdown=30)
        return
    # each worker process builds its own app (and stores) from the same environment
    uvicorn.run(
        "review_assistant.server:create_app", factory=True, host=host, port=port, workers=workers,
        timeout_graceful_shutdown=30,
    )  # fmt: skip


@app.command()
def slack() -> None:
    """Run the Slack bot over Socket Mode (SLACK_APP_TOKEN; no public URL needed)."""
    from review_assistant.server import run_slack

    settings = get_settings()
    if not (settings.slack.bot_token and settings.slack.app_token):
        typer.echo("Set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (an app-level token) first.", err=True)
        raise typer.Exit(2)
    run_slack(settings)


@app.command()
def reviews(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """One line per review: title, partnership, type, recommendation count."""
    rows = _library().reviews()
    if as_json:
        typer.echo(json.dumps({"reviews": [r.model_dump(mode="json") for r in rows]}, indent=2))
        return
    for row in rows:
        typer.echo(
            f"{row.name} [{row.id}] — {row.title} | {row.partnership or '-'} | "
            f"{', '.join(row.doc_types)} | {row.recommendation_count} recommendation(s)"
            + (f" | DOUBTFUL: {'; '.join(row.problems)}" if row.doubtful else "")
        )


@app.command()
def recommendations(
    review: Annotated[str | None, typer.Option(help="Review name or id")] = None,
    agency: Annotated[str | None, typer.Option(help="Agency name or alias")] = None,
    status: Annotated[str | None, typer.Option(help=f"One of: {', '.join(STATUSES)}")] = None,
    fmt: Annotated[Literal["table", "json", "csv"], typer.Option("--format")] = "table",
) -> None:
    """Recommendations with the agencies that responded (table, JSON or CSV)."""
    library = _library()
    if fmt == "csv":  # the register export the web page downloads, for one review or all
        file = _found(lambda: library.export_register(review, "csv", agency or "", status or ""))
        sys.stdout.write(file.data.decode("utf-8-sig"))
        return
    rows = _found(lambda: library.recommendations(review, agency, status))
    if fmt == "json":
        recs = [r.model_dump(mode="json") for r in rows]
        typer.echo(json.dumps({"recommendations": recs}, indent=2))
    else:
        for row in rows:
            text = " ".join(row.text.split())
            typer.echo(f"{row.review} · {row.rec_id}: {text[:110]}{'…' if len(text) > 110 else ''}")
            typer.echo(f"    agencies: {', '.join(row.agencies) or '-'}")
            typer.echo(f"    status: {', '.join(row.statuses) or '-'}")
    if not rows:
        typer.echo("No recommendations match.", err=True)


@app.command("eval")
def evaluate_command(
    file: Annotated[Path, typer.Argument(help="Questions (JSON Lines)", exists=True)],
    k: Annotated[int, typer.Option("-k")] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    show_misses: Annotated[bool, typer.Option("--misses")] = False,
) -> None:
    """Retrieval quality on a question set: hit@1, hit@5 and MRR."""
    from review_assistant.evaluation import evaluate, load_questions

    try:
        questions = load_questions(file)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    library = _library()
    result = evaluate(questions, lambda q: [p.text for p in library.search(q, k)], depth=k)
    if as_json:
        typer.echo(json.dumps(result.as_dict() | {"misses": result.misses}, indent=2))
        return
    typer.echo(
        f"questions={result.questions} hit@1={result.hit_at_1:.3f} "
        f"hit@5={result.hit_at_5:.3f} MRR={result.mrr:.3f}"
    )
    if show_misses:
        for miss in result.misses:
            typer.echo(f"  rank={miss['rank']}: {miss['question']}  [{miss['expect']}]")


@app.command("check")
def check_command(
    repair: Annotated[bool, typer.Option("--repair", help="Make the stores agree")] = False,
) -> None:
    """Compare the register with the vector and keyword indexes (exit 1 if they disagree)."""
    try:
        found = _library().check(repair=repair)
    except Exception as exc:  # a full disk, an engine gone: said, not a traceback
        full = " (the disk of the data directory is full)" if is_disk_full(exc) else ""
        typer.echo(f"Could not check the stores{full}: {exc}", err=True)
        raise typer.Exit(1) from None
    if found.consistent:
        typer.echo("The stores agree.")
        return
    typer.echo(("Repaired: " if found.repaired else "Found: ") + found.summary() + ".")
    if not found.repaired:
        typer.echo("Run `review-assistant check --repair` to fix them.", err=True)
        raise typer.Exit(1)


@app.command("settings")
def settings_command() -> None:
    """Every setting (environment variable), its group, default and meaning, as a table."""
    from review_assistant.settings import settings_table

    typer.echo(settings_table())


if __name__ == "__main__":
    app()
