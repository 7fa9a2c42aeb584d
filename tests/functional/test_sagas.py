"""Saga steps without compensation (FIT319) and the saga-steps-compensated rule (FIT132): a saga per
framework written to a system of services on disk, read by the real collectors through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.functional.conftest import run_fitness
from tests.functional.test_resilience import findings, lines, of, system

EVENTUATE = """\
package shop.sagas;

public class CreateOrderSaga implements SimpleSaga<CreateOrderSagaData> {
    private final SagaDefinition<CreateOrderSagaData> sagaDefinition =
        step()
            .withCompensation(orderService.reject, CreateOrderSagaData::makeRejectOrderCommand)
        .step()
            .invokeParticipant(consumerService.validateOrder, CreateOrderSagaData::makeValidateOrderCommand)
        .step()
            .invokeParticipant(customerService.reserveCredit, CreateOrderSagaData::makeReserveCreditCommand)
        .step()
            .invokeParticipant(kitchenService.createTicket, CreateOrderSagaData::makeCreateTicketCommand)
            .withCompensation(kitchenService.cancelTicket, CreateOrderSagaData::makeCancelTicketCommand)
        .step()
            .invokeParticipant(accountingService.authorize, CreateOrderSagaData::makeAuthorizeCommand)
        .step()
            .invokeLocal(this::approve)
        .build();
}
"""
TEMPORAL_JAVA = """\
package trips;

public class TripWorkflowImpl implements TripWorkflow {
    private final TripActivities activities = Workflow.newActivityStub(TripActivities.class, OPTIONS);

    @Override
    public void book(String name) {
        Saga saga = new Saga(new Saga.Options.Builder().build());
        try {
            activities.reserveCar(name);
            saga.addCompensation(activities::cancelCar, name);
            activities.chargeCard(name);
            activities.bookHotel(name);
            saga.addCompensation(activities::cancelHotel, name);
            activities.notifyTraveller(name);
        } catch (ActivityFailure e) {
            saga.compensate();
            throw e;
        }
    }
}
"""
TEMPORAL_GO = """\
package app

func OrderWorkflow(ctx workflow.Context, order Order) (err error) {
	var saga Saga
	defer func() {
		if err != nil {
			saga.Compensate(ctx)
		}
	}()
	err = workflow.ExecuteActivity(ctx, ReserveStock, order).Get(ctx, nil)
	if err != nil {
		return err
	}
	err = workflow.ExecuteActivity(ctx, ChargeCard, order).Get(ctx, nil)
	if err != nil {
		return err
	}
	saga.AddCompensation(RefundCard, order)
	return workflow.ExecuteActivity(ctx, ShipOrder, order).Get(ctx, nil)
}
"""
TEMPORAL_PYTHON = """\
from temporalio import workflow


@workflow.defn
class Checkout:
    @workflow.run
    async def run(self, order):
        compensations = []
        try:
            compensations.append(release_stock)
            await workflow.execute_activity(reserve_stock, order)
            await workflow.execute_activity(create_invoice, order)
            compensations.append(refund_card)
            await workflow.execute_activity(charge_card, order)
            await workflow.execute_activity(ship_order, order)
        except Exception:
            for compensation in reversed(compensations):
                await workflow.execute_activity(compensation, order)
            raise
"""
TEMPORAL_TS = """\
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { reserveSeat, releaseSeat, chargeCard, refundCard, issueTicket } = proxyActivities<typeof activities>({
  startToCloseTimeout: '1 minute',
});

export async function bookFlight(input: Input): Promise<void> {
  const compensations: Array<() => Promise<void>> = [];
  try {
    await reserveSeat(input);
    await chargeCard(input);
    compensations.unshift(() => refundCard(input));
    await issueTicket(input);
  } catch (err) {
    for (const compensate of compensations) {
      await compensate();
    }
    throw err;
  }
}
"""
AXON = """\
package shop;

