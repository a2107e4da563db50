"""The optional generative answerer: any OpenAI-compatible endpoint, then a strict verifier.

The model sees numbered passages and may cite only those numbers. Afterwards every sentence is
checked: citation numbers that do not exist are removed, and a sentence whose cited passages do
not contain most of its content words is dropped. On a timeout, an error or an answer with
nothing left, the extractive answer is returned with a note saying so.
"""

from __future__ import annotations

import logging
import re

import prompts
from assistant.extractive import Citations
from assistant.models import Answer, Mode, Passage
from assistant.settings import Settings
from assistant.terms import terms, tidy
from ingest.sentences import sentence_spans, spans

log = logging.getLogger(__name__)
_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
NOT_FOUND = "NOT IN THE DOCUMENTS"
SUPPORT = 0.6  # share of a sentence's content words its cited passages must contain


def number_passages(passages: list[Passage]) -> str:
    blocks = []
    for n, p in enumerate(passages, 1):
        blocks.append(f"[{n}] ({p.location()})\n{tidy(p.text)}")
    return "\n\n".join(blocks)


def verify(text: str, passages: list[Passage]) -> tuple[str, Citations, int]:
    """Keep the supported, cited sentences; renumber their citations; count what was dropped."""
    citations = Citations()
    kept: list[str] = []
    dropped = 0
    passage_terms = [set(terms(p.text)) for p in passages]
    for sentence in _sentences(text):
        numbers = [
            int(n)
            for group in _MARKER.findall(sentence)
            for n in re.split(r"\s*[,;]\s*", group)
            if 1 <= int(n) <= len(passages)
        ]
        body = _MARKER.sub("", sentence).strip()
        words = set(terms(body))
        if not numbers or not words:
            dropped += bool(words)  # uncited claims are dropped; bare headings are not claims
            if not words and body:
                kept.append(body)
            continue
        cited = set().union(*(passage_terms[n - 1] for n in numbers))
        if len(words & cited) / len(words) < SUPPORT:
            dropped += 1
            continue
        marks = "".join(
            f"[{_cite_best_sentence(passages[n - 1], words, citations)}]"
            for n in dict.fromkeys(numbers)
        )
        kept.append(f"{body} {marks}")
    return "\n".join(kept) if "\n" in text else " ".join(kept), citations, dropped


def _sentences(text: str) -> list[str]:
    """A reply's sentences, line by line: models answer in lines (headings, bullets)."""
    return [line[a:b] for line in text.splitlines() for a, b in spans(line)]


def _cite_best_sentence(passage: Passage, words: set[str], citations: Citations) -> int:
    """Cite the passage's sentence that shares most words with the answer sentence."""
    candidates = sentence_spans(passage.text) or [(0, len(passage.text))]
    start, end = max(candidates, key=lambda s: len(words & set(terms(passage.text[s[0] : s[1]]))))
    return citations.cite(passage, passage.start + start, passage.start + end)


class GenerativeAnswerer:
    def __init__(self, settings: Settings) -> None:
        from llama_index.llms.openai_like import OpenAILike

        self.llm = OpenAILike(
            model=settings.llm_model,
            api_base=settings.llm_base_url,
            api_key=settings.llm_api_key,
            is_chat_model=True,
            timeout=settings.llm_timeout,
            max_tokens=settings.llm_max_tokens,
            max_retries=0,
            temperature=0.0,
            context_window=8192,
        )
        self.system = prompts.load("system")
        self.templates = {
            mode: prompts.load(mode.value) for mode in (Mode.question, Mode.learning_points)
        }

    def answer(
        self, question: str, mode: Mode, passages: list[Passage], fallback: Answer
    ) -> Answer:
        from llama_index.core.llms import ChatMessage

        template = self.templates.get(mode)
        if template is None:
            return fallback
        prompt = template.format(passages=number_passages(passages), question=question)
        try:
            reply = self.llm.chat(
                [
                    ChatMessage(role="system", content=self.system),
                    ChatMessage(role="user", content=prompt),
                ]
            )
        except Exception as exc:  # timeouts, refused connections, HTTP errors: all fall back
            log.warning("language model failed: %s", exc)
            return fallback.model_copy(
                update={"note": "The language model did not answer; this is the extractive answer."}
            )
        text = (reply.message.content or "").strip()
        if NOT_FOUND in text:
            return Answer(
                answer="The review documents in the library do not answer this question.",
                abstained=True,
                mode=mode,
                answerer="llm",
            )
        verified, citations, dropped = verify(text, passages)
        if not citations.items:
            return fallback.model_copy(
                update={"note": "The model's answer could not be verified against the sources; "
                        "this is the extractive answer."}
            )  # fmt: skip
        note = f"{dropped} unsupported sentence(s) removed." if dropped else None
        return Answer(
            answer=verified, citations=citations.items, mode=mode, answerer="llm", note=note
        )
