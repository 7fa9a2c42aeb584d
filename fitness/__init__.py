"""fitness: architecture fitness functions and decomposition analysis.

The package is layered (checked by the project's own fitness.yaml):
``cli -> pipeline -> config | collect | analyze | rules | report | adr -> model``.
"""

__version__ = "0.1.0"
