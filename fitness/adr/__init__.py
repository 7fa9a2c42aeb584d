"""Architecture decision records on disk: numbering, templates (Nygard, MADR), supersede and link,
index, graph, lint, drafts from findings, and the link between decisions and the rules enforcing them.

It depends on the model only (plus jinja2 for templates and yaml for MADR front matter): the CLI and
the pipeline call it; it calls neither.
"""

from fitness.adr.enforce import decision_findings, decision_summary
from fitness.adr.folder import AdrFolder, load, locate
from fitness.adr.records import Problem, Record

__all__ = ["AdrFolder", "Problem", "Record", "decision_findings", "decision_summary", "load", "locate"]
