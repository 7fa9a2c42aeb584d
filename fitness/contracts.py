"""``fitness contracts``: compare every contract of the working tree with the base revision.

collect (the files of both revisions, ``fitness.collect.contracts``) -> analyze (the changes and their
findings, ``fitness.analyze.contracts``) -> the Analysis the reporters render. The service graph (the
normal pipeline) is built only when a change breaks, to name the consumers of the broken contract.

    from pathlib import Path
    from fitness.contracts import check_contracts
    analysis, run = check_contracts(Path("."), "origin/main")
    breaking = [f for f in analysis.findings if f.severity.value == "error"]
"""

from __future__ import annotations

from pathlib import Path

from fitness.analyze.contracts import compare_pair, contract_findings
from fitness.collect.contracts import read_contracts, resolve_base
from fitness.model import Analysis, ArchGraph, FitnessError
from fitness.model.contracts import ContractRun
from fitness.pipeline import Options, run


def check_contracts(
    root: Path, base: str | None = None, options: Options | None = None
) -> tuple[Analysis, ContractRun]:
    """The contract changes below ``root`` since ``base`` (default: see ``fitness.collect.contracts.
    revisions``), as findings; FitnessError on bad input (not a folder, not git, an unknown revision, a
    contract of the working tree that does not parse)."""
    if not root.is_dir():
        raise FitnessError("not a folder", str(root))
    root = root.resolve()
    revision = resolve_base(root, base)
    scan = read_contracts(root, revision)
    changes = [(pair, change) for pair in scan.pairs for change in compare_pair(pair)]
    graph: ArchGraph | None = None
    if any(change.breaking for _, change in changes):
        graph = _service_graph(root, options or Options(), scan.warnings)
    findings = contract_findings(changes, graph, revision.label)
    contract_run = ContractRun(
        revision.label,
        revision.commit,
        tuple(pair.path for pair in scan.pairs),
        len(scan.unchanged),
        tuple(scan.warnings),
    )
    return Analysis(root=root.name, graph=ArchGraph(), findings=findings), contract_run


def _service_graph(root: Path, options: Options, warnings: list[str]) -> ArchGraph | None:
    """The analysis graph of the working tree, or None (with a warning: consumers stay unknown) when the
    analysis cannot run, e.g. a folder of contracts with no code, or a broken fitness.yaml."""
    try:
        return run(root, options).graph
    except FitnessError as error:
        warnings.append(f"consumers unknown, the analysis failed: {error}")
        return None
