"""Collectors that read git: history, co-change, changed files."""
