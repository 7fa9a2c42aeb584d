"""Collectors that read deployment and configuration files: compose, Kubernetes, Helm, config."""
