"""What every rule type shares: option declarations, config checks, and building findings."""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast, get_args

from fitness.model import Finding, FitnessError, Location
from fitness.model.analysis import Metrics
from fitness.model.findings import Chain
from fitness.model.patterns import compile_pattern, expand, is_pattern
from fitness.model.rulespec import RuleSpec
from fitness.model.views import ImportView

if TYPE_CHECKING:  # built on first use: only service rules need it
    from fitness.model.service_view import ServiceView

# Option kinds: "str", "int", "float", "bool", "str_list" (a string or a list of strings),
# "modules" (a str_list whose entries must name modules that exist; * and ** allowed), "any".
_KIND_TEXT = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "str_list": "a list of strings",
    "modules": "a list of module names",
    "any": "a value",
}


class Need(str, Enum):
    """What a rule type needs collected before it can run, declared in ``RuleType.needs``.

    The pipeline reads the needs of every configured rule type (``fitness.rules.evaluate.rule_needs``),
    built in or plugin, and collects accordingly::

        class NoOrmInViews(RuleType):
            needs = frozenset({Need.EXTERNAL_IMPORTS})
    """

    HISTORY = "history"  # git history (churn, co-change); a warning when it cannot be read
    EXTERNAL_IMPORTS = "external-imports"  # third-party imports kept as external:<name> nodes
    GRANULARITY = "granularity"  # the granularity table: metrics["services"], summary.granularity
    METRICS = "metrics"  # package metrics in context.metrics["packages"] (instability, fan-in, fan-out)
    SERVICES = "services"  # services in the model; a config error (exit 2) when none are found


@dataclass(frozen=True)
class Option:
    """One key a rule type accepts in fitness.yaml: its kind (above), whether it is required, its default
    and the help text that ``fitness explain``, ``fitness schema`` and the README show."""

    name: str
    kind: str
    required: bool = False
    default: object = None
    help: str = ""


# option name -> value, as ``RuleType.parse_options`` checked and coerced it
OptionValues = dict[str, object]

# the options dataclass of a rule type: ``class Forbidden(RuleType[ForbiddenOptions])``
OptionsT = TypeVar("OptionsT", covariant=True)


@dataclass(frozen=True)
class NoOptions:
    """The options of a rule type that takes none."""


@dataclass
class RuleContext:
    """What a rule may look at: the import graph (minus this rule's ignores) and the metrics."""

    view: ImportView
    metrics: Metrics = field(default_factory=dict)
    package_depth: int = 2
    _services: ServiceView | None = field(default=None, repr=False)

    @property
    def services(self) -> ServiceView:
        """The service-level view (services, calls, events, tables), built on first use."""
        if self._services is None:
            from fitness.model.service_view import ServiceView

            self._services = ServiceView.from_graph(self.view.graph)
        return self._services

    @property
    def built_services(self) -> ServiceView | None:
        """The service view if a rule has asked for it (for the next rules to share), else None."""
        return self._services


