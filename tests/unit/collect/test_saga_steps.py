"""Pairing a registered compensation with its step (fitness.collect.code.detectors._saga_steps)."""

from __future__ import annotations

from fitness.collect.code.detectors._saga_steps import Step, is_event, mask_comments, pair, pair_by_noun


def compensated(steps: list[Step]) -> list[str]:
    return [step.name for step in steps if step.undo >= 0]


def test_a_compensation_registered_after_its_activity_belongs_to_it() -> None:
    events = [
        (0, "step", "book_car"),
        (1, "undo", ""),
        (2, "step", "charge"),
        (3, "step", "ship"),
        (4, "undo", ""),
    ]
    assert compensated(pair(events)) == ["book_car", "ship"]


def test_a_compensation_registered_before_its_activity_belongs_to_the_next_one() -> None:
    events = [
        (0, "undo", ""),
        (1, "step", "book_car"),
        (2, "step", "charge"),
        (3, "undo", ""),
        (4, "step", "ship"),
    ]
    assert compensated(pair(events)) == ["book_car", "ship"]


def test_no_compensation_means_no_saga() -> None:
    assert pair([(0, "step", "a"), (1, "step", "b")]) == []


def test_commands_pair_by_a_shared_noun_but_not_by_the_sagas_own_subject() -> None:
    steps = [
        Step("ReserveProductCommand", 0),
        Step("ProcessPaymentCommand", 1),
        Step("ApproveOrderCommand", 2),
    ]
    undos = [(5, "CancelProductReservationCommand"), (6, "RejectOrderCommand")]
    assert compensated(pair_by_noun(steps, undos, "OrderSaga")) == ["ReserveProductCommand"]


def test_events_are_not_steps_and_comments_are_blanked() -> None:
    assert is_event("StockReservedEvent") and is_event("OrderCreated") and not is_event("ReserveStock")
    text = 'a(); // step()\n/* step()\n*/ b("// kept")'
    masked = mask_comments(text)
    assert len(masked) == len(text) and "step" not in masked and '"// kept"' in masked
