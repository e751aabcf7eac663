"""Cooperative cancellation and progress reports for long operations.

Long work is a generator that yields `Progress` and checks a `CancelToken`; the GUI
runs it on a worker thread and the CLI drives it with a progress bar.
"""

import threading
from dataclasses import dataclass


class Cancelled(Exception):
    """Raised inside an operation when its token was cancelled; the operation rolls back."""


class CancelToken:
    """Thread-safe flag set by the front end and polled by the operation."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("The operation was cancelled; nothing was changed.")


@dataclass
class Progress:
    """One progress report: what is happening, how far along, and in what unit."""

    stage: str
    done: int = 0
    total: int | None = None
    unit: str = "bytes"
    records: int = 0


def run_to_end(operation, on_progress=None):
    """Drive a progress generator to completion and return its return value."""
    while True:
        try:
            report = next(operation)
        except StopIteration as finished:
            return finished.value
        if on_progress is not None:
            on_progress(report)
