"""Analyses built in memory for reporter tests: a full one (chains, baseline states, a stale entry, a rule
that passes, a finding without a file) and an empty one."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitness.model import Analysis, ArchGraph, ChainLink, Finding, Location, Severity
from fitness.model.summary import ConfiguredRule, Summary

DATA = Path(__file__).resolve().parents[2] / "data"

RULES = (
    ConfiguredRule(
        id="domain-is-pure",
        type="forbidden",
        code="FIT102",
        severity="error",
        because="the domain must not know the database",
        adr=4,
        summary="Source modules must not import forbidden modules.",
        advice="Invert the dependency.",
    ),
    ConfiguredRule(
        id="layers",
        type="layers",
        code="FIT101",
        severity="error",
        because="",
        adr=None,
        summary="Layers may import only the layers below them.",
        advice="Move the code down.",
    ),
    ConfiguredRule(
        id="kernel-is-stable",
        type="max-instability",
        code="FIT109",
        severity="warning",
        because="",
        adr=None,
        summary="Stable packages keep instability low.",
        advice="Depend on less.",
    ),
    ConfiguredRule(
        id="no-orm",
        type="no-external",
        code="FIT107",
        severity="error",
        because="",
        adr=None,
        summary="No forbidden third-party packages.",
        advice="Use an adapter.",
    ),
)


def pure_violation() -> Finding:
    return Finding(
        "FIT102",
        "domain-is-pure",
        Severity.ERROR,
        "shop.domain imports forbidden shop.adapters",
        ("shop.domain", "shop.adapters"),
        (Location("src/shop/domain/book.py", 5),),
        (
            (
                ChainLink(
                    "shop.domain.book",
                    "shop.adapters.db",
                    "src/shop/domain/book.py",
                    5,
                    "import shop.adapters.db",
                ),
            ),
            (
                ChainLink(
                    "shop.domain.loan",
                    "shop.services.x",
                    "src/shop/domain/loan.py",
                    8,
                    "from shop.services import x",
                ),
                ChainLink(
                    "shop.services.x",
                    "shop.adapters.db",
                    "src/shop/services/x.py",
                    3,
                    "import shop.adapters.db",
                ),
            ),
        ),
        fix="cut shop.domain.book -> shop.adapters.db",
        because="the domain must not know the database",
        adr=4,
    )


def layers_violation() -> Finding:
    return Finding(
        "FIT101",
        "layers",
        Severity.ERROR,
        "shop.services imports higher layer shop.api",
        ("shop.services", "shop.api"),
        (Location("src/shop/services/lending.py", 4),),
        (
            (
                ChainLink(
                    "shop.services.lending", "shop.api.schemas", "src/shop/services/lending.py", 4, "import x"
                ),
            ),
        ),
    )


def instability_warning() -> Finding:
    return Finding(
        "FIT109",
        "kernel-is-stable",
        Severity.WARNING,
        "shop.kernel has instability 0.50 > 0.30",
        ("shop.kernel",),
    )


def hub_info() -> Finding:
    return Finding("FIT203", "hub-like", Severity.INFO, "shop.core is a hub", ("shop.core",))


@pytest.fixture
def full() -> Analysis:
    """Two errors (one known from the baseline), a warning without a file, an info smell, a stale entry."""
    findings = [pure_violation(), layers_violation(), instability_warning(), hub_info()]
    analysis = Analysis(
        "shop",
        ArchGraph(),
        findings,
        summary=Summary(modules=12, imports=30, rules=RULES, config="fitness.yaml", package_depth=2),
    )
    analysis.baseline_state = {f.fingerprint: "new" for f in findings}
    analysis.baseline_state[layers_violation().fingerprint] = "unchanged"
    analysis.stale = [
        {
            "fingerprint": "0123456789abcdef",
            "code": "FIT102",
            "rule": "domain-is-pure",
            "subjects": ["shop.domain", "shop.mail"],
            "message": "shop.domain imports forbidden shop.mail",
        }
    ]
    return analysis


@pytest.fixture
def empty() -> Analysis:
    return Analysis("shop", ArchGraph(), [], summary=Summary(modules=0, imports=0, rules=()))
