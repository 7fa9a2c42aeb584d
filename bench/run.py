"""Benchmark `fitness check` against import-linter's `lint-imports` on pinned real corpora.

Stdlib only. Creates bench/.venv (fitness from this checkout, import-linter pinned), installs each corpus
with `pip install --no-deps --target bench/corpora/<name>`, writes a pair of equivalent configs (layers,
forbidden, acyclic siblings) to bench/work/<name>/, then times both tools cold (no tool cache) and warm
(after a priming run), a bare grimp build and `fitness --version`. Finally it checks that both tools
report the same broken pairs per contract, and exits 1 if they do not (after printing every timing).

    .venv/bin/python bench/run.py [--corpus NAME] [--corpus NAME ...] [--runs N]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV = BENCH / ".venv"
BIN = VENV / "bin"
CORPORA = BENCH / "corpora"
WORK = BENCH / "work"
RESULTS = BENCH / "results"
IMPORT_LINTER = "import-linter==2.16"
NO_SMELLS = {"module_cycles": False, "package_cycles": False, "hub_like": False, "unstable_dependency": False}


@dataclass(frozen=True)
class Corpus:
    """A pinned distribution and the contracts checked on it (the same ones in both tools' syntax)."""

    name: str
    requirement: str
    package: str
    container: str  # layers: one container, layers top first ("a | b" = independent siblings)
    layers: tuple[str, ...]
    sources: tuple[str, ...]  # forbidden: none of sources may reach any of forbidden
    forbidden: tuple[str, ...]
    ancestors: tuple[str, ...]  # acyclic: no cycle between the children of each ancestor (depth 0)


# Contracts chosen so that each tool has some broken pairs and some kept ones to agree on.
ALL_CORPORA = {
    corpus.name: corpus
    for corpus in (
        Corpus(
            "django",
            "django==5.2.8",
            "django",
            "django",
            ("contrib | test", "forms", "db", "core", "utils"),
            ("django.utils", "django.http"),
            ("django.db", "django.contrib", "django.test"),
            ("django.db", "django.forms", "django.http", "django.template"),
        ),
        Corpus(
            "sympy",
            "sympy==1.14.0",
            "sympy",
            "sympy",
            ("physics | stats", "solvers", "simplify", "polys", "core"),
            ("sympy.core", "sympy.multipledispatch"),
            ("sympy.physics", "sympy.sandbox", "sympy.matrices"),
            ("sympy.strategies", "sympy.unify", "sympy.printing", "sympy.logic", "sympy.crypto"),
        ),
        Corpus(
            "sqlalchemy",
            "sqlalchemy==2.0.36",
            "sqlalchemy",
            "sqlalchemy",
            ("ext | dialects", "orm", "engine", "sql", "util"),
            ("sqlalchemy.util", "sqlalchemy.event"),
            ("sqlalchemy.orm", "sqlalchemy.dialects", "sqlalchemy.ext"),
            ("sqlalchemy.sql", "sqlalchemy.orm", "sqlalchemy.engine", "sqlalchemy.dialects"),
        ),
        Corpus(
            "homeassistant",
            "homeassistant==2024.3.3",
            "homeassistant",
            "homeassistant",
            ("components", "helpers | auth", "core", "util"),
            ("homeassistant.util", "homeassistant.auth"),
            ("homeassistant.components.http", "homeassistant.components.recorder"),
            (
                "homeassistant.util",
                "homeassistant.auth",
                "homeassistant.helpers",
                "homeassistant.components.http",
                "homeassistant.components.zha",
            ),
        ),
    )
}


@dataclass
class Sample:
    """Timed runs of one command: wall seconds and peak RSS (KiB) per run."""

    label: str
    walls: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024


def pip(*args: str) -> None:
    """Run bench/.venv's pip quietly; fail loudly."""
    subprocess.run([str(BIN / "python"), "-m", "pip", "install", "--quiet", *args], check=True)


def ensure_venv() -> None:
    """Create bench/.venv with fitness (editable, this checkout) and the pinned import-linter.

    Reinstalls when the pins or pyproject.toml change (an editable install does not follow new dependencies).
    """
    stamp = VENV / ".bench-installed"
    want = f"{IMPORT_LINTER} -e {REPO}\n{(REPO / 'pyproject.toml').read_text()}"
    if stamp.exists() and stamp.read_text() == want:
        return
    print(f"creating {VENV} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip("--upgrade", "pip")
    pip(IMPORT_LINTER, "-e", str(REPO))
    stamp.write_text(want)


def ensure_corpus(corpus: Corpus) -> Path:
    """Install the pinned corpus (no dependencies, nothing imported) under bench/corpora/<name>."""
    target = CORPORA / corpus.name
    dist = corpus.requirement.replace("==", "-")
    if not any(target.glob(f"{dist}.dist-info")):
        print(f"installing {corpus.requirement} into {target} ...", flush=True)
        pip("--no-deps", "--no-compile", "--upgrade", "--target", str(target), corpus.requirement)
    return target


def write_configs(corpus: Corpus) -> Path:
    """Write .importlinter, fitness.yaml and fitness-smells.yaml (defaults on) to bench/work/<name>/."""
    work = WORK / corpus.name
    work.mkdir(parents=True, exist_ok=True)

    def block(key: str, values: tuple[str, ...]) -> str:
        return f"{key} =\n" + "".join(f"    {value}\n" for value in values)

    ini = "[importlinter]\n" + block("root_packages", (corpus.package,))
    ini += "\n[importlinter:contract:layers]\nname = layers\ntype = layers\n"
    ini += block("containers", (corpus.container,)) + block("layers", corpus.layers)
    ini += "\n[importlinter:contract:forbidden]\nname = forbidden\ntype = forbidden\n"
    ini += block("source_modules", corpus.sources) + block("forbidden_modules", corpus.forbidden)
    ini += "\n[importlinter:contract:acyclic]\nname = acyclic\ntype = acyclic_siblings\n"
    ini += block("ancestors", corpus.ancestors) + "depth = 0\n"
    (work / ".importlinter").write_text(ini)
    rules = [
        {"id": "layers", "type": "layers", "containers": [corpus.container], "layers": list(corpus.layers)},
        {
            "id": "forbidden",
            "type": "forbidden",
            "source_modules": list(corpus.sources),
            "forbidden_modules": list(corpus.forbidden),
        },
        {"id": "acyclic", "type": "acyclic", "level": "siblings", "containers": list(corpus.ancestors)},
    ]
    config = {"version": 1, "root": ["."], "packages": [corpus.package], "rules": rules}
    # JSON is YAML: no YAML writer needed. The main config switches the smells off, as import-linter
    # has none; fitness-smells.yaml keeps fitness' defaults to show what they cost.
    (work / "fitness-smells.yaml").write_text(json.dumps(config, indent=2) + "\n")
    (work / "fitness.yaml").write_text(json.dumps({**config, "analysis": NO_SMELLS}, indent=2) + "\n")
    return work


def tool_env(target: Path | None) -> dict[str, str]:
    """The environment both tools run in: the corpus on PYTHONPATH and bytecode caching on.

    A PYTHONDONTWRITEBYTECODE=1 inherited from the shell would make every run recompile the tools'
    own modules (fitness, installed editable, has no .pyc otherwise); the caches go to bench/work/.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    if target is not None:
        env["PYTHONPATH"] = str(target)
    return env


def run_once(cmd: list[str], cwd: Path, env: dict[str, str], sample: Sample | None = None) -> str:
    """Run ``cmd`` under /usr/bin/time; record wall time and peak RSS in ``sample``; return stdout.

    Exit 0 and 1 (violations found) are both fine; anything else aborts the benchmark.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        full = ["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd]
        start = time.perf_counter()
        done = subprocess.run(full, cwd=cwd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        kib = int(rss.read().split()[-1]) if done.returncode in (0, 1) else 0
    if done.returncode not in (0, 1):
        sys.exit(f"command failed ({done.returncode}): {' '.join(cmd)}\n{done.stdout[-2000:]}{done.stderr}")
    if sample is not None:
        sample.walls.append(wall)
        sample.rss_kib.append(kib)
    return done.stdout


def measure(cases: dict[str, list[str]], cwd: Path, env: dict[str, str], runs: int) -> dict[str, Sample]:
    """One untimed run of each case (warms the OS file cache, and the tool's cache in warm mode), then
    ``runs`` rounds of one timed run per case, interleaved so that background load hits every case alike."""
    for cmd in cases.values():
        run_once(cmd, cwd, env)
    samples = {label: Sample(label) for label in cases}
    for _ in range(runs):
        for label, cmd in cases.items():
            run_once(cmd, cwd, env, samples[label])
    for sample in samples.values():
        print(
            f"  {sample.label:<22} median {sample.median:7.3f}s  min {min(sample.walls):7.3f}s  "
            f"peak {sample.peak_mib:7.1f} MiB",
            flush=True,
        )
    return samples


def bench_corpus(corpus: Corpus, target: Path, work: Path, runs: int) -> dict[str, Sample]:
    """Time every tool and mode on one corpus."""
    env = tool_env(target)
    fitness = [str(BIN / "fitness"), "check", str(target)]
    lint = [str(BIN / "lint-imports"), "--no-logo"]
    grimp_build = f"import grimp; grimp.build_graph({corpus.package!r}, cache_dir=None)"
    cases = {
        "lint-imports cold": [*lint, "--no-cache"],
        "lint-imports warm": lint,
        "fitness cold": [*fitness, "-c", str(work / "fitness.yaml"), "--no-cache"],
        "fitness warm": [*fitness, "-c", str(work / "fitness.yaml")],
        "fitness cold +smells": [*fitness, "-c", str(work / "fitness-smells.yaml"), "--no-cache"],
        "grimp build_graph": [str(BIN / "python"), "-c", grimp_build],
    }
    return measure(cases, work, env, runs)


# -- same violations --------------------------------------------------------------------------------
HEADER = re.compile(r"^(\S+)\n-+$", re.MULTILINE)
NOT_ALLOWED = re.compile(r"^(\S+) is not allowed to import (\S+?):$", re.MULTILINE)
NO_CYCLES = re.compile(r"^No cycles are allowed in (\S+?)\.$", re.MULTILINE)
CODES = {"FIT101": "layers", "FIT102": "forbidden", "FIT106": "acyclic"}

Violations = dict[str, set[str]]  # contract -> {"importer -> imported"} or {"package"} for acyclic


def lint_imports_violations(output: str) -> Violations:
    """Broken pairs per contract from lint-imports' text report (the 'Broken contracts' section)."""
    found: Violations = {"layers": set(), "forbidden": set(), "acyclic": set()}
    _, _, broken = output.partition("Broken contracts\n----------------")
    sections = HEADER.split(broken)[1:]  # [name, body, name, body, ...]
    for name, body in zip(sections[::2], sections[1::2], strict=True):
        if name in found:
            found[name].update(f"{a} -> {b}" for a, b in NOT_ALLOWED.findall(body))
            found[name].update(NO_CYCLES.findall(body))
    return found


def fitness_violations(document: dict) -> Violations:
    """Broken pairs per rule from `fitness check --format json`.

    Layers and forbidden name (importer, imported) in ``subjects``; an acyclic (siblings) finding names
    the members of one cyclic component, all children of the container, which is what lint-imports names.
    """
    found: Violations = {"layers": set(), "forbidden": set(), "acyclic": set()}
    for finding in document["findings"]:
        rule = CODES.get(finding["code"])
        if rule is None or finding["rule"] != rule:
            continue
        if rule == "acyclic":
            found[rule].add(finding["subjects"][0].rpartition(".")[0])  # members are the children
        else:  # a finding folding one importer's violations (ADR 12) lists each in ``parts``
            for part in finding.get("parts") or [finding]:
                found[rule].add(" -> ".join(part["subjects"][:2]))
    return found


def compare(corpus: Corpus, target: Path, work: Path) -> list[str]:
    """Run both tools once more, print per-contract agreement, return the differences found."""
    env = tool_env(target)
    report_text = run_once([str(BIN / "lint-imports"), "--no-logo"], work, env)
    lint = lint_imports_violations(report_text)
    cmd = [str(BIN / "fitness"), "check", str(target), "-c", str(work / "fitness.yaml"), "--format", "json"]
    ours = fitness_violations(json.loads(run_once(cmd, work, env)))
    problems = []
    for contract in lint:
        missing, extra = lint[contract] - ours[contract], ours[contract] - lint[contract]
        verdict = "same" if not missing and not extra else "DIFFERENT"
        print(
            f"  {contract:<10} {verdict}: {len(lint[contract])} broken in lint-imports, "
            f"{len(ours[contract])} in fitness"
        )
        if not lint[contract] and re.search(rf"^{contract} BROKEN", report_text, re.MULTILINE):
            problems.append(f"{corpus.name}/{contract}: broken, but no violation parsed from lint-imports")
        problems += [f"{corpus.name}/{contract}: fitness misses {item}" for item in sorted(missing)]
        problems += [f"{corpus.name}/{contract}: fitness adds {item}" for item in sorted(extra)]
    return problems


# -- report -----------------------------------------------------------------------------------------
def version_of(*cmd: str) -> str:
    """First line a tool prints for its version."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    return (done.stdout or done.stderr).strip().splitlines()[0]


def report(results: dict[str, dict[str, Sample]], files: dict[str, int], version: Sample, runs: int) -> str:
    """The results as Markdown: machine, timings per corpus and tool, and the ratios."""
    lines = [
        f"Run {datetime.date.today()} on {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{version_of(str(BIN / 'fitness'), '--version')}, {version_of(str(BIN / 'lint-imports'), '--version')}, "
        f"grimp {version_of(str(BIN / 'python'), '-c', 'import grimp; print(grimp.__version__)')}; "
        f"median of {runs} runs after one untimed run.",
        "",
        "| corpus | .py files | tool / mode | median s | min s | peak MiB |",
        "| --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for name, samples in results.items():
        for sample in samples.values():
            lines.append(
                f"| {name} | {files[name]} | {sample.label} | {sample.median:.3f} | "
                f"{min(sample.walls):.3f} | {sample.peak_mib:.1f} |"
            )
    lines.append(
        f"| - | - | fitness --version | {version.median:.3f} | {min(version.walls):.3f} | "
        f"{version.peak_mib:.1f} |"
    )
    lines += [
        "",
        "| corpus | cold fitness/lint-imports | warm fitness/lint-imports | peak memory fitness/lint-imports "
        "| cold fitness/grimp build | cold +smells/lint-imports |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in results.items():
        fit, lint = s["fitness cold"], s["lint-imports cold"]
        lines.append(
            f"| {name} | {fit.median / lint.median:.2f} | "
            f"{s['fitness warm'].median / s['lint-imports warm'].median:.2f} | "
            f"{fit.peak_mib / lint.peak_mib:.2f} | {fit.median / s['grimp build_graph'].median:.2f} | "
            f"{s['fitness cold +smells'].median / lint.median:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    """Install, time, compare, report; exit 1 when the tools disagree on a violation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=sorted(ALL_CORPORA), help="repeatable")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool and mode (default 5)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    ensure_venv()
    results: dict[str, dict[str, Sample]] = {}
    files: dict[str, int] = {}
    problems: list[str] = []
    for name in args.corpus or list(ALL_CORPORA):
        corpus = ALL_CORPORA[name]
        target, work = ensure_corpus(corpus), write_configs(corpus)
        files[name] = sum(1 for _ in (target / corpus.package).rglob("*.py"))
        print(f"{name} ({corpus.requirement}, {files[name]} .py files)", flush=True)
        results[name] = bench_corpus(corpus, target, work, args.runs)
        problems += compare(corpus, target, work)
    version_case = {"fitness --version": [str(BIN / "fitness"), "--version"]}
    version = measure(version_case, REPO, tool_env(None), args.runs)["fitness --version"]
    text = report(results, files, version, args.runs)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(text)
    print("\n" + text)
    print(f"(written to {RESULTS / 'latest.md'})")
    for problem in problems:
        print(problem)
    print("violations: " + ("DIFFERENT" if problems else "same in both tools on every contract"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
