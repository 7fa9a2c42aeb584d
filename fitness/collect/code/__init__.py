"""Collectors that read source in any language: endpoints, clients, listeners."""
