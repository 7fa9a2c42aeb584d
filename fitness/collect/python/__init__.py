"""Collectors that read Python source: imports (grimp), calls and messages (ast), ORM models."""
