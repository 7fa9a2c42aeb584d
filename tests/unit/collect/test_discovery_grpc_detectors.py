"""Detectors for calls by logical name (discovery), gRPC contracts and addresses, and Thrift services."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.collect.code.detectors import discovery, grpc, thrift
from fitness.collect.code.registry import Detector, Registry
from fitness.collect.source_file import SourceFile, suffix_of
from fitness.model.facts import SourceFacts

CORPUS = Path("/work/shared/corpus")


def run(detector: Detector, path: str, text: str) -> SourceFacts:
    """The detector through the registry, so that its suffixes and triggers are exercised too."""
    return Registry((detector,)).run([SourceFile(path, text, suffix_of(path))])


def protos(facts: SourceFacts) -> list[tuple[str, str, int]]:
    assert not facts.warnings
    return sorted((p.service, p.role, p.evidence.line) for p in facts.protos)


def addresses(facts: SourceFacts) -> list[tuple[str, str, int]]:
    return sorted((a.template, a.protocol, a.evidence.line) for a in facts.addresses)


def names(facts: SourceFacts) -> list[tuple[str, str, int]]:
    assert not facts.warnings
    return sorted((n.name, n.protocol, n.evidence.line) for n in facts.names)


# -- gRPC -----------------------------------------------------------------------------------------

GO_MAIN = """package main

import (
	"os"

	pb "example.com/shop/genproto/shop"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	conn, _ := grpc.Dial(os.Getenv("CART_ADDR"), grpc.WithInsecure())
	cart := pb.NewCartServiceClient(conn)
	inv, _ := grpc.NewClient("dns:///inventory:50051")
	stock := pb.NewInventoryClient(inv)
	mustMapEnv(&svc.paymentAddr, "PAYMENT_ADDR")
	pc, _ := grpc.NewClient(svc.paymentAddr, opts...)
	// old := pb.NewLegacyServiceClient(conn)
	flags := openfeature.NewDefaultClient()
	rdb := redis.NewClusterClient(&redis.ClusterOptions{})
	s := grpc.NewServer()
	pb.RegisterCheckoutServiceServer(s, &checkout{})
	healthpb.RegisterHealthServer(s, health.NewServer())
}

