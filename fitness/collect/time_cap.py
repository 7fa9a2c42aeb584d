"""A cap on the time one piece of untrusted input may take, for work no size bound makes safe.

A regular expression that is fine on real files can be quadratic on a hostile one (``${`` repeated over a
1 MB line, each start scanning to the end for a closing brace): hours, from a file of ordinary size. No
reader can be proven free of that, so the unit of work on one file (its detectors, one SQL statement)
runs under a timer. Python's regular expression engine checks for signals as it runs, so SIGALRM stops
even a single ``re.sub``::

    with time_cap(2.0) as cap:
        read(file)
    if cap.expired:
        warnings.append(f"{path}: over 2 s to read, skipped")

Caps nest (a statement's cap inside its file's): the timer is set for the nearest deadline, and the cap
that ran out is the one that ends, whatever inner ``except Exception`` lies between (its signal is a
``BaseException``, as KeyboardInterrupt is). Where no timer can be set (not the main thread, no
``setitimer`` as on Windows, or the program's own SIGALRM timer in use) the block runs uncapped. Many caps
one after another (the detectors' one per file) share one SIGALRM handler in a ``batch_of_caps()``.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import Any, TypeAlias

_Handler: TypeAlias = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class Expired(BaseException):
    """Raised inside the block of the cap that ran out (not an Exception: nothing between may catch it)."""

    def __init__(self, cap: TimeCap) -> None:
        super().__init__("time cap expired")
        self.cap = cap


class TimeCap:
    """One cap; ``expired`` tells, after the block, whether it was cut short."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = 0.0
        self.expired = False
        self.armed = False

    def __enter__(self) -> TimeCap:
        self.deadline = time.monotonic() + self.seconds
        if _STACK or _timer_free():
            self.armed = True
            if not _STACK:
                _STACK.append(_Previous(signal.signal(signal.SIGALRM, _expired)))
            _STACK.append(self)
            _arm()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> bool:
        if not self.armed:
            return False
        signal.setitimer(signal.ITIMER_REAL, 0)
        _STACK.remove(self)
        self.armed = False
        mine = isinstance(error, Expired) and error.cap is self
        if len(_STACK) == 1:  # only the saved handler is left: restored, unless a batch holds it
            previous = _STACK[0]
            assert isinstance(previous, _Previous)
            if not previous.held:
                _STACK.pop()
                signal.signal(signal.SIGALRM, previous.handler)
        elif mine or not isinstance(error, Expired):  # else an outer cap's expiry is on its way out
            _arm()
        self.expired = mine
        return mine


def time_cap(seconds: float) -> TimeCap:
    """A context manager that stops its block after ``seconds`` (see the module docstring)."""
    return TimeCap(seconds)


class _Previous:
    """The SIGALRM handler in place before the outermost cap, restored after it (``held``: after the
    batch of :func:`batch_of_caps` instead)."""

    def __init__(self, handler: _Handler, held: bool = False) -> None:
        self.handler = handler
        self.held = held


@contextmanager
def batch_of_caps() -> Iterator[None]:
    """A block holding many caps one after another (one per file): the SIGALRM handler is set once for
    the block, not once per cap (setting a handler costs four times setting the timer). Caps inside
    behave as without it; outside any cap the handler does nothing."""
    if _STACK or not _timer_free():  # inside a cap already (its handler is set), or no timer to use
        yield
        return
    previous = _Previous(signal.signal(signal.SIGALRM, _expired), held=True)
    _STACK.append(previous)
    try:
        yield
    finally:
        _STACK.remove(previous)
        if not _STACK:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous.handler)


_STACK: list[_Previous | TimeCap] = []


def _timer_free() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # the program's own timer: leave it alone
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    )


def _caps() -> list[TimeCap]:
    return [cap for cap in _STACK if isinstance(cap, TimeCap)]


def _arm() -> None:
    """Set the timer for the nearest deadline of the caps in force (at once when it has passed)."""
    nearest = min(cap.deadline for cap in _caps())
    signal.setitimer(signal.ITIMER_REAL, max(nearest - time.monotonic(), 1e-6))


def _expired(signum: int, frame: FrameType | None) -> None:
    if not _caps():  # a late signal between the caps of a batch
        return
    if frame is not None and frame.f_code.co_filename == __file__:  # in a cap's own code:
        if frame.f_code.co_name != "__exit__":  # the block is over; elsewhere try again in a moment
            signal.setitimer(signal.ITIMER_REAL, 1e-3)
        return
    now = time.monotonic()
    for cap in _caps():  # the outermost cap that ran out: it ends, and the caps inside it with it
        if cap.deadline <= now:
            raise Expired(cap)
    _arm()  # a little early (timer resolution): wait for the rest
