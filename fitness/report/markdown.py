"""Markdown for pull-request comments and ``$GITHUB_STEP_SUMMARY`` (GitHub and GitLab flavoured).

A verdict line, a table of every rule with its result, the violations that fail the build (new ones,
when a baseline is used, before anything else), the rest folded away in ``<details>``, and a Mermaid
graph of the offending part of the system: the modules in the import chains of the failing findings
(collapsed to packages when there are too many to read).
"""

from __future__ import annotations

import re
from collections import Counter

from fitness.model import Analysis, Finding
from fitness.report.coverage import service_coverage
from fitness.report.options import ReportOptions
from fitness.report.rulebook import RuleInfo, is_failing, key_of, rulebook, shown, state_of, verdict

MAX_LISTED = 50  # findings per section; a PR comment holds at most 65,536 characters
MAX_GRAPH_NODES = 40  # above this the graph shows packages instead of modules

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<|])")
_MERMAID_SPECIAL = re.compile(r'["#<>&`]')


def render(analysis: Analysis, options: ReportOptions) -> str:
    listed = shown(analysis, options)
    failing = [f for f in listed if is_failing(analysis, f, options)]
    new = [f for f in failing if state_of(analysis, f) != "unchanged"]
    known = [f for f in listed if state_of(analysis, f) == "unchanged"]
    other = [f for f in listed if f not in failing and f not in known]
    failed = bool(analysis.failing(options.fail_on))
    lines = [f"## fitness: {'❌' if failed else '✅'} {verdict(analysis, options)}", ""]
    lines.extend(_facts(analysis, known))
    lines.extend(_rule_table(analysis, failing))
    if new:
        with_baseline = bool(analysis.baseline_state or analysis.stale)
        lines.extend(_section("New violations" if with_baseline else "Violations", new))
    lines.extend(_details("Known from the baseline (not failing)", known))
    lines.extend(_details(f"Other findings (below --fail-on {options.fail_on.value})", other))
    if analysis.stale:
        lines.extend(["<details><summary>Fixed since the baseline: remove these entries</summary>", ""])
        for entry in sorted(analysis.stale, key=lambda e: (str(e.get("code")), str(e.get("fingerprint")))):
            lines.append(f"- **{_text(str(entry.get('code', '')))}** {_text(str(entry.get('message', '')))}")
        lines.extend(["", "</details>", ""])
    if any(f.chains for f in failing):
        lines.extend(["### Where", "", "```mermaid", *graph(failing, _depth(analysis)), "```", ""])
    lines.extend(_coverage(analysis))
    return "\n".join(lines).rstrip("\n") + "\n"


def graph(findings: list[Finding], depth: int) -> list[str]:
    """Mermaid flowchart lines for the import chains of ``findings``: each import an arrow labelled with
    its file:line; where a chain starts (the module that breaks the rule) is drawn red."""
    edges: dict[tuple[str, str], str] = {}
    for link in sorted({link for f in findings for chain in f.chains for link in chain}):
        where = f"{link.path.rsplit('/', 1)[-1]}:{link.line}" if link.line else link.path.rsplit("/", 1)[-1]
        edges.setdefault((link.importer, link.imported), where)
    starts = {chain[0].importer for f in findings for chain in f.chains if chain}
    if len({name for edge in edges for name in edge}) > MAX_GRAPH_NODES:
        counts = Counter((_package(a, depth), _package(b, depth)) for a, b in edges)
        edges = {(a, b): f"{n} import{'s' if n > 1 else ''}" for (a, b), n in counts.items() if a != b}
        starts = {_package(name, depth) for name in starts}
    nodes = sorted({name for edge in edges for name in edge})
    ids = {name: f"n{index}" for index, name in enumerate(nodes)}
    lines = ["flowchart LR"]
    lines.extend(f'  {ids[name]}["{mermaid_label(name)}"]' for name in nodes)
    lines.extend(
        f'  {ids[a]} -->|"{mermaid_label(label)}"| {ids[b]}' for (a, b), label in sorted(edges.items())
    )
    marked = [ids[name] for name in nodes if name in starts]
    if marked:
        lines.append("  classDef offending fill:#ffe3e3,stroke:#c92a2a,color:#000")
        lines.append(f"  class {','.join(marked)} offending")
    return lines


