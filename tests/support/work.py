"""How much Python a call runs in given modules, counted in executed lines: a measure of work
that, unlike time, does not depend on the machine or on what else it is doing. A test of how
work grows ("linear in the pages") asserts on it instead of on seconds."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType, ModuleType


class TooMuchWork(AssertionError):
    """The call ran more lines than its budget: it was stopped there."""


def lines_run(call: Callable[[], object], modules: list[ModuleType], budget: int) -> int:
    """The lines `call` executes in `modules` (their own code, not what they call in other
    modules or in C). Past `budget` lines the call is stopped with TooMuchWork, so a call
    whose work grows too fast fails at once rather than after minutes."""
    files = {str(Path(m.__file__).resolve()) for m in modules if m.__file__}
    seen: dict[str, bool] = {}
    count = 0

    def local(frame: FrameType, event: str, arg: object):
        nonlocal count
        if event == "line":
            count += 1
            if count > budget:
                raise TooMuchWork(f"more than {budget} lines run")
        return local

    def on_call(frame: FrameType, event: str, arg: object):
        name = frame.f_code.co_filename
        if name not in seen:
            seen[name] = str(Path(name).resolve()) in files
        return local if seen[name] else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count