class RuleType(Generic[OptionsT]):
    """Base class of rule types. Subclasses set the class variables and implement ``check``.

    ``name`` is what users write as ``type:``; ``code`` is the stable finding code (FIT1xx).

    Options are declared twice, and the two must name the same keys (checked when the class is defined):
    ``options``, the ``Option`` of each key (kind, default, help: what validation, ``fitness schema`` and
    the README read), and a frozen dataclass with one typed field per option, given as the type argument::

        @dataclass(frozen=True)
        class ForbiddenOptions:
            source_modules: list[str]
            forbidden_modules: list[str]
            allow_indirect: bool

        class Forbidden(RuleType[ForbiddenOptions]):
            options = (Option("source_modules", "modules", required=True), ...)

    ``self.opts`` is then a ``ForbiddenOptions`` built from the values ``parse_options`` checked and
    coerced, so mypy checks every read (``self.opts.allow_indirect``). A rule type without the type
    argument (``class NoUtils(RuleType)``, plugins written before) gets ``self.opts`` as a dict.
    """

    name: ClassVar[str] = ""
    code: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    options: ClassVar[tuple[Option, ...]] = ()
    example: ClassVar[str] = ""
    advice: ClassVar[str] = ""
    needs: ClassVar[frozenset[Need]] = frozenset()
    # the options dataclass, from the type argument; None: ``opts`` is a dict
    options_class: ClassVar[type[object] | None] = None

    def __init__(self, spec: RuleSpec, options: Mapping[str, object]) -> None:
        self.spec = spec
        self.opts: OptionsT = cast(OptionsT, self.build_options(options))

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for base in cls.__dict__.get("__orig_bases__", ()):
            declared = [arg for arg in get_args(base) if isinstance(arg, type) and is_dataclass(arg)]
            if declared:
                cls.options_class = declared[0]
        if cls.options_class is not None:
            _check_options_class(cls, cls.options_class)

    @classmethod
    def build_options(cls, values: Mapping[str, object]) -> object:
        """``values`` (from ``parse_options``) as an ``options_class`` instance; a dict without one."""
        if cls.options_class is None:
            return dict(values)
        make: Callable[..., object] = cls.options_class
        return make(**{option.name: values.get(option.name) for option in cls.options})

    def option_value(self, name: str) -> object:
        """One option's value by name, whether ``opts`` is a dataclass or a dict (for generic checks)."""
        opts: object = self.opts
        if isinstance(opts, Mapping):
            return opts.get(name)
        return getattr(opts, name, None)

    @classmethod
    def requirements(cls) -> frozenset[Need]:
        """``needs``, plus the flags plugin rule types written before it may still set
        (``needs_external = True``, ``needs_granularity = True``)."""
        legacy = {
            need
            for flag, need in (
                ("needs_external", Need.EXTERNAL_IMPORTS),
                ("needs_granularity", Need.GRANULARITY),
            )
            if getattr(cls, flag, False) is True
        }
        return frozenset(cls.needs) | legacy

    # -- configuration ------------------------------------------------------------------------
    @classmethod
    def parse_options(cls, spec: RuleSpec) -> tuple[OptionValues, list[FitnessError]]:
        """Type-check the rule's own keys; unknown keys get a did-you-mean."""
        errors: list[FitnessError] = []
        known = {option.name: option for option in cls.options}
        for key in spec.options:
            if key not in known:
                close = difflib.get_close_matches(key, [*known, "ignore", "because"], n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                errors.append(_error(spec, key, f"unknown key {key!r} for rule type {cls.name!r}{hint}"))
        values: OptionValues = {}
        for option in cls.options:
            if option.name not in spec.options or spec.options[option.name] is None:
                if option.required:
                    errors.append(
                        FitnessError(
                            f"rule {spec.id!r} ({cls.name}) needs {option.name!r}", spec.source, spec.line
                        )
                    )
                values[option.name] = option.default
                continue
            value, ok = _coerce(spec.options[option.name], option.kind)
            if not ok:
                errors.append(_error(spec, option.name, f"{option.name}: expected {_KIND_TEXT[option.kind]}"))
            values[option.name] = value
        return values, errors

    def check_config(self, view: ImportView) -> list[FitnessError]:
        """Every ``modules`` option must name modules that exist, and a rule that needs services must
        find some. Override to check more."""
        errors: list[FitnessError] = []
        for option in self.options:
            value = self.option_value(option.name)
            if option.kind == "modules" and isinstance(value, list):
                errors.extend(self.missing_modules(view, option.name, [str(name) for name in value]))
        if Need.SERVICES in self.requirements() and not _has_services(view):
            errors.append(
                FitnessError(
                    f"rule {self.spec.id!r} ({self.name}): no services found; declare them under "
                    "'services:' or add a docker-compose.yml or Kubernetes manifests",
                    self.spec.source,
                    self.spec.line,
                )
            )
        return errors

    def missing_modules(self, view: ImportView, option: str, names: Iterable[str]) -> list[FitnessError]:
        errors = []
        for name in names:
            try:
                found = expand(name, view.modules) if is_pattern(name) else name in view.modules
            except FitnessError as error:
                errors.append(_error(self.spec, option, error.message))
                continue
            if not found:
                close = difflib.get_close_matches(name, sorted(view.modules), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                errors.append(_error(self.spec, option, f"{option}: no module {name!r}{hint}"))
        return errors

    # -- evaluation ---------------------------------------------------------------------------
    def check(self, context: RuleContext) -> list[Finding]:
        raise NotImplementedError

    def finding(
        self,
        message: str,
        subjects: Sequence[str],
        chains: Sequence[Chain] = (),
        fix: str = "",
        locations: Sequence[Location] | None = None,
        data: dict[str, Any] | None = None,
        imports: Iterable[tuple[str, str]] = (),
    ) -> Finding:
        """A finding of this rule, located at the first link of each chain unless told otherwise: the
        first location is the first link of the first chain (where SARIF and annotations point).

        ``imports`` are the module imports behind it (``Routes.ways_in``), hashed into its fingerprint.
        """
        if locations is None:
            starts = (Location(c[0].path, c[0].line) for c in chains if c and c[0].path)
            locations = list(dict.fromkeys(starts))
        return Finding(
            code=self.code,
            rule=self.spec.id,
            severity=self.spec.severity,
            message=message,
            subjects=tuple(subjects),
            locations=tuple(locations),
            chains=tuple(chains),
            fix=fix,
            because=self.spec.because,
            adr=self.spec.adr,
            data=data or {},
            imports=tuple(sorted(set(imports))),
        )


def modules_of(view: ImportView, names: Iterable[str]) -> set[str]:
    """Expand names and patterns to modules, each name including its descendants (a package = subtree)."""
    result: set[str] = set()
    for module in roots_of(view, names):
        result.update(subtree(view, module))
    return result


def roots_of(view: ImportView, names: Iterable[str]) -> list[str]:
    """Names with patterns expanded, in order, without repeats (plain names are kept even if missing)."""
    result: dict[str, None] = {}
    for name in names:
        for module in expand(name, view.modules) if is_pattern(name) else [name]:
            result.setdefault(module)
    return list(result)


def subtree(view: ImportView, package: str) -> list[str]:
    """Same as ``view.descendants(package)`` but by bisection: rules call it per layer and per container."""
    names = _sorted_modules(view.modules)
    # "." sorts before every character a module name may hold, and "/" right after it.
    below = list(names[bisect_left(names, package + ".") : bisect_left(names, package + "/")])
    return [package, *below] if package in view.modules else below


@lru_cache(maxsize=8)
def _sorted_modules(modules: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(modules))


def choice_errors(
    spec: RuleSpec, values: Mapping[str, object], key: str, choices: Sequence[str]
) -> list[FitnessError]:
    """An error when option ``key`` is set to something outside ``choices``."""
    value = values.get(key)
    if value is None or value in choices:
        return []
    return [_error(spec, key, f"{key}: expected one of {', '.join(choices)}, got {value!r}")]


def range_errors(
    spec: RuleSpec, values: Mapping[str, object], key: str, lowest: float, highest: float | None = None
) -> list[FitnessError]:
    """An error when the number option ``key`` is outside ``lowest``..``highest``."""
    value = values.get(key)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return []
    if value < lowest:
        return [_error(spec, key, f"{key}: must be at least {lowest:g}, got {value!r}")]
    if highest is not None and value > highest:
        return [_error(spec, key, f"{key}: must be at most {highest:g}, got {value!r}")]
    return []


def _check_options_class(rule_type: type[RuleType[object]], options_class: type[object]) -> None:
    """The options dataclass must have exactly one field per declared option: a rule type whose two
    declarations drift apart fails when it is defined, not when a user's config reaches it."""
    names = [item.name for item in fields(options_class)] if is_dataclass(options_class) else []
    declared = [option.name for option in rule_type.options]
    if sorted(names) != sorted(declared):
        raise TypeError(
            f"{rule_type.__name__}: the fields of {options_class.__name__} ({', '.join(names) or 'none'}) "
            f"must be its options ({', '.join(declared) or 'none'})"
        )


def _coerce(value: object, kind: str) -> tuple[object, bool]:
    if kind == "any":
        return value, True
    if kind in ("str_list", "modules"):
        if isinstance(value, str):
            return [value], True
        if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            return value, False
        if kind == "modules":
            for item in value:
                try:
                    compile_pattern(item)
                except FitnessError:
                    return value, False
        return value, True
    if kind == "bool":
        return value, isinstance(value, bool)
    if kind == "int":
        return value, isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value), True
        return value, False
    return value, isinstance(value, str)


def _error(spec: RuleSpec, key: str, message: str) -> FitnessError:
    return FitnessError(f"rule {spec.id!r}: {message}", spec.source, spec.option_line(key))


def _has_services(view: ImportView) -> bool:
    from fitness.model.service_view import judged_services

    return bool(judged_services(view.graph))
