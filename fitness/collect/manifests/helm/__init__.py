"""Helm charts: rendered to plain objects, each with the evidence of the template file it came from.

A chart is a folder with ``Chart.yaml`` and ``templates/`` among the files the manifest walk found (so the
same depth and skip rules apply); a chart under another chart's ``charts/`` folder is its subchart and is
rendered with it.

* With ``helm`` on the PATH: ``helm template <chart name> <chart folder> --skip-tests`` (20 s timeout, its
  cache/config/data homes in a temporary folder, nothing written elsewhere). The ``# Source:`` comments
  of its output map each object back to its template file. When helm fails, the built-in renderer is used
  with a warning.
* Otherwise a small built-in renderer of Go templates (no helm, no jinja): ``values.yaml`` (merged into
  subcharts as helm does), ``.Release`` (name = chart name, namespace ``default``), ``.Chart``,
  ``.Capabilities`` (a recent Kubernetes), ``.Files.Get``; if/else if/else, with, range (``break`` and
  ``continue``), define/include/template/block, ``tpl``, variables, whitespace chomping, comments and the
  common Sprig functions. An expression it does not understand renders as an empty string (an ``if`` on
  it takes the else branch) and is counted in one warning per chart; a template it cannot parse is skipped
  with a warning. One warning per chart says it was rendered without helm.

Line numbers are a best effort: each rendered line is matched, in order, with the template line written
the same way or with the same key (``name: {{ ... }}``); a line coming from an include or ``toYaml`` gets
the line of the last match before it.
"""

from fitness.collect.manifests.helm.charts import find_charts, in_chart, render_chart

__all__ = ["find_charts", "in_chart", "render_chart"]
