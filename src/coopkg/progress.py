"""Progress of a long command on standard error: how far, how fast, how long still.

On a terminal, a bar with the rate and an estimate of the time left (rich); otherwise (a pipe,
a log file, CI) one line every few seconds with the same figures, so that a long ingest or
load still tells where it is.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text


class _Rate(ProgressColumn):
    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f} {self.unit}/s" if speed else f"– {self.unit}/s", style="progress.data.speed")


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _megabytes(amount: float) -> str:
    return f"{amount / 1e6:,.1f}"


class ProgressDisplay:
    """``advance`` as work gets done; ``total`` None when the amount is not known in advance.

    ``unit="bytes"`` counts bytes and shows megabytes.
    """

    def __init__(self, console: Console, total: int | None, what: str, unit: str, every: float = 10.0) -> None:
        self.console = console
        self.total = total
        self.what = what
        self.unit = unit
        self.every = every
        self.done = 0
        self._started = time.monotonic()
        self._last_line = self._started
        self._bar: Progress | None = None
        self._task = None

    def __enter__(self) -> ProgressDisplay:
        if self.console.is_terminal:
            amount: list[ProgressColumn] = (
                [DownloadColumn(), TransferSpeedColumn()] if self.unit == "bytes" else
                [MofNCompleteColumn(), _Rate(self.unit)]
            )  # fmt: skip
            self._bar = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), *amount,
                TextColumn("eta"), TimeRemainingColumn(), TimeElapsedColumn(), console=self.console, transient=True,
            )  # fmt: skip
            self._bar.__enter__()
            self._task = self._bar.add_task(self.what, total=self.total)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        if self._bar is not None:
            assert self._task is not None
            self._bar.advance(self._task, amount)
            return
        now = time.monotonic()
        if now - self._last_line >= self.every:
            self._last_line = now
            self.console.print(self.line(now), highlight=False, soft_wrap=True)

    def line(self, now: float | None = None) -> str:
        """The progress as one line of text."""
        elapsed = (now or time.monotonic()) - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        show, unit = (_megabytes, "MB") if self.unit == "bytes" else ((lambda n: f"{n:,}"), self.unit)
        text = f"{self.what}: {show(self.done)}"
        if self.total is not None:
            text += f"/{show(self.total)}"
        rate_text = _megabytes(rate) if self.unit == "bytes" else f"{rate:,.1f}"
        text += f" {unit}, {rate_text} {unit}/s"
        if self.total is not None and rate > 0:
            text += f", about {duration((self.total - self.done) / rate)} left"
        return text
