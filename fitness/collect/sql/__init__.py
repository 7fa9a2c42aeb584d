"""Collectors that read SQL: strings in code, .sql files, migrations."""
