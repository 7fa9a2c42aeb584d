"""Fitness functions: rule types, their registry, evaluation with ignores, and the baseline.

Rules read the model (an ImportView and the analysis metrics) and return findings; they never print or
touch files. Adding a rule type means one new module and one line in ``registry.BUILTIN_PATHS``.
"""
