"""The library of review documents and every use case on it: the one place the HTTP API, the
web page, the command line and the Slack bot go through.

    import review_assistant

    library = review_assistant.open_library()          # settings from the environment
    library.ingest(["samples/safeguarding"])
    answer = library.ask("anything on babies not registered with a GP?")
    print(answer.answer)
    for citation in answer.citations:
        print(citation.n, citation.location(), citation.quote)

Reviews are named as users name them ("Child Q", "the thematic review of injuries", an id) and
agencies as they are called ("the CCG", "police"): `review()` and `agency()` are the one
resolver of each, used by every front end. What a use case refuses is raised as an error of
`review_assistant.errors`.
"""

from __future__ import annotations

import mimetypes
import os
import re
import secrets
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from review_assistant import exports, register_views
from review_assistant.answering import Assistant, infer_mode
from review_assistant.errors import Busy, NotFound, StorageFull, TooLarge, Unsupported
from review_assistant.ingest import recids
from review_assistant.ingest.agencies import OTHER_ROLE, load_gazetteer
from review_assistant.ingest.names import safe_name
from review_assistant.ingest.status import progress
from review_assistant.ingestion import Ingestor
from review_assistant.jobs import IngestJobs, Limits
from review_assistant.models import (
    AgencyProgress,
    AgencyRegister,
    Answer,
    AnswerEvent,
    AskRequest,
    Document,
    DocumentOutcome,
    Download,
    Filters,
    IngestReport,
    Job,
    LibraryStatus,
    Mode,
    Passage,
    RecommendationDetail,
    RecommendationRow,
    RecommendationView,
    Review,
    ReviewProgress,
    ReviewRegister,
    SourceView,
)
from review_assistant.search import Retrieval
from review_assistant.settings import Settings, get_settings
from review_assistant.store.consistency import Consistency, check
from review_assistant.store.models import LibraryAgency
from review_assistant.store.spool import Spool
from review_assistant.store.stores import Stores

CONTEXT_CHARS = 1500  # of document text shown either side of a cited passage
WRITER_WAIT_SECONDS = 10.0  # a removal waits this long behind an ingest, then is refused
FEEDBACK_VALUES = ("up", "down")
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def session_secret(data_dir: Path) -> bytes:
    """The random secret that signs web sessions, made once and kept in the data directory
    (readable by its owner only)."""
    path = data_dir / "session.secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"session.{secrets.token_hex(8)}.partial")
        partial.write_bytes(secrets.token_bytes(32))
        partial.chmod(0o600)
        try:  # made whole, and only if absent: two processes starting at once keep one
            os.link(partial, path)
        except FileExistsError:
            pass
        finally:
            partial.unlink()
    return path.read_bytes()


def open_library(settings: Settings | None = None) -> Library:
    """The library the settings (by default: the environment) point at."""
    return Library(settings or get_settings())


