"""The optional generative answerer: any OpenAI-compatible endpoint, then a strict verifier.

The model sees a few numbered passages and may cite only those numbers. Its reply is streamed:
each sentence is checked by `assistant.verifier` as soon as it is complete, and only checked
sentences are passed on, so a client never sees an unverified claim. The call runs on its own
thread: at `LLM_TIMEOUT` the request gets the extractive answer, and the stream is closed at the
next token, which tells the server to stop generating; so is a stream whose reply has said what
the prompt asks for or only repeats itself. A model that says the passages do not answer never
overrides a relevant extractive answer.
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from review_assistant import prompts
from review_assistant.extractive import Citations
from review_assistant.ingest.chunking import count_tokens
from review_assistant.ingest.sentences import spans
from review_assistant.models import Answer, AnswerEvent, Mode, Passage
from review_assistant.settings import LLMConfig
from review_assistant.terms import tidy
from review_assistant.verifier import Checked, Verifier, reply_sentences, strip_citations

log = logging.getLogger(__name__)
NOT_FOUND = "NOT IN THE DOCUMENTS"
_PASSAGE_CHARS = 700  # small models read slowly: a passage is cut to its opening sentences
# Prompt sizes (system and user message, in tokens) that a 1-2B model on two CPU cores reads
# within the default timeout; passages are added in rank order until the next would not fit
PROMPT_TOKENS = {Mode.question: 800, Mode.learning_points: 1400}
_LOOPING = 3  # sentences repeated in a row after which a reply is taken as finished
# verified sentences after which a reply is taken as finished: what the prompt asks for (a
# small model may go on copying passages until max_tokens, the time it takes being the user's)
MOST_SENTENCES = {Mode.question: 3, Mode.learning_points: 12}


def number_passages(passages: list[Passage], budget: int | None = None) -> tuple[str, int]:
    """The passages as the prompt numbers them, within `budget` tokens; and how many fit."""
    blocks: list[str] = []
    used = 0
    for n, p in enumerate(passages, 1):
        text = tidy(p.text)
        if len(text) > _PASSAGE_CHARS:
            cut = [b for _, b in spans(text) if b <= _PASSAGE_CHARS]
            text = text[: cut[-1] if cut else _PASSAGE_CHARS]
        block = f"[{n}] ({p.location()})\n{text}"
        cost = count_tokens(block) + 2
        if budget is not None and blocks and used + cost > budget:
            break
        blocks.append(block)
        used += cost
    return "\n\n".join(blocks), len(blocks)


class _Cancelled(Exception):
    pass


@dataclass
class ModelReply:
    """One call of the model, as sent and as answered: what a benchmark records as a fixture."""

    question: str
    mode: Mode
    messages: list[dict]
    passages: list[Passage]
    text: str = ""
    seconds: float = 0.0
    failure: str | None = None
    kept: list[str] = field(default_factory=list)  # the sentences that passed the verifier


class GenerativeAnswerer:
    def __init__(
        self, config: LLMConfig, on_reply: Callable[[ModelReply], None] | None = None
    ) -> None:
        from openai import OpenAI

        self.client = OpenAI(
            base_url=config.base_url, api_key=config.api_key, timeout=config.timeout,
            max_retries=0,
        )  # fmt: skip
        self.model = config.model
        self.timeout = config.timeout
        self.max_tokens = config.max_tokens
        self.system = prompts.load("system")
        self.templates = {
            mode: prompts.load(mode.value) for mode in (Mode.question, Mode.learning_points)
        }
        # the call runs beside the request so that the request can give up at the deadline;
        # a given-up call closes its stream at its next token
        self._pool = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="llm")
        self.on_reply = on_reply

    def stream(
        self,
        question: str,
        mode: Mode,
        passages: list[Passage],
        fallback: Answer,
        verifier: Verifier | None = None,
    ) -> Iterator[AnswerEvent]:
        """Verified sentences as the model writes them, then the final answer."""
        if mode not in self.templates or not passages:
            yield AnswerEvent(kind="answer", answer=fallback)
            return
        verifier = verifier or Verifier()
        messages, passages = self.messages(question, mode, passages)
        pieces = _Pieces()
        cancel = threading.Event()
        future = self._pool.submit(self._generate, messages, pieces, cancel)
        deadline = _Deadline(self.timeout)
        reply, done_upto = "", 0
        citations = Citations()
        kept: list[str] = []
        checked: list[Checked] = []
        failure: str | None = None

        said: set[str] = set()
        repeats = 0

        def finished() -> bool:
            """The model repeats itself, or has said what the prompt asks for."""
            return repeats >= _LOOPING or len(kept) >= MOST_SENTENCES[mode]

        def check(sentences: list[str]) -> Iterator[AnswerEvent]:
            nonlocal repeats
            for sentence in sentences:
                claim = " ".join(strip_citations(sentence).lower().split()).rstrip(".")
                if claim in said:
                    repeats += 1  # a small model can loop over what it already wrote
                    continue
                said.add(claim)
                repeats = 0
                text, _, results = verifier.verify(sentence, passages, citations)
                checked.extend(results)
                if text.strip():
                    kept.append(text.strip())
                    yield AnswerEvent(kind="sentence", text=text.strip())

        while True:
            piece = pieces.get(deadline.left())
            if piece is None:  # the deadline passed with the model still writing
                cancel.set()
                failure = f"The language model took longer than {self.timeout:g} s"
                break
            if isinstance(piece, BaseException):
                failure = _describe(piece, self.timeout)
                break
            if piece == _END:
                break
            reply += piece
            if NOT_FOUND in reply:
                continue
            # sentences complete so far: all but the last, which may still grow
            sentences = reply_sentences(reply)
            complete = max(len(sentences) - 1, done_upto)
            yield from check(sentences[done_upto:complete])
            done_upto = complete
            if finished():
                cancel.set()  # closing the stream stops the server generating
                break
        future.add_done_callback(lambda f: f.exception())  # never an unobserved error
        if failure is None and not finished() and NOT_FOUND not in reply:
            yield from check(reply_sentences(reply)[done_upto:])
        if self.on_reply is not None:
            self.on_reply(
                ModelReply(
                    question, mode, messages, passages, reply, deadline.elapsed(), failure, kept
                )
            )
        final = self._final(reply, kept, citations, checked, failure, mode, fallback)
        yield AnswerEvent(kind="answer", answer=final)

    def messages(
        self, question: str, mode: Mode, passages: list[Passage]
    ) -> tuple[list[dict], list[Passage]]:
        """The chat messages for a question, and the passages that fitted into them (the
        numbers the model may cite are positions in that list)."""
        template = self.templates[mode]
        frame = count_tokens(self.system) + count_tokens(
            template.format(passages="", question=question)
        )
        numbered, fitted = number_passages(passages, PROMPT_TOKENS[mode] - frame)
        prompt = template.format(passages=numbered, question=question)
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": prompt},
        ], passages[:fitted]

    def _final(self, reply, kept, citations, checked, failure, mode, fallback) -> Answer:
        if failure is not None:
            return _with_note(fallback, f"{failure}; this is the extractive answer.")
        if NOT_FOUND in reply:
            if fallback.abstained:
                return fallback.model_copy(update={"answerer": "llm"})
            return _with_note(
                fallback,
                "The language model found no answer in the passages it was given; "
                "this is the extractive answer.",
            )
        dropped = [c for c in checked if c.reason]
        reasons = "; ".join(sorted({c.reason or "" for c in dropped}))
        if not citations.items:
            why = f" ({reasons})" if reasons else ""
            return _with_note(
                fallback,
                f"The language model's reply could not be verified against the sources{why}; "
                "this is the extractive answer.",
            )
        if len(dropped) > len(checked) - len(dropped):
            # what is left of a mostly unfaithful reply reads as fragments: answer extractively
            return _with_note(
                fallback,
                f"Most of the language model's reply could not be verified ({reasons}); "
                "this is the extractive answer.",
            )
        note = None
        if dropped:
            note = f"{len(dropped)} sentence(s) of the model's reply removed: {reasons}."
        joiner = "\n" if mode == Mode.learning_points or "\n" in reply.strip() else " "
        return Answer(
            answer=joiner.join(kept), citations=citations.items, mode=mode, answerer="llm",
            note=note,
        )  # fmt: skip

    def _generate(self, messages: list[dict], pieces: _Pieces, cancel: threading.Event) -> None:
        """Stream the reply into `pieces`; close the stream when the answer was given up."""
        try:
            stream = self.client.chat.completions.create(
                model=self.model,
                messages=messages,
                max_tokens=self.max_tokens,
                temperature=0.0,
                stream=True,
                stop=[NOT_FOUND + "\n"],
            )
            try:
                for chunk in stream:
                    if cancel.is_set():
                        raise _Cancelled
                    for choice in chunk.choices:
                        if choice.delta and choice.delta.content:
                            pieces.put(choice.delta.content)
            finally:
                stream.close()  # the server stops generating when the connection closes
            pieces.put(_END)
        except _Cancelled:
            log.info("language model call cancelled after the deadline")
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the caller
            pieces.put(exc)


_END = "\0end"


class _Pieces:
    """Text pieces from the model's thread; get() waits at most the time left."""

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue()

    def put(self, item) -> None:
        self._queue.put(item)

    def get(self, timeout: float):
        try:
            return self._queue.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self._start = time.monotonic()
        self._end = self._start + seconds

    def left(self) -> float:
        return self._end - time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self._start


def _describe(exc: BaseException, timeout: float) -> str:
    """What failed, in words a user can act on (the client's own timeout is the deadline
    passing, said the same way)."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return f"The language model took longer than {timeout:g} s"
    if isinstance(exc, openai.APIConnectionError):
        return "The language model could not be reached"
    if isinstance(exc, openai.APIStatusError):
        return f"The language model returned an error (HTTP {exc.status_code})"
    return f"The language model failed ({type(exc).__name__})"


def _with_note(answer: Answer, note: str) -> Answer:
    return answer.model_copy(update={"note": note})
