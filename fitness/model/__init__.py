"""The architecture model: pure data, no I/O. Every other layer depends on it; it depends on nothing."""

from fitness.model.analysis import SCHEMA_VERSION, Analysis
from fitness.model.errors import ConfigError, FitnessError
from fitness.model.evidence import Evidence, Location
from fitness.model.findings import ChainLink, Finding, Severity
from fitness.model.graph import ArchGraph, Edge, EdgeKind, Node, NodeKind

__all__ = [
    "SCHEMA_VERSION",
    "Analysis",
    "ArchGraph",
    "ChainLink",
    "ConfigError",
    "Edge",
    "EdgeKind",
    "Evidence",
    "Finding",
    "FitnessError",
    "Location",
    "Node",
    "NodeKind",
    "Severity",
]