func dial(addr string) *grpc.ClientConn {
	c, _ := grpc.NewClient(addr)
	return c
}
"""


def test_go_servers_stubs_and_dialled_addresses() -> None:
    facts = run(grpc.DETECTOR, "checkout/main.go", GO_MAIN)
    assert protos(facts) == [
        ("CartService", "stub", 13),
        ("CheckoutService", "serves", 22),
        ("Inventory", "stub", 15),
    ]
    assert addresses(facts) == [
        ("${CART_ADDR}", "grpc", 12),
        ("${PAYMENT_ADDR}", "grpc", 17),
        ("inventory:50051", "grpc", 14),
    ]


def test_java_and_kotlin_servers_and_stubs() -> None:
    java = (
        "package shop;\n"
        "import io.grpc.ManagedChannelBuilder;\n"
        "public class Checkout {\n"
        '  @Value("${cart.target:cart:7070}")\n'
        "  private String cartTarget;\n"
        "  void init() {\n"
        "    var ch = ManagedChannelBuilder.forTarget(cartTarget).usePlaintext().build();\n"
        "    cart = CartServiceGrpc.newBlockingStub(ch);\n"
        '    var pay = ManagedChannelBuilder.forAddress("payment", 50051).usePlaintext().build();\n'
        "    payments = PaymentServiceGrpc.newFutureStub(pay);\n"
        "    ads = ReactorAdServiceGrpc.newReactorStub(ch);\n"
        "  }\n"
        "  static class Impl extends CheckoutServiceGrpc.CheckoutServiceImplBase {}\n"
        "}\n"
    )
    facts = run(grpc.DETECTOR, "checkout/src/main/java/shop/Checkout.java", java)
    assert protos(facts) == [
        ("AdService", "stub", 11),
        ("CartService", "stub", 8),
        ("CheckoutService", "serves", 13),
        ("PaymentService", "stub", 10),
    ]
    assert addresses(facts) == [("${cart.target}", "grpc", 7), ("payment:50051", "grpc", 9)]
    kotlin = (
        "class FraudService : FraudServiceGrpcKt.FraudServiceCoroutineImplBase() {\n"
        '    private val channel = ManagedChannelBuilder.forTarget(System.getenv("ORDERS_ADDR")).build()\n'
        "    private val orders = OrdersGrpcKt.OrdersCoroutineStub(channel)\n"
        "}\n"
    )
    facts = run(grpc.DETECTOR, "fraud/src/main/kotlin/Fraud.kt", kotlin)
    assert protos(facts) == [("FraudService", "serves", 1), ("Orders", "stub", 3)]
    assert addresses(facts) == [("${ORDERS_ADDR}", "grpc", 2)]


def test_python_servicer_stub_and_channel_from_env() -> None:
    python = (
        "import os\n"
        "import grpc\n"
        "import demo_pb2_grpc\n"
        "\n"
        "class RecommendationService(demo_pb2_grpc.RecommendationServiceServicer):\n"
        "    pass\n"
        "\n"
        "def serve():\n"
        "    catalog_addr = os.environ.get('PRODUCT_CATALOG_ADDR', '')\n"
        "    channel = grpc.insecure_channel(catalog_addr)\n"
        "    stub = demo_pb2_grpc.ProductCatalogServiceStub(channel)\n"
        "    ads = grpc.insecure_channel(f\"{os.getenv('AD_HOST')}:9555\")\n"
        "    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))\n"
        "    demo_pb2_grpc.add_RecommendationServiceServicer_to_server(RecommendationService(), server)\n"
        "    health_pb2_grpc.add_HealthServicer_to_server(HealthServicer(), server)\n"
    )
    facts = run(grpc.DETECTOR, "recommendation/server.py", python)
    assert protos(facts) == [
        ("ProductCatalogService", "stub", 11),
        ("RecommendationService", "serves", 5),
        ("RecommendationService", "serves", 14),
    ]
    assert addresses(facts) == [("${AD_HOST}:9555", "grpc", 12), ("${PRODUCT_CATALOG_ADDR}", "grpc", 10)]


def test_csharp_base_class_and_clients() -> None:
    csharp = (
        "using Grpc.Net.Client;\n"
        "public class CartService : Oteldemo.CartService.CartServiceBase\n"
        "{\n"
        '    var channel = GrpcChannel.ForAddress("http://currency:7001");\n'
        "    var currency = new Currency.CurrencyClient(channel);\n"
        "    builder.Services.AddGrpcClient<Ads.AdService.AdServiceClient>(o => o.Address = uri);\n"
        "    app.MapGrpcService<CartService>();\n"
        "}\n"
    )
    facts = run(grpc.DETECTOR, "cart/src/CartService.cs", csharp)
    assert protos(facts) == [("AdService", "stub", 6), ("CartService", "serves", 2), ("Currency", "stub", 5)]
    assert addresses(facts) == [("http://currency:7001", "grpc", 4)]


def test_typescript_and_node_clients_and_servers() -> None:
    typescript = (
        "import { ChannelCredentials } from '@grpc/grpc-js';\n"
        "import { CartServiceClient } from '../../protos/demo';\n"
        "\n"
        "const { CART_ADDR = '' } = process.env;\n"
        "\n"
        "const client = new CartServiceClient(CART_ADDR, ChannelCredentials.createInsecure());\n"
        "const http = new HttpClient(CART_ADDR, credentials);\n"
    )
    facts = run(grpc.DETECTOR, "frontend/gateways/rpc/Cart.gateway.ts", typescript)
    assert protos(facts) == [("CartService", "stub", 6)]
    assert addresses(facts) == [("${CART_ADDR}", "grpc", 6)]
    node = (
        "const grpc = require('@grpc/grpc-js');\n"
        "const proto = grpc.loadPackageDefinition(def).shop;\n"
        "const currency = new proto.CurrencyService(\n"
        "  `${process.env.CURRENCY_HOST}:7000`,\n"
        "  grpc.credentials.createInsecure()\n"
        ");\n"
        "server.addService(proto.PaymentService.service, { charge });\n"
        "server.addService(health.service, new health.Implementation({}));\n"
        "server.addService(ShippingServiceService, impl);\n"
    )
    facts = run(grpc.DETECTOR, "payment/index.js", node)
    assert protos(facts) == [
        ("CurrencyService", "stub", 3),
        ("PaymentService", "serves", 7),
        ("ShippingService", "serves", 9),
    ]
    assert addresses(facts) == [("${CURRENCY_HOST}:7000", "grpc", 3)]


def test_rust_cpp_and_ruby() -> None:
    rust = (
        "use tonic::transport::Server;\n"
        "Server::builder().add_service(ShippingServiceServer::new(svc)).serve(addr).await?;\n"
        'let mut quote = QuoteServiceClient::connect("http://quote:8090").await?;\n'
        "HttpServer::new(move || App::new()).bind(addr)?;\n"
    )
    facts = run(grpc.DETECTOR, "shipping/src/main.rs", rust)
    assert protos(facts) == [("QuoteService", "stub", 3), ("ShippingService", "serves", 2)]
    assert addresses(facts) == [("http://quote:8090", "grpc", 3)]
    cpp = (
        "#include <grpcpp/grpcpp.h>\n"
        "class CurrencyServiceImpl final : public shop::CurrencyService::Service {};\n"
        "class HealthServer final : public grpc::health::v1::Health::Service {};\n"
        'auto stub = shop::CartService::NewStub(grpc::CreateChannel("cart:7070", creds));\n'
    )
    facts = run(grpc.DETECTOR, "currency/src/server.cpp", cpp)
    assert protos(facts) == [("CartService", "stub", 4), ("CurrencyService", "serves", 2)]
    assert addresses(facts) == [("cart:7070", "grpc", 4)]
    ruby = (
        "require 'grpc'\n"
        "class EmailServer < Shop::EmailService::Service\n"
        "end\n"
        "stub = Shop::CartService::Stub.new(ENV['CART_ADDR'], :this_channel_is_insecure)\n"
    )
    facts = run(grpc.DETECTOR, "email/server.rb", ruby)
    assert protos(facts) == [("CartService", "stub", 4), ("EmailService", "serves", 2)]
    assert addresses(facts) == [("${CART_ADDR}", "grpc", 4)]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("shop/demo_pb2_grpc.py", "import grpc\ndef add_CartServiceServicer_to_server(servicer, server):\n"),
        ("checkout/genproto/demo_grpc.pb.go", "package shop\nfunc RegisterCartServiceServer(s grpc.X) {}\n"),
        ("checkout/genproto/shop/cart.go", "package shop\nx := pb.NewCartServiceClient(grpcConn)\n"),
        (
            "frontend/protos/demo.ts",
            "// Code generated by protoc-gen-ts_proto. DO NOT EDIT.\n"
            "import { ChannelCredentials } from '@grpc/grpc-js';\n"
            "export const CartServiceClient = makeGenericClientConstructor(CartServiceService);\n"
            "new CartServiceClient(address, credentials);\n",
        ),
        ("ad/src/main/java/shop/CartServiceGrpc.java", "public final class CartServiceGrpc {\n"),
    ],
)
def test_generated_code_is_skipped(path: str, text: str) -> None:
    assert run(grpc.DETECTOR, path, text).protos == []


def test_no_grpc_without_grpc() -> None:
    text = "import { S3Client } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({ credentials });\n"
    assert run(grpc.DETECTOR, "web/s3.ts", text).protos == []


# -- discovery ------------------------------------------------------------------------------------


def test_feign_clients_by_name_and_by_url() -> None:
    java = (
        "package shop;\n"
        '@FeignClient(name = "orders", path = "/api")\n'
        "interface OrdersClient {}\n"
        '@FeignClient("Inventory")\n'
        "interface InventoryClient {}\n"
        "@FeignClient(\n"
        '    name="customercore",\n'
        '    url="${customercore.baseURL:http://localhost:8110}",\n'
        "    configuration=CustomerCoreClientConfiguration.class)\n"
        "interface CustomerCoreClient {}\n"
        '@FeignClient(value = "${payments.service-name}")\n'
        "interface PaymentsClient {}\n"
        "@FeignClient(name = BILLING)\n"
        "interface BillingClient {}\n"
        'static final String BILLING = "billing";\n'
        '// @FeignClient(name = "legacy")\n'
    )
    facts = run(discovery.DETECTOR, "shop/src/main/java/shop/Clients.java", java)
    assert names(facts) == [
        ("${payments.service-name}", "http", 11),
        ("billing", "http", 13),
        ("inventory", "http", 4),
        ("orders", "http", 2),
    ]
    assert addresses(facts) == [("${customercore.baseURL}", "http", 6)]
    kotlin = '@FeignClient(name = "stock", url = "\\${stock.url}")\ninterface StockClient\n'
    facts = run(discovery.DETECTOR, "shop/src/main/kotlin/StockClient.kt", kotlin)
    assert (names(facts), addresses(facts)) == ([], [("${stock.url}", "http", 1)])
    empty_url = '@FeignClient(name = "stock", url = "")\ninterface StockClient {}\n'
    facts = run(discovery.DETECTOR, "shop/src/main/java/StockClient.java", empty_url)
    assert (names(facts), addresses(facts)) == ([("stock", "http", 1)], [])


def test_registry_lookups_and_lb_uris() -> None:
    java = (
        "public class Gateway {\n"
        '  private static final String ORDERS = "orders";\n'
        "  Mono<String> cart() {\n"
        '    return webClient.get().uri("lb://cart-service/items").retrieve().bodyToMono(String.class);\n'
        "  }\n"
        "  void call(String serviceId) {\n"
        '    discoveryClient.getInstances("inventory");\n'
        "    loadBalancerClient.choose(ORDERS);\n"
        '    eurekaClient.getNextServerFromEureka("BILLING", false);\n'
        "    discoveryClient.getInstances(serviceId);\n"
        '    list.choose("not-a-lookup");\n'
        "  }\n"
        "}\n"
    )
    facts = run(discovery.DETECTOR, "gateway/src/main/java/Gateway.java", java)
    assert names(facts) == [
        ("billing", "unknown", 9),
        ("cart-service", "http", 4),
        ("inventory", "unknown", 7),
        ("orders", "unknown", 8),
    ]
    assert [(u.kind, u.evidence.line) for u in facts.unresolved] == [("name", 10)]
    gateway = (
        'RouteLocator r(RouteLocatorBuilder b) { return b.routes().route(r -> r.uri("lb://cart")).build(); }'
    )
    assert run(discovery.DETECTOR, "gateway/src/main/java/Routes.java", gateway).names == []
    go = 'entries, _, err := consul.Health().Service("payments", "", true, nil)\n'
    assert names(run(discovery.DETECTOR, "api/lookup.go", go)) == [("payments", "unknown", 1)]
    node = "const nodes = await consul.health.service({ service: 'shipping', passing: true });\n"
    assert names(run(discovery.DETECTOR, "api/lookup.js", node)) == [("shipping", "unknown", 1)]


def test_service_name_enum_uses_but_not_its_declaration() -> None:
    declaration = (
        "package shop.registry;\n"
        "public enum Service {\n"
        '    PERSISTENCE("shop.persistence"),\n'
        '    AUTH("shop.auth");\n'
        "    public static Service of(String s) { return Service.AUTH; }\n"
        "}\n"
    )
    assert (
        run(discovery.DETECTOR, "registry/src/main/java/shop/registry/Service.java", declaration).names == []
    )
    use = (
        "package shop.webui;\n"
        "import static shop.registry.Service.PERSISTENCE;\n"
        "import shop.registry.Service;\n"
        "class IndexServlet {\n"
        "  void get() {\n"
        '    LoadBalancedCRUDOperations.getEntities(Service.PERSISTENCE, "categories", Category.class);\n'
        '    client.call(ServiceName.IMAGE_PROVIDER, "image");\n'
        "    // Service.AUTH is called elsewhere\n"
        "    orderService.process(OrderService.DEFAULT_TIMEOUT.toString());\n"
        '    Service s = Service.valueOf("AUTH");\n'
        "  }\n"
        "}\n"
    )
    facts = run(discovery.DETECTOR, "webui/src/main/java/shop/webui/IndexServlet.java", use)
    assert names(facts) == [
        ("default-timeout", "unknown", 9),  # no component has this name: the resolver drops it
        ("image-provider", "unknown", 7),
        ("persistence", "unknown", 6),
    ]


# -- Thrift ---------------------------------------------------------------------------------------


def test_thrift_clients_and_processors() -> None:
    java = (
        "import org.apache.thrift.protocol.TBinaryProtocol;\n"
        "Calculator.Client client = new Calculator.Client(new TBinaryProtocol(transport));\n"
        "TProcessor p = new Billing.Processor<>(new BillingHandler());\n"
    )
    facts = run(thrift.DETECTOR, "app/src/main/java/App.java", java)
    assert protos(facts) == [("Billing", "serves", 3), ("Calculator", "stub", 2)]
    go = 'import "github.com/apache/thrift/lib/go/thrift"\nc := tutorial.NewCalculatorClientFactory(t, f)\n'
    assert protos(run(thrift.DETECTOR, "app/main.go", go)) == [("Calculator", "stub", 2)]
    idl = "service Calculator {\n  i32 add(1: i32 a, 2: i32 b)\n}\n"
    assert run(thrift.DETECTOR, "idl/tutorial.thrift", idl).protos == []


# -- the corpus -----------------------------------------------------------------------------------


def corpus_file(relative: str) -> SourceFile:
    if not (CORPUS / relative).is_file():
        pytest.skip("corpus not available")
    return SourceFile(relative, (CORPUS / relative).read_text(encoding="utf-8"), suffix_of(relative))


def test_corpus_teastore_enum_and_lakeside_feign() -> None:
    servlet = corpus_file(
        "teastore/services/tools.descartes.teastore.webui/src/main/java/tools/descartes/teastore/webui/servlet/"
        "IndexServlet.java"
    )
    assert ("persistence", "unknown", 56) in names(Registry((discovery.DETECTOR,)).run([servlet]))
    feign = corpus_file(
        "lakeside-mutual/customer-management-backend/src/main/java/com/lakesidemutual/customermanagement/"
        "infrastructure/CustomerCoreClient.java"
    )
    facts = Registry((discovery.DETECTOR,)).run([feign])
    assert (addresses(facts), facts.names) == ([("${customercore.baseURL}", "http", 20)], [])


def test_corpus_opentelemetry_demo_grpc() -> None:
    files = [
        corpus_file("opentelemetry-demo/src/frontend/gateways/rpc/Cart.gateway.ts"),
        corpus_file("opentelemetry-demo/src/recommendation/recommendation_server.py"),
        corpus_file("opentelemetry-demo/src/checkout/main.go"),
        corpus_file("opentelemetry-demo/src/recommendation/demo_pb2_grpc.py"),
    ]
    facts = Registry((grpc.DETECTOR,)).run(files)
    found = {(p.evidence.path.split("/")[2], p.service, p.role) for p in facts.protos}
    assert found == {
        ("frontend", "CartService", "stub"),
        ("recommendation", "RecommendationService", "serves"),
        ("recommendation", "ProductCatalogService", "stub"),
        *(("checkout", s, "stub") for s in ("ShippingService", "ProductCatalogService", "CartService")),
        *(("checkout", s, "stub") for s in ("CurrencyService", "EmailService", "PaymentService")),
        ("checkout", "CheckoutService", "serves"),
    }
    assert sorted((a.template, a.evidence.line) for a in facts.addresses) == [
        ("${CART_ADDR}", 9),
        ("${PRODUCT_CATALOG_ADDR}", 153),
    ]