class Library:
    """A library of review documents: ask it, search it, read its register, add to it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.stores = Stores(settings.store)
        generator = None
        if settings.llm.base_url:
            from review_assistant.generative import GenerativeAnswerer

            generator = GenerativeAnswerer(settings.llm)
        self.assistant = Assistant(
            self.stores,
            generator=generator,
            candidates=settings.retrieval.candidates,
            gazetteer=load_gazetteer(settings.ingest.agencies_file),
        )
        self.ingestor = Ingestor(self.stores, settings.ingest)
        self.upload_limit = int(settings.api.max_upload_mb * 1_000_000)  # bytes
        self._background_bytes = int(settings.api.background_upload_kb * 1000)
        self._views = register_views.ViewCache(self.stores)
        self._jobs: IngestJobs | None = None
        self._jobs_lock = threading.Lock()
        self._write_lock = threading.Lock()  # the ingestor's reading worker is single

    def close(self) -> None:
        if self._jobs is not None:
            self._jobs.close()
        self.ingestor.close()
        self.stores.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- questions ---------------------------------------------------------------------------
    def ask(
        self, question: str | AskRequest, mode: Mode | str | None = None,
        filters: Filters | None = None,
    ) -> Answer:  # fmt: skip
        """A cited answer (or a plain account of what the documents do not say)."""
        return self.assistant.ask(_request(question, mode, filters))

    def stream(
        self, question: str | AskRequest, mode: Mode | str | None = None,
        filters: Filters | None = None,
    ) -> Iterator[AnswerEvent]:  # fmt: skip
        """The answer as it is written: each verified sentence, then the whole answer."""
        return self.assistant.stream(_request(question, mode, filters))

    @property
    def streams(self) -> bool:
        """Whether answers come sentence by sentence (a model writes them) or whole."""
        return self.assistant.generator is not None

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Passage]:
        return self.retrieve(query, k, filters).passages

    def retrieve(self, query: str, k: int = 5, filters: Filters | None = None) -> Retrieval:
        """The passages of a search, and which filters were relaxed to find any."""
        searcher = self.assistant.searcher
        return searcher.run(searcher.plan(query, filters), k)

    def follow_up(
        self, question: str, previous: str | None, mode: Mode | None = None,
        filters: Filters | None = None,
    ) -> AskRequest:  # fmt: skip
        """A question asked after another in one conversation keeps the review,
        recommendation and mode asked about before, unless it names its own (or the request
        sets them)."""
        filters = filters or Filters()
        if not previous or not question:
            return AskRequest(question=question, mode=mode, filters=filters)
        searcher = self.assistant.searcher
        before, now = searcher.plan(previous), searcher.plan(question)
        kept = filters.model_copy()
        if not kept.review and not now.review_ids and len(before.review_ids) == 1:
            kept.review = before.review_ids[0]
        if not kept.recommendation and not now.intent.rec_id and before.intent.rec_id:
            kept.recommendation = before.intent.rec_id
        if mode is None:
            mode = infer_mode(question)
            mode = infer_mode(previous) if mode == Mode.question else mode
        return AskRequest(question=question, mode=mode, filters=kept)

    # -- names as users write them ---------------------------------------------------------
    def review(self, name: str) -> Review:
        """The review a name, phrase or id refers to; NotFound when the library has none."""
        searcher = self.assistant.searcher
        matches = searcher.review_ids(name)
        review = next((r for r in self.reviews() if matches and r.id == matches[0]), None)
        if review is None:
            raise NotFound(f"no review {name!r} in the library")
        return review

    def agency(self, name: str) -> str:
        """The body an agency name, alias or role stands for ("the police": the partnership's
        force); as given when it names none, or several (see `agency_names`)."""
        return self.assistant.searcher.agency(name)

    def agency_names(self, name: str) -> list[str]:
        """Every body an agency name, alias or role stands for, as the register names them
        ("the police" of a library whose documents name two forces: both); empty when none."""
        return list(self.assistant.searcher.agencies(name))

    # -- the agencies the documents name ----------------------------------------------------
    def learned_agencies(self) -> list[LibraryAgency]:
        """Every body the library's documents name (their responses' labels and headings, and
        bodies named by shape), with the role it fills (the local agencies file's where it
        names the body, else a person's, else its documents'), the documents it appears in and
        the body it counts as when it is another name of one."""
        gazetteer = self.assistant.searcher.library_gazetteer
        return [
            agency.model_copy(
                update={
                    "role": gazetteer.role_of(agency.name)
                    if agency.name in gazetteer.agencies else agency.role,
                    "merged_into": agency.merged_into or gazetteer.merged_into(agency.name),
                }
            )
            for agency in self.stores.register.library_agencies()
        ]  # fmt: skip

    def agency_roles(self) -> list[str]:
        """The roles a body may fill (the gazetteer's), for `set_agency_role`."""
        return [*self.assistant.searcher.library_gazetteer.roles, OTHER_ROLE]

    def set_agency_role(self, name: str, role: str | None) -> None:
        """A body's role as a person sets it, kept in the register for every process ("the
        police" then includes it, or no longer does); None gives it its documents' role again.
        NotFound for a body no document names; ValueError for a role not in `agency_roles`."""
        if role is not None and role not in self.agency_roles():
            raise ValueError(f"a role is one of {', '.join(self.agency_roles())}")
        self._learned(name)
        self.stores.register.set_agency_role(name, role)

    def merge_agencies(self, alias: str, name: str | None) -> None:
        """`alias` (a body the documents name, or any other name) is another name of the
        body `name`, kept in the register: its responses count as that body's and a question
        naming it asks about that body. None undoes it. NotFound when `name` is no body of the
        library; ValueError for a body merged into itself."""
        if name is None:
            self.stores.register.merge_agencies(alias, None)
            return
        body = self._learned(name).name
        merges = self.stores.register.agency_merges()
        target, seen = body, set()
        while target in merges and target not in seen:
            seen.add(target)
            target = merges[target]
        if alias.strip() in (body, target) or not alias.strip():
            raise ValueError(f"{alias!r} cannot be merged into itself")
        self.stores.register.merge_agencies(alias.strip(), body)

    def _learned(self, name: str) -> LibraryAgency:
        agencies = {agency.name: agency for agency in self.stores.register.library_agencies()}
        found = agencies.get(name) or agencies.get(self.agency(name))
        if found is None:
            raise NotFound(f"no document in the library names the agency {name!r}")
        return found

    # -- the register ------------------------------------------------------------------------
    def reviews(self) -> list[Review]:
        return list(self.assistant.searcher.reviews())

    def recommendations(
        self, review: str | None = None, agency: str | None = None, status: str | None = None
    ) -> list[RecommendationRow]:
        """Every recommendation (of one review, one responding agency, one status word)."""
        review_id = self.review(review).id if review else None
        names = self.agency_names(agency) if agency else []
        if agency and len(names) != 1:  # a role naming several bodies: any of them
            wanted = set(names or [agency])
            rows = self.stores.register.recommendations(review_id, None, status)
            return [row for row in rows if wanted.intersection(row.agencies)]
        return self.stores.register.recommendations(review_id, names[0] if agency else None, status)

    def recommendation(self, review: str, rec_id: str) -> RecommendationDetail:
        """A recommendation's words, each agency's response and the progress noted since."""
        found = self.review(review)
        detail = self.stores.register.recommendation_detail(found.id, recids.normalise(rec_id))
        if detail is None:
            if found.doubtful:  # never "there is none" on the strength of a doubtful register
                raise NotFound(
                    f"recommendation {rec_id} is not in the {found.name} review's register, "
                    "which the structure check doubts; the document may still hold it "
                    f"({'; '.join(found.problems)})"
                )
            raise NotFound(f"the {found.name} review has no recommendation {rec_id}")
        return detail

    def recommendation_view(self, review: str, rec_id: str) -> RecommendationView:
        """`recommendation`, with the progress each response's status word stands for."""
        detail = self.recommendation(review, rec_id).model_dump()
        for response in detail["responses"]:
            response["progress"] = progress(response["status"])
        return RecommendationView.model_validate(detail)

    def overview(self) -> list[ReviewProgress]:
        """Every review with the progress of its recommendations at a glance."""
        return self._views.get(
            "overview", lambda: register_views.overview(self.stores, self.reviews())
        )

    def register(
        self, review: str, agency: str = "", status: str = "", text: str = "",
        sort: str = "order",
    ) -> ReviewRegister:  # fmt: skip
        """A review's register: one row per recommendation, filtered and sorted."""
        found = self.review(review)
        rows = self._merged(found.id)
        chosen = register_views.filtered(rows, agency, status, text)
        return ReviewRegister(
            review=found,
            rows=register_views.ordered(chosen, sort),
            agencies=sorted({a for row in rows for a in row.agencies}),
        )

    def _merged(self, review_id: str):
        return self._views.get(
            ("review", review_id),
            lambda: register_views.merged_rows(self.stores.register.recommendations(review_id)),
        )

    def agencies(self) -> list[AgencyProgress]:
        """Every agency that responded to anything, with its progress across the library."""
        return self._views.get(
            "agencies",
            lambda: [
                register_views.agency_register(self.stores, name).summary
                for name in self.stores.register.agencies()
            ],
        )

    def agency_register(self, agency: str) -> AgencyRegister:
        """What one agency (named as users name it) owns across every review, and where it
        stands; NotFound when it responded to nothing in the library."""
        name = self.agency(agency)
        if name not in self.stores.register.agencies():
            raise NotFound(f"no response by {agency!r} is recorded in the library")
        return self._views.get(
            ("agency", name), lambda: register_views.agency_register(self.stores, name)
        )

    # -- exports -----------------------------------------------------------------------------
    def export_register(
        self, review: str | None = None, kind: str = "csv", agency: str = "", status: str = "",
        text: str = "",
    ) -> Download:  # fmt: skip
        """A register as CSV or XLSX: one row per recommendation and responding agency, each
        with the citation of its words (one review, or the whole library)."""
        if kind not in ("csv", "xlsx"):
            raise Unsupported("registers are exported as .csv or .xlsx")
        agency = self.agency(agency) if agency else ""
        reviews = [self.review(review)] if review else self.reviews()
        details = []
        for found in reviews:
            for row in register_views.filtered(self._merged(found.id), agency, status, text):
                detail = self.stores.register.recommendation_detail(found.id, row.rec_id)
                if detail is not None:
                    details.append(detail)
        rows = exports.register_rows(details)
        if agency:
            rows = [r for r in rows if r["agency"] == agency]
        name = f"{reviews[0].id if review else 'library'}-register.{kind}"
        if kind == "csv":
            return Download(data=exports.register_csv(rows), file_name=name, media_type="text/csv")
        title = reviews[0].name if review else "register"
        return Download(data=exports.register_xlsx(rows, title), file_name=name, media_type=_XLSX)

    def handout(self, theme: str, kind: str = "docx") -> Download:
        """Learning points on a theme as a trainer's handout (DOCX or Markdown)."""
        if kind not in ("docx", "md"):
            raise Unsupported("handouts are .docx or .md")
        answer = self.ask(theme[:500], mode=Mode.learning_points)
        slug = re.sub(r"[^a-z0-9]+", "-", theme.lower()).strip("-")[:60] or "handout"
        name = f"learning-points-{slug}.{kind}"
        if kind == "md":
            data = exports.handout_markdown(theme, answer).encode()
            return Download(data=data, file_name=name, media_type="text/markdown")
        return Download(data=exports.handout_docx(theme, answer), file_name=name, media_type=_DOCX)

    # -- documents ---------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], progress: bool = False) -> IngestReport:
        """Files and folders (recursively) read, parsed and indexed, one document at a time;
        a file that cannot be read is reported in the report and the rest go on."""
        with self._writing():
            return self.ingestor.ingest([Path(p) for p in paths], progress=progress)

    def upload(self, name: str, data: bytes, replace: bool = False) -> DocumentOutcome | Job:
        """An uploaded file: its outcome, or the background job a large one becomes. Raises
        TooLarge, DocumentExists (a different document of that name, unless `replace`) and
        UnreadableDocument."""
        if len(data) > self.upload_limit:
            raise TooLarge(f"the file is larger than {self.settings.api.max_upload_mb:g} MB")
        quota = self.settings.api.max_originals_mb * 1_000_000
        if quota and self.stores.originals.size() + len(data) > quota:
            raise StorageFull(
                f"the library's originals already fill their quota of "
                f"{self.settings.api.max_originals_mb:g} MB (REVIEW_ASSISTANT_MAX_ORIGINALS_MB)"
            )
        outcome = self.jobs.accept(safe_name(name), data, replace, self._background_bytes)
        return self.job(outcome) if isinstance(outcome, str) else outcome

    def job(self, job_id: str) -> Job:
        found = self.stores.register.job(job_id)
        if found is None:
            raise NotFound(f"no job {job_id!r}")
        return Job.model_validate(found.model_dump())

    def remove(self, document: str) -> None:
        """A document (by file name or id) deleted from every store; NotFound if absent
        (said at once, without waiting for the writer), Busy if the writer stays busy."""
        self.document(document)
        if not self._write_lock.acquire(timeout=WRITER_WAIT_SECONDS):
            raise Busy("the library is busy writing another document; try again shortly")
        try:
            removed = self.ingestor.remove(document)
        finally:
            self._write_lock.release()
        if not removed:
            raise NotFound(f"no document {document!r} in the library")

    def document(self, name: str) -> Document:
        """A document by file name or id; NotFound when the library has none."""
        found = self.stores.register.document(name)
        if found is None:
            raise NotFound(f"no document {name!r} in the library")
        return found

    def documents(self) -> list[Document]:
        return self.stores.register.documents()

    def source(self, document: str, start: int = 0, end: int = 0) -> SourceView:
        """A cited span of a document, with the text around it."""
        register = self.stores.register
        row = register.find_document(document)
        if row is None:
            raise NotFound(f"no document {document!r}")
        text = register.document_text(row.doc_id) or ""
        start = min(max(start, 0), len(text))
        end = min(max(end, start), len(text))
        chunk = register.chunk_covering(row.file_name, start)
        before_from = max(0, start - CONTEXT_CHARS)
        after_to = min(len(text), end + CONTEXT_CHARS)
        return SourceView(
            document=row.file_name, title=row.title, before=text[before_from:start],
            passage=text[start:end], after=text[end:after_to], cut_before=before_from > 0,
            cut_after=after_to < len(text),
            chunk=Passage.from_chunk(chunk, score=0.0) if chunk else None,
            has_original=self.stores.originals.path(row.sha256).exists(),
        )  # fmt: skip

    def original(self, document: str) -> tuple[Path, str, str]:
        """The original file of a document: its path, file name and media type."""
        row = self.stores.register.find_document(document)
        path = self.stores.originals.path(row.sha256) if row else None
        if row is None or path is None or not path.exists():
            raise NotFound(f"the original of {document!r} is not kept")
        kind = mimetypes.guess_type(row.file_name)[0] or "application/octet-stream"
        return path, row.file_name, kind

    def status(self) -> LibraryStatus:
        register = self.stores.register
        return LibraryStatus(
            documents=len(register.documents()),
            chunks=register.count_chunks(),
            vectors=self.stores.vectors.count(),
        )

    def check(self, repair: bool = False) -> Consistency:
        """Whether the register, the vectors and the keyword index agree (made to, with
        `repair`)."""
        with self._writing():
            return check(self.stores, repair=repair)

    # -- answers given, feedback, events ----------------------------------------------------
    def save_answer(self, question: str, answer: Answer) -> str:
        """Keep an answer given, so feedback and sharing can refer to it by id."""
        return self.stores.register.save_answer(question, answer.model_dump(mode="json"))

    def saved_answer(self, answer_id: str) -> tuple[str, Answer]:
        saved = self.stores.register.load_answer(answer_id)
        if saved is None:
            raise NotFound(f"no answer {answer_id!r}; ask again")
        return saved.question, Answer.model_validate(saved.answer)

    def record_feedback(self, answer_id: str, user: str, value: str) -> None:
        if value not in FEEDBACK_VALUES:
            raise ValueError(f"feedback is one of {', '.join(FEEDBACK_VALUES)}")
        self.saved_answer(answer_id)  # NotFound for an answer never given
        self.stores.register.record_feedback(answer_id, user, value)

    def end_session(self, session_id: str) -> None:
        """A web session logged out: refused by every process sharing the library."""
        self.stores.register.first_sighting(f"logout:{session_id}")

    def session_ended(self, session_id: str) -> bool:
        return self.stores.register.seen(f"logout:{session_id}")

    def first_sighting(self, key: str) -> bool:
        """True the first time a key (a chat event id, a request signature) is seen."""
        return self.stores.register.first_sighting(key)

    # -- the one writer ------------------------------------------------------------------------
    @property
    def jobs(self) -> IngestJobs:
        """The uploads thread, started by the first upload (or by a server at start)."""
        with self._jobs_lock:
            if self._jobs is None:
                spool = Spool(self.stores.config.spool_dir)
                api = self.settings.api
                limits = Limits(queued=api.max_queued_uploads,
                                queued_bytes=int(api.max_queued_mb * 1_000_000))  # fmt: skip
                self._jobs = IngestJobs(self.ingestor, self._write_lock, spool, limits)
            return self._jobs

    def _writing(self) -> threading.Lock:
        return self._write_lock


def _request(question: str | AskRequest, mode: Mode | str | None, filters: Filters | None):
    if isinstance(question, AskRequest):
        return question
    return AskRequest(
        question=question, mode=Mode(mode) if mode else None, filters=filters or Filters()
    )
