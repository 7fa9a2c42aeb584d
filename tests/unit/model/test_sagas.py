"""Which saga steps need a compensation (fitness.model.sagas), on facts as the collectors attach them."""

from __future__ import annotations

import pytest

from fitness.model.resilience import Fact
from fitness.model.sagas import changes_nothing, uncompensated_steps

PATH = "saga.py"


def saga(*steps: tuple[str, bool], start: int = 1) -> list[Fact]:
    """A saga of ``(name, compensated)`` steps, one a line after ``start``."""
    facts = [Fact("saga", "hand-written:checkout", PATH, start, start + len(steps) + 1, "steps = [")]
    for offset, (name, compensated) in enumerate(steps, 1):
        line = start + offset
        facts.append(Fact("saga-step", name, PATH, line, 0, name))
        if compensated:
            facts.append(Fact("compensation", name, PATH, line, line, name))
    return facts


def gaps(facts: list[Fact]) -> list[str]:
    return [gap.step.detail for gap in uncompensated_steps(facts)]


def test_a_step_before_a_compensated_step_needs_one() -> None:
    found = uncompensated_steps(saga(("reserve_stock", False), ("charge_card", True), ("ship", False)))
    assert [(g.step.detail, g.undone.detail, g.name, g.framework) for g in found] == [
        ("reserve_stock", "charge_card", "checkout", "hand-written")
    ]
    assert found[0].subjects("orders") == ("orders", "saga.py:checkout:reserve_stock")
    assert "reserve_stock (saga.py:2)" in found[0].describe()


@pytest.mark.parametrize(
    "steps",
    [
        (("reserve", True), ("charge", False), ("approve", False)),  # the pivot and a retriable step
        (("reserve", False), ("charge", False)),  # nothing compensated: not a saga we can judge
        (("validate_order", False), ("reserve", True)),  # a read
        (("notify_customer", False), ("reserve", True)),  # a notification cannot be undone
        (("reserve", True), ("charge", True)),
    ],
)
def test_steps_that_need_no_compensation(steps: tuple[tuple[str, bool], ...]) -> None:
    assert gaps(saga(*steps)) == []


def test_each_saga_is_judged_on_its_own_steps() -> None:
    first = saga(("reserve", False), ("charge", True))
    second = saga(("book", False), ("pay", False), start=10)
    assert gaps([*first, *second]) == ["reserve"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("consumerService.validateOrder", True),
        ("CreateOrderSagaState::makeVerifyConsumerCommand", True),
        ("get_quote", True),
        ("sendWelcomeEmail", True),
        ("kitchenService.createTicket", False),
        ("ReserveStockCommand", False),
        ("charge-card", False),
    ],
)
def test_reads_checks_and_notifications_change_nothing(name: str, expected: bool) -> None:
    assert changes_nothing(name) is expected
