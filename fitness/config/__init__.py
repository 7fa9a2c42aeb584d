"""Load and validate fitness.yaml or [tool.fitness]; every error names file:line."""

from fitness.config.loader import find_config, load_config
from fitness.config.settings import Config
from fitness.model.rulespec import IgnoreSpec, RuleSpec

__all__ = ["Config", "IgnoreSpec", "RuleSpec", "find_config", "load_config"]