def mermaid_label(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes, ``#``, ``<``, ``>``, ``&`` and backticks become
    entity codes (``#34;``) and line breaks spaces, so a name can neither end the label, nor the line,
    nor the Markdown code fence."""
    flat = " ".join(text.splitlines())
    return _MERMAID_SPECIAL.sub(lambda match: f"#{ord(match.group(0))};", flat)


def _facts(analysis: Analysis, known: list[Finding]) -> list[str]:
    summary = analysis.summary
    facts = [f"{summary.modules} modules", f"{summary.imports} imports", f"{len(summary.rules)} rules"]
    if analysis.baseline_state or analysis.stale:
        facts.append(f"{len(known)} known from the baseline, {len(analysis.stale)} fixed since")
    if summary.changed_since is not None:
        facts.append(f"only findings touching files changed since `{_code(summary.changed_since.rev)}`")
    return [", ".join(facts), ""]


def _coverage(analysis: Analysis) -> list[str]:
    """The service coverage line, then every unresolved call site, address and SQL statement (up to
    MAX_LISTED) with its file:line; nothing for a system without services."""
    coverage = service_coverage(analysis.summary)
    if coverage is None:
        return []
    lines = ["### Service coverage", "", _text(coverage.line), ""]
    if not coverage.items:
        return lines
    lines.extend(["| where | kind | reason |", "|---|---|---|"])
    for item in coverage.items[:MAX_LISTED]:
        lines.append(f"| `{_code(item.where() or '-')}` | {_text(item.kind)} | {_text(item.reason)} |")
    if len(coverage.items) > MAX_LISTED:
        lines.extend(
            [
                "",
                f"…and {len(coverage.items) - MAX_LISTED} more: see the full report (`--format text --verbose`).",
            ]
        )
    return [*lines, ""]


def _rule_table(analysis: Analysis, failing: list[Finding]) -> list[str]:
    failing_count = Counter(key_of(f) for f in failing)
    other_count = Counter(key_of(f) for f in analysis.findings if f not in failing)
    lines = ["| rule | type | code | result |", "|---|---|---|---|"]
    for info in rulebook(analysis):
        lines.append(
            f"| `{_code(info.rule)}` | {_text(info.kind)} | {info.code} | "
            f"{_result(info, failing_count[info.key], other_count[info.key])} |"
        )
    return [*lines, ""]


def _result(info: RuleInfo, failing: int, other: int) -> str:
    if failing:
        return f"❌ {failing} failing" + (f", {other} more" if other else "")
    if other:
        return f"⚠️ {other} not failing"
    return "✅ passed"


def _section(title: str, findings: list[Finding]) -> list[str]:
    lines = [f"### {title} ({len(findings)})", ""]
    for finding in findings[:MAX_LISTED]:
        lines.extend(_finding(finding))
    if len(findings) > MAX_LISTED:
        lines.append(f"…and {len(findings) - MAX_LISTED} more: see the full report (`--format text`).")
    return [*lines, ""]


def _details(title: str, findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    return [
        f"<details><summary>{title} ({len(findings)})</summary>",
        "",
        *_section(title, findings)[2:],
        "</details>",
        "",
    ]


def _finding(finding: Finding) -> list[str]:
    where = f" at `{_code(str(finding.locations[0]))}`" if finding.locations else ""
    lines = [
        f"- **{finding.code}** {finding.severity.value} `{_code(finding.rule)}`{where}: {_text(finding.message)}"
    ]
    for chain in finding.chains:
        links = []
        for link in chain:
            at = f"{link.path}:{link.line}" if link.line else link.path
            links.append(f"`{_code(link.importer)}` → `{_code(link.imported)}` (`{_code(at)}`)")
        lines.append("  - chain: " + ", ".join(links))
    if finding.routes_note:
        lines.append(f"  - {finding.routes_note}")
    if finding.fix:
        lines.append(f"  - fix: {_text(finding.fix)}")
    if finding.because:
        lines.append(f"  - because: {_text(finding.because)}")
    if finding.adr is not None:
        lines.append(f"  - decision: ADR {finding.adr}")
    return lines


def _package(module: str, depth: int) -> str:
    return ".".join(module.split(".")[:depth])


def _depth(analysis: Analysis) -> int:
    depth = analysis.summary.package_depth
    return depth if depth > 0 else 2


def _text(text: str) -> str:
    """Plain text that Markdown shows as written (no emphasis, links, HTML or table breaks)."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))


def _code(text: str) -> str:
    """Text for a code span: backticks and table pipes cannot be escaped there, so they are replaced."""
    return text.replace("`", "'").replace("|", "¦").replace("\n", " ")
