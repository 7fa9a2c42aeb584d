"""Reverse-proxy and gateway route detectors: nginx/Apache, Envoy, Spring Cloud Gateway, Zuul, Ocelot, YARP."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.collect.code.detectors import envoy, gateways, nginx
from fitness.collect.code.registry import Detector, _reads
from fitness.collect.source_file import SourceFile, suffix_of
from fitness.model.facts import Route, SourceFacts

CORPUS = Path("/work/shared/corpus")


def run(detector: Detector, path: str, text: str) -> SourceFacts:
    facts = SourceFacts()
    file = SourceFile(path, text, suffix_of(path))
    if _reads(detector, file) and any(t in text for t in detector.triggers):
        detector.detect(file, facts)
    return facts


def routes(facts: SourceFacts) -> list[tuple[str, str, int, bool]]:
    return [(r.match, r.template, r.evidence.line, r.by_name) for r in facts.routes]


def unresolved_lines(facts: SourceFacts) -> list[int]:
    return [u.evidence.line for u in facts.unresolved]


# -- nginx --------------------------------------------------------------------------------------

NGINX_SITE = """\
server {
    listen 80;
    # proxy_pass http://legacy:9000;
    location /api/orders/ {
        proxy_pass http://orders:8080/;   # the orders service
        proxy_set_header Host $host;
    }
    location = /healthz { return 200; }
    location ~ ^/grpc/ {
        grpc_pass grpc://cart:7070;
    }
    location / {
        root /usr/share/nginx/html;
        try_files $uri $uri/ /index.html;
    }
}
"""


def test_nginx_location_proxy_pass_and_grpc_pass() -> None:
    facts = run(nginx.DETECTOR, "gateway/nginx.conf", NGINX_SITE)
    assert routes(facts) == [
        ("/api/orders/", "http://orders:8080/", 5, False),
        ("^/grpc/", "grpc://cart:7070", 10, False),
    ]
    assert facts.routes[0].evidence.text == "proxy_pass http://orders:8080/;   # the orders service"
    assert facts.routes[0].evidence.how == "config"


def test_nginx_upstream_expands_to_each_server_even_when_defined_after_use() -> None:
    text = """\
http {
    server {
        location /catalog/ {
            proxy_pass http://catalog_pool/v1/;
        }
    }
    upstream catalog_pool {
        least_conn;
        server catalog-1:8080 weight=3 max_fails=2;
        server catalog-2:8080;
        server unix:/var/run/catalog.sock;
    }
}
"""
    facts = run(nginx.DETECTOR, "proxy/nginx.conf", text)
    assert routes(facts) == [
        ("/catalog/", "http://catalog-1:8080/v1/", 4, False),
        ("/catalog/", "http://catalog-2:8080/v1/", 4, False),
    ]


def test_nginx_envsubst_template_keeps_placeholders() -> None:
    text = """\
server {
    listen ${NGINX_PORT};
    location /api/ {
        proxy_pass http://${API_HOST}:${API_PORT};
    }
    location /auth/ {
        proxy_pass ${auth_url}/login;
    }
}
"""
    facts = run(nginx.DETECTOR, "web/templates/default.conf.template", text)
    assert routes(facts) == [
        ("/api/", "http://${API_HOST}:${API_PORT}", 4, False),
        ("/auth/", "${auth_url}/login", 7, False),
    ]


def test_nginx_variables_folded_cut_or_unresolved() -> None:
    text = """\
