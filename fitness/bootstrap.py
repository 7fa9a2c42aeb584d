"""What ``fitness init`` does: discover the system as ``fitness check`` will, leave out what is not the
application, find its units and the rules they nearly keep, and check the config that says so with the
loader and pipeline ``check`` uses; what that finds today becomes the baseline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.model import Analysis, FitnessError
from fitness.model.views import ImportView
from fitness.pipeline import Options, run

if TYPE_CHECKING:
    from fitness.collect.python.django_project import DjangoProject
    from fitness.model.layout import Exclusion, ProposedRule, StarterPlan, Units
    from fitness.model.summary import Summary

BASELINE_NAME = "fitness-baseline.json"


@dataclass(frozen=True)
class Starter:
    """What ``fitness init`` writes: the config, and the baseline of what its rules find today (None
    when they find nothing), with the plan behind both."""

    config: str
    baseline: str | None
    plan: StarterPlan
    known: int = 0

    def report(self, folder: Path) -> list[str]:
        """What init says it wrote: ``wrote fitness.yaml: 3 rules over 12 Django apps ...``."""
        from fitness.config.starter import rule_count

        plan = self.plan
        units = plan.units
        over = f" over {len(units.names)} {_UNIT_WORDS[units.kind]} at depth {units.depth}" if units else ""
        left = sum(exclusion.modules for exclusion in plan.exclusions)
        kinds = ", ".join(dict.fromkeys(exclusion.kind for exclusion in plan.exclusions))
        lines = [
            f"wrote {folder / 'fitness.yaml'}: {_count(rule_count(plan), 'rule')}{over} "
            f"({plan.modules} modules; {left} left out{': ' + kinds if kinds else ''})"
        ]
        if self.baseline is not None:
            lines.append(
                f"wrote {folder / BASELINE_NAME}: {_count(self.known, 'finding')} known today; "
                "`fitness check` fails only on new ones"
            )
        return lines


_UNIT_WORDS = {"apps": "Django apps", "packages": "root packages", "subpackages": "subpackages"}


def starter(root: Path, source_root: str | None = None) -> Starter:
    """Discover the system at ``root`` (its source folder ``source_root`` when given), leave out what is
    not the application, find its units and the rules they nearly keep, and check the config that says
    so with the loader and pipeline ``fitness check`` uses: what it finds today is the baseline."""
    from fitness.config.loader import config_from_text
    from fitness.config.settings import Config
    from fitness.config.starter import starter_yaml
    from fitness.model.layout import StarterPlan
    from fitness.pipeline import baseline_text

    if source_root is not None and not (root / source_root).is_dir():
        raise FitnessError(f"--root {source_root}: no such folder", str(root))
    first = run(root, Options(cache=False), config=Config(root=str(root), source_roots=_given(source_root)))
    summary = first.summary
    excluded, unlisted, django = _not_the_application(root, first)
    config = Config(
        root=str(root),
        source_roots=tuple(summary.source_roots),
        packages=tuple(summary.packages),
        exclude=tuple(exclusion.pattern for exclusion in excluded),
    )
    view = ImportView.from_graph(run(root, Options(cache=False), config=config).graph)
    found, rules, sketch = _proposals(view, summary, django)
    plan = StarterPlan(
        source_roots=tuple(summary.source_roots),
        packages=tuple(summary.packages),
        modules=summary.modules,
        found=_found(django, summary.packages, summary.modules),
        exclusions=tuple(excluded),
        unlisted_tests=unlisted,
        units=found,
        rules=tuple(rules),
        sketch=sketch,
        services=tuple(summary.services),
        datastores=tuple(summary.datastores),
        baseline=BASELINE_NAME,
    )
    text = starter_yaml(plan)
    checked = run(
        root,
        Options(cache=False, config_baseline=False),
        config=config_from_text(root, text, root / "fitness.yaml"),
    )
    if not checked.findings:
        plan = replace(plan, baseline="")
        return Starter(starter_yaml(plan), None, plan)
    return Starter(text, baseline_text(checked), plan, len(checked.findings))


def _proposals(
    view: ImportView, summary: Summary, django: DjangoProject
) -> tuple[Units | None, list[ProposedRule], ProposedRule | None]:
    """The units (None when there are fewer than two, or they are separate services' code), the rules
    proposed over them, and a layering too far from holding to propose (written commented out)."""
    from fitness.model.layout import choose_units, own_apps
    from fitness.rules.propose import acyclic_rule, propose_rules

    packages = [module for module in view.modules if view.is_package(module)]
    apps = own_apps(django.installed_apps, django.app_configs, packages, summary.packages)
    units = choose_units(view.modules, packages, summary.packages, apps)
    if len(units.names) < 2 or _services_code(units, summary.source_roots, summary.services):
        return None, ([acyclic_rule(view, summary.package_depth)] if view.modules else []), None
    rules, sketch = propose_rules(view, units, units.depth)
    return units, rules, sketch


def _services_code(units: Units, source_roots: Sequence[str], services: Sequence[str]) -> bool:
    """Whether the units are the code of separate services (root packages in service folders of their
    own): the service rules judge those, not layers or independence of packages."""
    return len(services) >= 2 and units.kind == "packages" and len(source_roots) > 1


def _given(source_root: str | None) -> tuple[str, ...]:
    return (source_root,) if source_root is not None else ()


def _not_the_application(root: Path, analysis: Analysis) -> tuple[list[Exclusion], int, DjangoProject]:
    """Tests, migrations, settings and generated modules of ``analysis`` as exclude lines, the test
    modules left unlisted, and what the Django files say."""
    from fitness.collect.python.django_project import read_django
    from fitness.collect.python.generated import generated_modules
    from fitness.model.graph import NodeKind
    from fitness.model.layout import exclusions

    files = {node.name: str(node.attrs.get("path", "")) for node in analysis.graph.nodes(NodeKind.MODULE)}
    packages = {node.name for node in analysis.graph.nodes(NodeKind.MODULE) if node.attrs.get("is_package")}
    django = read_django(root, analysis.summary.source_roots, files)
    code = {module: path for module, path in files.items() if "migrations" not in module.split(".")}
    settings = _settings_modules(django.settings, packages)
    excluded, unlisted = exclusions(files, packages, settings, generated_modules(root, code))
    return excluded, unlisted, django


def _settings_modules(settings: Iterable[str], packages: set[str]) -> list[str]:
    """The settings modules to leave out: a ``settings`` package whole, never a root package nor a
    package's ``__init__`` that happens to set INSTALLED_APPS (a reusable app's default list)."""
    found = []
    for module in settings:
        parent, _, last = module.rpartition(".")
        if not parent or (module in packages and "settings" not in last):
            continue
        found.append(parent if parent.rpartition(".")[2] == "settings" else module)
    return sorted(set(found))


def _found(django: DjangoProject, packages: Sequence[str], modules: int) -> str:
    """``a Django project (manage.py; INSTALLED_APPS in site.settings), 2 root packages, 651 modules``."""
    roots = f"{_count(len(packages), 'root package')}, {modules} modules"
    parts = [*django.manage]
    if django.settings:
        parts.append("INSTALLED_APPS in " + ", ".join(django.settings))
    if parts:
        return f"a Django project ({'; '.join(parts)}), {roots}"
    if django.app_configs:
        return f"{_count(len(django.app_configs), 'Django app')} (an AppConfig in apps.py), {roots}"
    return roots


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
