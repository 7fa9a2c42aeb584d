"""The remedies catalogue: for each kind of smell, the options a team has and what each costs.

One data module, read by ``fitness adr draft``. A finding is matched to a kind by its code or, for
detectors added later, by its rule name (``shared-tables``, ``sync-chains`` ...), so a new detector
gets drafts by adding one line to BY_CODE or naming its rule after a kind here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Remedy:
    title: str
    description: str
    good: tuple[str, ...]
    bad: tuple[str, ...]


@dataclass(frozen=True)
class SmellKind:
    name: str
    title: str  # of the draft: {subject} (the finding's subjects, joined) or {message}
    problem: str  # why it matters, one paragraph
    remedies: tuple[Remedy, ...]


_INVERT = Remedy(
    "Invert the dependency",
    "Define an interface (a protocol, an abstract class, a callback or an event) in the module that must "
    "not know the other, and implement it on the other side; wire the two together at start-up.",
    (
        "both sides keep their code; the dependency now points the way the architecture says",
        "the lower module can be tested with a fake instead of the real implementation",
    ),
    ("one more abstraction to name, read and keep in step", "wiring moves to a composition root"),
)
_MOVE_DOWN = Remedy(
    "Move the code down",
    "Move what the lower module needs (a type, a constant, a function) into that module or below it, "
    "so the import is no longer needed.",
    ("the simplest fix when the needed piece is small and has no upward dependencies of its own",),
    ("the moved code may drag its own dependencies along", "callers of the old location must change"),
)
_CHANGE_RULE = Remedy(
    "Change the rule",
    "Decide that this dependency is acceptable: add an ignore with the reason (this ADR), or redraw the "
    "layers or the forbidden list so the rule says what the team now means.",
    ("records reality instead of fighting it", "no code moves"),
    (
        "the architecture erodes one exception at a time",
        "every later reader must know the exception and its reason",
    ),
)

KINDS: dict[str, SmellKind] = {
    kind.name: kind
    for kind in (
        SmellKind(
            "cycle",
            "Break the import cycle between {subject}",
            "Modules in a cycle cannot be understood, tested, reused or released one without the other; "
            "any change to one may ripple around the whole loop.",
            (
                _INVERT,
                Remedy(
                    "Merge the modules",
                    "If the modules are really one concept, make them one module (or one package).",
                    ("honest when the split was artificial", "no new abstraction"),
                    ("a bigger module", "hides a boundary that may matter later"),
                ),
                Remedy(
                    "Move the shared piece to a third module",
                    "Extract what both sides use into a new, lower module that both import and that imports "
                    "neither.",
                    ("smallest change when the cycle exists because of one shared type or helper",),
                    ("risk of a catch-all 'common' or 'utils' module that everything depends on",),
                ),
            ),
        ),
        SmellKind(
            "layer-violation",
            "Resolve the layer violation: {message}",
            "A lower layer that imports a higher one can no longer be used, tested or changed without it; "
            "the layering the team agreed on stops being true.",
            (_MOVE_DOWN, _INVERT, _CHANGE_RULE),
        ),
        SmellKind(
            "forbidden-dependency",
            "Resolve the forbidden dependency: {message}",
            "A dependency the team ruled out exists; what the rule protects (testability, independent "
            "deployment, a pure core) no longer holds.",
            (_INVERT, _MOVE_DOWN, _CHANGE_RULE),
        ),
        SmellKind(
            "public-api",
            "Use the public interface: {message}",
            "Code outside a package reaches into its internals, so the package can no longer change them "
            "without breaking its users.",
            (
                Remedy(
                    "Export it through the interface",
                    "Re-export what the caller needs from the package's public module, and import it from there.",
                    ("the package decides what is public", "a one-line change for callers"),
                    ("the public surface grows; it must then stay stable",),
                ),
                Remedy(
                    "Move the caller's code into the package",
                    "If the caller needs the internals, the code may belong inside the package.",
                    ("keeps the interface small",),
                    ("the package grows; ownership may blur",),
                ),
                _CHANGE_RULE,
            ),
        ),
        SmellKind(
            "instability",
            "Make {subject} depend on more stable packages",
            "A package that many depend on depends on packages that change more often than it does "
            "(Stable Dependencies Principle): their changes ripple into everything that uses it.",
            (
                _INVERT,
                Remedy(
                    "Move the volatile code out",
                    "Move the code that needs the unstable packages into a less stable package of its own.",
                    ("the stable package stays small and stable",),
                    ("one more package",),
                ),
                _CHANGE_RULE,
            ),
        ),
        SmellKind(
            "hub",
            "Split the hub {subject}",
            "A package that both depends on much of the system and is depended on by much of it passes "
            "every change through itself.",
            (
                Remedy(
                    "Split by responsibility",
                    "Separate what the dependents use from what needs the dependencies, so each part is "
                    "either depended on or dependent.",
                    ("changes stop flowing through one package",),
                    ("a refactoring across many callers",),
                ),
                Remedy(
                    "Put a facade in front of it",
                    "Give dependents a small interface and hide the rest.",
                    ("callers see less",),
                    ("the hub remains inside",),
                ),
                _CHANGE_RULE,
            ),
        ),
        SmellKind(
            "fan-out",
            "Reduce what {subject} depends on",
            "A module that imports many others breaks whenever any of them changes, and does too much.",
            (
                Remedy(
                    "Split the module by responsibility",
                    "Each part imports only what it needs.",
                    ("smaller, focused modules",),
                    ("more files",),
                ),
                Remedy(
                    "Put a facade in front of what it uses together",
                    "One import instead of many.",
                    ("fewer dependencies to track",),
                    ("an extra layer of indirection",),
                ),
                _CHANGE_RULE,
            ),
        ),
        SmellKind(
            "shared-table",
            "Give the table {subject} one owner",
            "Several services write (or read) the same table: every schema change needs every team, and the "
            "services cannot be deployed or scaled alone.",
            (
                Remedy(
                    "Database per service behind an API",
                    "One service owns the table; the others call its API instead of reading the table.",
                    ("sole ownership: one team decides the schema", "services deploy alone"),
                    (
                        "a network call where a join was",
                        "the owner's availability now matters to the callers",
                    ),
                ),
                Remedy(
                    "Replicate through events with an outbox",
                    "The owner publishes changes (transactional outbox); readers keep their own copy, "
                    "updated by an idempotent consumer.",
                    ("readers are independent of the owner's availability",),
                    ("eventual consistency", "more moving parts: outbox, consumer, replay"),
                ),
                Remedy(
                    "Declare common ownership of reference data",
                    "One writer, read-only for all others, declared in the architecture rules.",
                    ("cheap for slow-moving reference data",),
                    ("readers stay coupled to the schema",),
                ),
            ),
        ),
        SmellKind(
            "sync-chain",
            "Shorten the synchronous call chain {subject}",
            "Availability multiplies and latency adds up along a chain of synchronous calls; a long chain "
            "usually means a service is missing data it should own.",
            (
                Remedy(
                    "Replace calls with events",
                    "Publish what happened; let the others react.",
                    ("callers no longer wait", "failures stay local"),
                    ("eventual consistency", "the flow is harder to follow"),
                ),
                Remedy(
                    "Own a replica of the data",
                    "The caller keeps the data it keeps asking for, fed by events.",
                    ("no call at all on the hot path",),
                    ("data to keep in sync",),
                ),
                Remedy(
                    "Harden every remaining hop",
                    "Timeouts, circuit breakers and fallbacks on each call.",
                    ("no redesign",),
                    ("the coupling stays; only its failure modes are contained",),
                ),
            ),
        ),
        SmellKind(
            "event-cycle",
            "Give the event cycle between {subject} an owner",
            "Services that react to each other's events in a loop form a flow nobody owns: hard to follow, "
            "to test, and to stop when it misbehaves.",
            (
                Remedy(
                    "Orchestrate the flow",
                    "One service (or a saga orchestrator) owns the flow and tells each step what to do; "
                    "every step and its compensation idempotent.",
                    ("the flow is written down in one place", "failures have one owner"),
                    ("the orchestrator becomes a dependency of every step",),
                ),
                Remedy(
                    "Merge the reactions",
                    "If two services always react to each other, the behaviour may belong in one of them.",
                    ("no loop at all",),
                    ("a bigger service",),
                ),
                Remedy(
                    "Break one reaction",
                    "Replace one event reaction with a query or an explicit command, so the loop opens.",
                    ("a small change",),
                    ("adds a synchronous dependency",),
                ),
            ),
        ),
        SmellKind(
            "distributed-monolith",
            "Decide what to do with the distributed monolith {subject}",
            "Services that cannot change or deploy alone pay the costs of distribution without its benefits.",
            (
                Remedy(
                    "Merge what must deploy together",
                    "One service where there were several that always change together.",
                    ("no distributed transactions, no chatty calls",),
                    ("a bigger deployable", "team boundaries to redraw"),
                ),
                Remedy(
                    "Cut the coupling signals one by one",
                    "Shared tables, shared code, synchronous cycles: remove each with its own remedy.",
                    ("keeps the services",),
                    ("a long programme of work",),
                ),
            ),
        ),
    )
}

BY_CODE = {
    "FIT101": "layer-violation",
    "FIT102": "forbidden-dependency",
    "FIT103": "forbidden-dependency",
    "FIT104": "forbidden-dependency",
    "FIT105": "public-api",
    "FIT106": "cycle",
    "FIT107": "forbidden-dependency",
    "FIT108": "fan-out",
    "FIT109": "instability",
    "FIT110": "cycle",
    "FIT120": "shared-table",
    "FIT121": "shared-table",
    "FIT122": "shared-table",
    "FIT123": "forbidden-dependency",
    "FIT124": "sync-chain",
    "FIT125": "sync-chain",
    "FIT126": "event-cycle",
    "FIT127": "distributed-monolith",
    "FIT201": "cycle",
    "FIT202": "cycle",
    "FIT203": "hub",
    "FIT204": "instability",
    "FIT301": "shared-table",
    "FIT303": "shared-table",
    "FIT304": "shared-table",
    "FIT305": "forbidden-dependency",
    "FIT307": "sync-chain",
    "FIT308": "sync-chain",
    "FIT309": "event-cycle",
    "FIT311": "distributed-monolith",
}
BY_RULE = {  # detectors whose code is not above yet, by the name of the rule or smell
    "shared-table": "shared-table",
    "shared-tables": "shared-table",
    "shared-database": "shared-table",
    "sync-chain": "sync-chain",
    "sync-chains": "sync-chain",
    "event-cycle": "event-cycle",
    "event-cycles": "event-cycle",
    "distributed-monolith": "distributed-monolith",
}

GENERIC = SmellKind(
    "finding",
    "Decide how to resolve: {message}",
    "fitness reported this finding; decide whether to fix it or accept it, and record why.",
    (
        Remedy(
            "Fix it as fitness suggests",
            "Apply the fix printed with the finding.",
            ("the rule holds again",),
            ("the change may be larger than it looks",),
        ),
        _CHANGE_RULE,
    ),
)


def kind_of(code: str, rule: str) -> SmellKind:
    """The smell kind of a finding (GENERIC when the catalogue does not know it)."""
    name = BY_CODE.get(code) or BY_RULE.get(rule.replace("_", "-"))
    return KINDS[name] if name else GENERIC