server {
    resolver 127.0.0.11 valid=10s;
    set $orders_backend "http://orders:8080";
    location /orders/ { proxy_pass $orders_backend; }
    location /users/ { proxy_pass http://users:8000$request_uri; }
    location ~ ^/files/(.*)$ { proxy_pass http://files/download/$1; }
    location /any/ { proxy_pass http://$http_x_target; }
    location /lower/ { proxy_pass http://${target_host}:80; }
    location /php { fastcgi_pass php-fpm:9000; }
}
"""
    facts = run(nginx.DETECTOR, "nginx/conf.d/site.conf", text)
    assert routes(facts) == [
        ("/orders/", "http://orders:8080", 4, False),
        ("/users/", "http://users:8000", 5, False),
        ("^/files/(.*)$", "http://files/download/", 6, False),
        ("/php", "php-fpm:9000", 9, False),
    ]
    assert unresolved_lines(facts) == [7, 8]


def test_nginx_static_site_and_non_config_files_give_nothing() -> None:
    static = "server {\n  listen 80;\n  location / {\n    root /usr/share/nginx/html;\n  }\n}\n"
    assert routes(run(nginx.DETECTOR, "frontend/nginx.vh.default.conf", static)) == []
    code = 'CONFIG = """\nlocation / { proxy_pass http://orders:8080; }\n"""\n'
    assert routes(run(nginx.DETECTOR, "deploy/render.py", code)) == []
    assert routes(run(nginx.DETECTOR, "README.md", "Use `proxy_pass http://orders:8080;`")) == []


def test_nginx_file_without_suffix_under_sites_enabled() -> None:
    text = "server {\n  location / {\n    proxy_pass http://127.0.0.1:3000;\n  }\n}\n"
    facts = run(nginx.DETECTOR, "deploy/nginx/sites-enabled/shop", text)
    assert routes(facts) == [("/", "http://127.0.0.1:3000", 3, False)]


# -- Apache httpd -------------------------------------------------------------------------------

APACHE = """\
<VirtualHost *:80>
    ProxyPreserveHost On
    # ProxyPass /old http://legacy:8080/
    ProxyPass /static !
    ProxyPass "/order" "http://order:8080/"
    ProxyPassReverse /order http://order:8080/
    <Proxy "balancer://shippingcluster">
        BalancerMember http://shipping-1:8080
        BalancerMember http://shipping-2:8080
    </Proxy>
    ProxyPass /shipping balancer://shippingcluster/
    <Location /invoicing>
        ProxyPass http://invoicing:8080/
    </Location>
    RewriteEngine On
    RewriteRule ^/api/(.*)$ http://api:9000/$1 [P,L]
    RewriteRule ^/home$ /index.html [L]
    ProxyPass /admin ${ADMIN_URL}/
</VirtualHost>
"""


def test_apache_proxy_pass_balancer_location_and_rewrite_proxy() -> None:
    facts = run(nginx.DETECTOR, "docker/apache/000-default.conf", APACHE)
    assert routes(facts) == [
        ("/order", "http://order:8080/", 5, False),
        ("/shipping", "http://shipping-1:8080/", 11, False),
        ("/shipping", "http://shipping-2:8080/", 11, False),
        ("/invoicing", "http://invoicing:8080/", 13, False),
        ("^/api/(.*)$", "http://api:9000/", 16, False),
        ("/admin", "${ADMIN_URL}/", 18, False),
    ]


def test_apache_without_proxy_pass_gives_no_route() -> None:
    text = """\
<VirtualHost *:80>
\tDocumentRoot /var/www/html
\t<Location "/balancer-manager">
\t    SetHandler balancer-manager
\t</Location>
\tProxyPreserveHost On
\t<Proxy balancer://unused>
\t    BalancerMember http://spare:8080
\t</Proxy>
</VirtualHost>
"""
    facts = run(nginx.DETECTOR, "apache/000-default.conf", text)
    assert routes(facts) == [] and facts.unresolved == []


# -- Envoy --------------------------------------------------------------------------------------

ENVOY = """\
static_resources:
  listeners:
    - address:
        socket_address: { address: 0.0.0.0, port_value: ${ENVOY_PORT} }
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                stat_prefix: ingress_http
                route_config:
                  virtual_hosts:
                    - name: backend
                      domains: ["*"]
                      routes:
                        - match: { path: "/shop" }
                          redirect: { path_redirect: "/shop/" }
                        - match: { prefix: "/shop/" }
                          route: { cluster: shop, prefix_rewrite: "/" }
                        - match:
                            safe_regex: { regex: "^/api/v[12]/.*" }
                          route:
                            weighted_clusters:
                              clusters:
                                - name: api_v1
                                  weight: 90
                                - name: api_v2
                                  weight: 10
                        - match: { prefix: "/dyn/" }
                          route: { cluster: dynamic }
                        - match: { prefix: "/" }
                          route: { cluster: web }
    - name: postgres_listener
      filter_chains:
        - filters:
            - name: envoy.filters.network.tcp_proxy
              typed_config:
                stat_prefix: tcp_pg
                cluster: pg
  clusters:
    - name: shop
      type: STRICT_DNS
      load_assignment:
        cluster_name: shop
        endpoints:
          - lb_endpoints:
              - endpoint: { address: { socket_address: { address: ${SHOP_HOST}, port_value: ${SHOP_PORT} } } }
    - name: api_v1
      load_assignment:
        endpoints:
          - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: api-v1, port_value: 8080 }
    - name: api_v2
      hosts:
        - socket_address: { address: api-v2, port_value: 8080 }
    - name: dynamic
      type: EDS
    - name: web
      load_assignment:
        endpoints:
          - lb_endpoints:
              - endpoint: { address: { socket_address: { address: web-1, port_value: 3000 } } }
              - endpoint: { address: { socket_address: { address: web-2, port_value: 3000 } } }
    - name: pg
      load_assignment:
        endpoints:
          - lb_endpoints:
              - endpoint: { address: { socket_address: { address: postgres, port_value: 5432 } } }
"""


def test_envoy_routes_resolve_clusters_to_endpoints() -> None:
    facts = run(envoy.DETECTOR, "proxy/envoy.yaml", ENVOY)
    assert routes(facts) == [
        ("/shop/", "${SHOP_HOST}:${SHOP_PORT}", 18, False),
        ("^/api/v[12]/.*", "api-v1:8080", 24, False),
        ("^/api/v[12]/.*", "api-v2:8080", 26, False),
        ("/", "web-1:3000", 31, False),
        ("/", "web-2:3000", 31, False),
        ("", "postgres:5432", 38, False),
    ]
    assert facts.routes[0].evidence.text == 'route: { cluster: shop, prefix_rewrite: "/" }'
    assert unresolved_lines(facts) == [29]  # the EDS cluster has no endpoints here


def test_envoy_in_a_configmap_uses_the_outer_lines() -> None:
    text = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: edge-envoy
data:
  envoy.yaml: |
    static_resources:
      listeners:
        - filter_chains:
            - filters:
                - typed_config:
                    route_config:
                      virtual_hosts:
                        - routes:
                            - match: { prefix: "/" }
                              route: { cluster: frontend }
      clusters:
        - name: frontend
          load_assignment:
            endpoints:
              - lb_endpoints:
                  - endpoint: { address: { socket_address: { address: frontend, port_value: 80 } } }
"""
    facts = run(envoy.DETECTOR, "k8s/envoy-config.yaml", text)
    assert routes(facts) == [("/", "frontend:80", 16, False)]
    assert facts.routes[0].evidence.text == "route: { cluster: frontend }"


def test_envoy_ignores_other_yaml() -> None:
    text = "services:\n  envoy:\n    image: envoyproxy/envoy\n    command: ['--config', 'static_resources']\n"
    assert routes(run(envoy.DETECTOR, "compose.yaml", text)) == []


# -- Spring Cloud Gateway and Zuul ----------------------------------------------------------------


def test_spring_cloud_gateway_yaml_routes() -> None:
    text = """\
server:
  port: 8080
spring:
  application:
    name: api-gateway
  cloud:
    gateway:
      routes:
        - id: orders
          uri: lb://orders-service
          predicates:
            - Method=GET
            - Path=/orders/**
        - id: catalog
          uri: ${CATALOG_URL:http://catalog:8081}
          predicates:
            - name: Path
              args:
                patterns:
                  - /catalog/**
                  - /products/**
        - id: legacy
          uri: http://legacy:9000
        - id: local
          uri: forward:/fallback
          predicates: [Path=/fallback]
"""
    facts = run(gateways.DETECTOR, "gateway/src/main/resources/application.yml", text)
    assert routes(facts) == [
        ("Path=/orders/**", "orders-service", 10, True),
        ("Path=/catalog/**,/products/**", "${CATALOG_URL:http://catalog:8081}", 15, False),
        ("", "http://legacy:9000", 23, False),
    ]
    assert facts.routes[0].evidence.text == "uri: lb://orders-service"


def test_spring_cloud_gateway_properties_and_new_key_spelling() -> None:
    text = """\
spring.application.name=edge
# spring.cloud.gateway.routes[9].uri=http://old:80
spring.cloud.gateway.server.webflux.routes[0].id=users
spring.cloud.gateway.server.webflux.routes[0].uri=http://users:8000
spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/users/**
spring.cloud.gateway.routes[1].uri=lb:ws://chat
"""
    facts = run(gateways.DETECTOR, "edge/src/main/resources/application.properties", text)
    assert routes(facts) == [
        ("Path=/users/**", "http://users:8000", 4, False),
        ("", "chat", 6, True),
    ]


def test_zuul_routes_url_service_id_and_short_form() -> None:
    text = """\
zuul:
  ignored-services: '*'
  routes:
    customers:
      path: /customers/**
      url: http://customer-service:8080
    orders:
      path: /orders/**
      serviceId: order-service
    users: /myusers/**
"""
    facts = run(gateways.DETECTOR, "zuul/src/main/resources/application.yml", text)
    assert routes(facts) == [
        ("/customers/**", "http://customer-service:8080", 6, False),
        ("/orders/**", "order-service", 9, True),
        ("/myusers/**", "users", 10, True),
    ]


def test_zuul_properties() -> None:
    text = "zuul.routes.invoices.path=/invoices/**\nzuul.routes.invoices.service-id=invoicing\n"
    facts = run(gateways.DETECTOR, "src/main/resources/bootstrap.properties", text)
    assert routes(facts) == [("/invoices/**", "invoicing", 2, True)]


def test_spring_discovery_locator_is_unresolved() -> None:
    text = "spring:\n  cloud:\n    gateway:\n      discovery:\n        locator:\n          enabled: true\n"
    facts = run(gateways.DETECTOR, "gateway/src/main/resources/application.yml", text)
    assert routes(facts) == [] and [(u.kind, u.evidence.line) for u in facts.unresolved] == [("route", 6)]


def test_spring_cloud_gateway_java_dsl() -> None:
    text = """\
package com.example.gateway;

@Configuration
public class Routes {
    private static final String ORDERS = "lb://orders";

    @Value("${catalog.uri}")
    private String catalogUri;

    @Bean
    public RouteLocator routes(RouteLocatorBuilder builder, Props props) {
        return builder.routes()
            .route("orders", r -> r.path("/orders/**", "/carts/**")
                .filters(f -> f.rewritePath("/orders/(?<rest>.*)", "/${rest}"))
                .uri(ORDERS))
            .route("catalog", r -> r.path("/catalog/**").uri(catalogUri))
            // .route("old", r -> r.path("/old/**").uri("http://old:80"))
            .route("users", r -> r.host("*.users.org").uri("http://users:8000"))
            .route("dynamic", r -> r.path("/x/**").uri(props.target()))
            .build();
    }
}
"""
    facts = run(gateways.DETECTOR, "gateway/src/main/java/com/example/gateway/Routes.java", text)
    assert routes(facts) == [
        ("Path=/orders/**,/carts/**", "orders", 15, True),
        ("Path=/catalog/**", "${catalog.uri}", 16, False),
        ("", "http://users:8000", 18, False),
    ]
    assert unresolved_lines(facts) == [19]


# -- Ocelot and YARP ----------------------------------------------------------------------------


def test_ocelot_routes_with_comments_tabs_and_discovery() -> None:
    text = """\
{
\t// routes of the mobile gateway
\t"Routes": [
\t\t{
\t\t\t"DownstreamPathTemplate": "/api/v1/catalog/{everything}",
\t\t\t"DownstreamScheme": "http",
\t\t\t"DownstreamHostAndPorts": [
\t\t\t\t{ "Host": "catalog-api", "Port": 80 },
\t\t\t\t{ "Host": "catalog-api-2", "Port": 80 },
\t\t\t],
\t\t\t"UpstreamPathTemplate": "/c/api/v1/{everything}",
\t\t\t"UpstreamHttpMethod": [ "GET" ]
\t\t},
\t\t{
\t\t\t"DownstreamPathTemplate": "/api/{everything}",
\t\t\t"UpstreamPathTemplate": "/basket/{everything}",
\t\t\t"ServiceName": "basket-api", /* from Consul */
\t\t\t"LoadBalancerOptions": { "Type": "LeastConnection" }
\t\t}
\t],
\t"GlobalConfiguration": { "BaseUrl": "http://localhost:5202" }
}
"""
    facts = run(gateways.DETECTOR, "src/ApiGateways/Mobile.Bff/ocelot.json", text)
    assert routes(facts) == [
        ("/c/api/v1/{everything}", "http://catalog-api:80", 8, False),
        ("/c/api/v1/{everything}", "http://catalog-api-2:80", 9, False),
        ("/basket/{everything}", "basket-api", 17, True),
    ]


def test_yarp_routes_join_clusters() -> None:
    text = """\
{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "ReverseProxy": {
    "Routes": {
      "ordersRoute": {
        "ClusterId": "ordersCluster",
        "Match": { "Path": "/orders/{**catch-all}" }
      },
      "missing": { "ClusterId": "nowhere" }
    },
    "Clusters": {
      "ordersCluster": {
        "Destinations": {
          "d1": { "Address": "http://orders-1:8080/" },
          "d2": { "Address": "http://orders-2:8080/" }
        }
      }
    }
  }
}
"""
    facts = run(gateways.DETECTOR, "Gateway/appsettings.json", text)
    assert routes(facts) == [
        ("/orders/{**catch-all}", "http://orders-1:8080/", 6, False),
        ("/orders/{**catch-all}", "http://orders-2:8080/", 6, False),
    ]


def test_gateways_ignore_unrelated_config() -> None:
    assert routes(run(gateways.DETECTOR, "web/package.json", '{"name": "Routes", "version": "1.0.0"}')) == []
    yaml = "spring:\n  datasource:\n    url: jdbc:postgresql://db/orders\n  cloud:\n    gateway: {}\n"
    assert routes(run(gateways.DETECTOR, "src/main/resources/application.yml", yaml)) == []
    settings = '{ "Routes": [ { "Path": "/x" } ], "ConnectionStrings": {} }'
    assert routes(run(gateways.DETECTOR, "appsettings.json", settings)) == []


# -- the corpus ---------------------------------------------------------------------------------


def corpus_file(system: str, path: str) -> SourceFile:
    full = CORPUS / system / path
    if not full.is_file():
        pytest.skip(f"corpus file {full} not present")
    return SourceFile(path, full.read_text(encoding="utf-8"), suffix_of(path))


def test_corpus_opentelemetry_frontend_proxy_has_the_eleven_labelled_routes() -> None:
    file = corpus_file("opentelemetry-demo", "src/frontend-proxy/envoy.tmpl.yaml")
    facts = SourceFacts()
    envoy.DETECTOR.detect(file, facts)
    found = {(r.match, r.template, r.evidence.line) for r in facts.routes}
    assert found == {
        ("/otlp-http/", "${OTEL_COLLECTOR_HOST}:${OTEL_COLLECTOR_PORT_HTTP}", 40),
        ("/jaeger/", "${JAEGER_HOST}:${JAEGER_UI_PORT}", 44),
        ("/grafana/", "${GRAFANA_HOST}:${GRAFANA_PORT}", 48),
        ("/opamp/", "${OPAMP_SERVER_HOST}:${OPAMP_SERVER_UI_PORT}", 52),
        ("/telemetry/", "${TELEMETRY_DOCS_HOST}:${TELEMETRY_DOCS_PORT}", 56),
        ("/images/", "${IMAGE_PROVIDER_HOST}:${IMAGE_PROVIDER_PORT}", 58),
        ("/flagservice/", "${FLAGD_HOST}:${FLAGD_PORT}", 60),
        ("/feature", "${FLAGD_UI_HOST}:${FLAGD_UI_PORT}", 63),
        ("/profiles/", "${FIREPIT_HOST}:${FIREPIT_PORT}", 70),
        ("/chatbot/", "${CHATBOT_HOST}:${CHATBOT_PORT}", 75),
        ("/", "${FRONTEND_HOST}:${FRONTEND_PORT}", 81),
    }
    assert len(facts.routes) == 11 and facts.unresolved == []


def test_corpus_apache_and_static_nginx_give_no_routes_and_the_upstream_demo_expands() -> None:
    for system, path in (
        ("microservice-kafka", "docker/apache/000-default.conf"),
        ("lakeside-mutual", "customer-self-service-frontend/nginx.vh.default.conf"),
    ):
        facts = SourceFacts()
        nginx.DETECTOR.detect(corpus_file(system, path), facts)
        assert facts.routes == [] and facts.unresolved == []
    facts = SourceFacts()
    nginx.DETECTOR.detect(
        corpus_file("lakeside-mutual", "customer-core/nginx-loadbalancing/nginx/nginx.conf"), facts
    )
    assert [r.template for r in facts.routes] == [
        f"http://nginx-loadbalancing_app_{n}:8110" for n in (1, 2, 3, 4)
    ]
    assert {(r.match, r.evidence.line) for r in facts.routes} == {("/", 19)}
    assert all(isinstance(r, Route) and not r.by_name for r in facts.routes)
