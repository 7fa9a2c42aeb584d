"""Hypothesis profiles for the property-based suite (issue 16, item 2).

``default`` keeps ``make test`` fast (60 examples per property); ``thorough`` runs 10,000 per property,
outside CI, as a soak: ``HYPOTHESIS_PROFILE=thorough .venv/bin/pytest tests/properties -p no:xdist``.
No example database is written into the working tree; a failure prints its minimal example (and the
``@reproduce_failure`` line to paste), which is what a fix needs.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,  # a slow example on a busy CI machine is not a failure
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}
settings.register_profile("default", max_examples=60, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("ci", max_examples=60, derandomize=True, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("soak", max_examples=1_000, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("thorough", max_examples=10_000, **_COMMON)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