@Saga
public class OrderSaga {
    @Autowired
    private transient CommandGateway commandGateway;

    @StartSaga
    @SagaEventHandler(associationProperty = "orderId")
    public void on(OrderCreatedEvent event) {
        commandGateway.send(new ReserveStockCommand(event.getOrderId()));
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(StockReservedEvent event) {
        commandGateway.send(new CreateInvoiceCommand(event.getOrderId()));
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(InvoiceCreatedEvent event) {
        commandGateway.send(new ChargePaymentCommand(event.getOrderId()));
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void on(PaymentFailedEvent event) {
        commandGateway.send(new RefundPaymentCommand(event.getOrderId()));
        commandGateway.send(new ReleaseStockCommand(event.getOrderId()));
        SagaLifecycle.end();
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "orderId")
    public void on(PaymentChargedEvent event) {
        commandGateway.send(new ShipOrderCommand(event.getOrderId()));
    }
}
"""
MASSTRANSIT = """\
public class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    public OrderStateMachine()
    {
        Initially(
            When(OrderSubmitted)
                .Publish(context => new ReserveStock(context.Saga.CorrelationId))
                .TransitionTo(Reserving));
        During(Reserving,
            When(StockReserved)
                .PublishAsync(context => context.Init<ChargePayment>(new { context.Saga.CorrelationId }))
                .TransitionTo(Charging));
        During(Charging,
            When(PaymentCompleted)
                .Send(new Uri("queue:shipping"), context => new ShipOrder(context.Saga.CorrelationId))
                .Finalize(),
            When(ShippingFailed)
                .Publish(context => new RefundPayment(context.Saga.CorrelationId))
                .Finalize());
    }
}
"""
NODE_SAGAS = """\
import { SagaBuilder } from 'node-sagas';

export class CreateOrderSaga {
  private definition() {
    return this.sagaBuilder
      .step('Create order')
      .invoke((params) => this.createOrder(params))
      .withCompensation((params) => this.rejectOrder(params))
      .step('Reserve credit')
      .invoke((params) => this.reserveCredit(params))
      .step('Reserve stock')
      .invoke((params) => this.reserveStock(params))
      .withCompensation((params) => this.releaseStock(params))
      .step('Approve order')
      .invoke((params) => this.approveOrder(params))
      .build();
  }
}
"""
JS_STEPS = """\
const steps = [
  { name: 'reserve-stock', execute: reserveStock, compensate: releaseStock },
  { name: 'charge-card', execute: chargeCard },
  { name: 'create-shipment', execute: createShipment, compensate: cancelShipment },
  { name: 'send-receipt', execute: sendReceipt },
];

export const checkout = new Orchestrator(steps);
"""
PY_STEPS = """\
class Step:
    def execute(self, ctx):
        raise NotImplementedError

    def compensate(self, ctx):
        pass


class ReserveStock(Step):
    def execute(self, ctx):
        ctx.stock.reserve(ctx.order)

    def compensate(self, ctx):
        ctx.stock.release(ctx.order)


class ChargeCard(Step):
    def execute(self, ctx):
        ctx.payments.charge(ctx.order)


class CreateShipment(Step):
    def execute(self, ctx):
        ctx.shipping.create(ctx.order)

    def rollback(self, ctx):
        ctx.shipping.cancel(ctx.order)


CHECKOUT = [ReserveStock(), ChargeCard(), CreateShipment()]
"""
FILES = {  # service -> (path, text, a text on the uncompensated step's line, on the later compensated step's)
    "eventuate": (
        "src/main/java/shop/sagas/CreateOrderSaga.java",
        EVENTUATE,
        "customerService.reserveCredit",
        "kitchenService.createTicket",
    ),
    "temporal-java": ("src/main/java/trips/TripWorkflowImpl.java", TEMPORAL_JAVA, "chargeCard", "bookHotel"),
    "temporal-go": ("workflow.go", TEMPORAL_GO, "ReserveStock", "ChargeCard, order"),
    "temporal-py": ("checkout.py", TEMPORAL_PYTHON, "create_invoice", "charge_card"),
    "temporal-ts": ("src/workflows.ts", TEMPORAL_TS, "await reserveSeat", "await chargeCard"),
    "axon": ("src/main/java/shop/OrderSaga.java", AXON, "CreateInvoiceCommand", "ChargePaymentCommand"),
    "masstransit": ("OrderStateMachine.cs", MASSTRANSIT, "new ReserveStock", "Init<ChargePayment>"),
    "node-sagas": ("src/saga.ts", NODE_SAGAS, "this.reserveCredit", "this.reserveStock"),
    "js-steps": ("src/checkout.js", JS_STEPS, "'charge-card'", "'create-shipment'"),
    "py-steps": ("steps.py", PY_STEPS, "CHECKOUT = ", "CHECKOUT = "),
}
STEP_NAMES = {
    "eventuate": "customerService.reserveCredit",
    "temporal-java": "chargeCard",
    "temporal-go": "ReserveStock",
    "temporal-py": "create_invoice",
    "temporal-ts": "reserveSeat",
    "axon": "CreateInvoiceCommand",
    "masstransit": "ReserveStock",
    "node-sagas": "Reserve credit",
    "js-steps": "charge-card",
    "py-steps": "ChargeCard",
}


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_each_framework_reports_the_step_before_a_compensated_one(tmp_path: Path) -> None:
    files = {f"services/{name}/{path}": text for name, (path, text, _, _) in FILES.items()}
    found = of(findings(system(tmp_path, files)), "FIT319")
    by_service = {f["subjects"][0]: f for f in found}
    assert sorted(by_service) == sorted(FILES)
    for name, (path, text, step, later) in FILES.items():
        finding = by_service[name]
        where = f"services/{name}/{path}"
        assert lines(finding) == sorted({(where, line_of(text, step)), (where, line_of(text, later))}), name
        assert finding["severity"] == "warning"
        assert finding["subjects"][1].endswith(f":{STEP_NAMES[name]}"), finding["subjects"]
        assert "compensat" in finding["fix"] and "looked for" in finding["message"]
    # not reported: validateOrder (a read), authorize and approve (the pivot and after), notifyTraveller,
    # ship_order, issueTicket, ShipOrder..., send-receipt: after the last compensated step
    assert len(found) == len(FILES)


TRIP_PY = """\
from temporalio import workflow


@workflow.defn
class BookWorkflow:
    @workflow.run
    async def run(self, input):
        compensations = []
        try:
            flight = await workflow.execute_activity(book_flight, input)
            compensations.append("undo_book_flight")
            hotel = await workflow.execute_activity(book_hotel, input)
            compensations.append("undo_book_hotel")
            await workflow.execute_activity(notify_user, input)
            return f"{flight} {hotel}"
        except Exception:
            for compensation in reversed(compensations):
                await workflow.execute_activity(compensation, input)
            return "Booking cancelled"
"""
TRIP_GO_DEFER = """\
package workflows

func BookWorkflow(ctx workflow.Context, input BookTripInput) (string, error) {
	var car string
	err := workflow.ExecuteActivity(ctx, activities.BookCar, input.CarId).Get(ctx, &car)
	if err != nil {
		return "Booking cancelled", nil
	}
	defer func() {
		if err != nil {
			errCompensation := workflow.ExecuteActivity(ctx, activities.UndoBookCar, input.CarId).Get(ctx, nil)
			err = multierr.Append(err, errCompensation)
		}
	}()
	var flight string
	err = workflow.ExecuteActivity(ctx, activities.BookFlight, input.FlightId).Get(ctx, &flight)
	return car + flight, err
}
"""
COMMENTED = "package shop;\n\npublic class OldSaga {\n/*\n" + EVENTUATE.split("{", 1)[1] + "*/\n"
AXON_BUILDERS = """\
@Saga
public class OrderSaga {
    @StartSaga
    @SagaEventHandler(associationProperty = "orderId")
    public void handle(OrderCreatedEvent event) {
        ReserveProductCommand reserveProductCommand = ReserveProductCommand.builder().orderId(event.getOrderId()).build();
        commandGateway.send(reserveProductCommand);
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void handle(ProductReservedEvent event) {
        ProcessPaymentCommand processPaymentCommand = ProcessPaymentCommand.builder().orderId(event.getOrderId()).build();
        commandGateway.sendAndWait(processPaymentCommand);
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void handle(PaymentFailedEvent event) {
        commandGateway.send(new CancelProductReservationCommand(event.getOrderId()));
    }

    @SagaEventHandler(associationProperty = "orderId")
    public void handle(PaymentProcessedEvent event) {
        commandGateway.send(new ApproveOrderCommand(event.getOrderId()));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "orderId")
    public void handle(ProductReservationCancelledEvent event) {
        commandGateway.send(new RejectOrderCommand(event.getOrderId()));
    }
}
"""
NO_COMPENSATION = """\
const steps = [
  { name: 'reserve', execute: reserve },
  { name: 'charge', execute: charge },
];
"""


def test_pivots_reads_commented_and_uncompensated_sagas_are_not_reported(tmp_path: Path) -> None:
    files = {
        "services/trip-py/workflow.py": TRIP_PY,  # every step before the last compensated
        "services/trip-go/workflow.go": TRIP_GO_DEFER,  # deferred compensation; the flight is the pivot
        "services/old/src/main/java/shop/OldSaga.java": COMMENTED,
        "services/plain/src/steps.js": NO_COMPENSATION,  # no compensation anywhere: no saga to judge
        "services/rollbacks/app.py": "def save(session):\n    session.rollback()\n",
        # payment is the pivot; RejectOrder undoes the order the saga started from, not ApproveOrder
        "services/axon/src/main/java/OrderSaga.java": AXON_BUILDERS,
    }
    found = findings(system(tmp_path, files), "--verbose")
    assert of(found, "FIT319") == []


RULE = """\
version: 1
rules:
  - id: sagas-compensate
    type: saga-steps-compensated
    exceptions: [legacy-*]
    steps: ["*.reserveCredit"]
    because: a failed order must undo what it did
"""


def test_rule_with_exceptions_and_exempt_steps(tmp_path: Path) -> None:
    eventuate = FILES["eventuate"]
    files = {
        f"services/orders/{eventuate[0]}": eventuate[1],
        f"services/legacy-orders/{eventuate[0]}": eventuate[1],
        "services/checkout/src/checkout.js": JS_STEPS,
    }
    root = system(tmp_path, files, RULE)
    result = run_fitness("check", str(root), "--no-cache", "--format", "json")
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)["findings"]
    rule = of(found, "FIT132")
    assert [f["subjects"] for f in rule] == [
        ["checkout", "services/checkout/src/checkout.js:steps:charge-card"]
    ]
    assert rule[0]["severity"] == "error"
    smells = {f["subjects"][0] for f in of(found, "FIT319")}
    assert smells == {"legacy-orders", "orders"}  # not covered by the rule: still reported as smells
    text = run_fitness("check", str(root), "--no-cache").stdout
    assert "because: a failed order must undo what it did" in text


def test_smell_can_be_switched_off(tmp_path: Path) -> None:
    config = "version: 1\nanalysis:\n  uncompensated_saga_steps: false\n"
    root = system(tmp_path, {"services/checkout/src/checkout.js": JS_STEPS}, config)
    assert of(findings(root), "FIT319") == []


@pytest.mark.parametrize("code", ["FIT319", "FIT132", "saga-steps-compensated"])
def test_explain_covers_the_saga_codes(code: str) -> None:
    result = run_fitness("explain", code)
    assert result.returncode == 0, result.stderr
    assert "compensat" in result.stdout and "pivot" in result.stdout
