"""The time cap on one piece of untrusted input (fitness.collect.time_cap): it stops a regular expression
in C, nests, and is not swallowed by an ``except Exception`` between."""

from __future__ import annotations

import re
import signal
import time

from fitness.collect.time_cap import time_cap

QUADRATIC = re.compile(r"\$\{([^}:]+):[^}]*\}")


def test_a_quadratic_regular_expression_is_stopped() -> None:
    with time_cap(0.1) as cap:
        QUADRATIC.sub("", "${a:" * 250_000)  # hours uncapped
    assert cap.expired


def test_a_block_that_ends_in_time_is_not_expired_and_the_timer_is_gone() -> None:
    with time_cap(5) as cap:
        QUADRATIC.sub("", "${a:b} " * 10)
    assert not cap.expired
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)


def test_an_inner_cap_ends_alone_and_an_outer_one_through_inner_excepts() -> None:
    with time_cap(10) as outer:
        with time_cap(0.05) as inner:
            time.sleep(5)
        assert inner.expired
    assert not outer.expired

    started = time.monotonic()
    with time_cap(0.2) as outer:
        while True:
            try:
                with time_cap(5):
                    time.sleep(0.05)
            except Exception:  # what a detector or a parser may do: not the cap's signal
                pass
    assert outer.expired
    assert time.monotonic() - started < 4
