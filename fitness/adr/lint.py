"""``fitness adr lint``: everything wrong in an ADR folder, as problems with file:line, for CI.

Errors fail the build (exit 1); warnings do not, unless ``--strict``. Output: text for a person,
JSON for a machine, and GitHub workflow annotations (``::error file=...,line=...::message``).
"""

from __future__ import annotations

import difflib
import json
from collections import Counter

from fitness.adr.folder import AdrFolder, display
from fitness.adr.records import GOOD_FILE_NAME, MADR_SECTIONS, NYGARD_SECTIONS, Problem, Record, valid_date
from fitness.model import FitnessError, Severity
from fitness.model.decisions import ADR_STATUSES

CODES = {
    "ADR001": "file name is not NNNN-lowercase-title.md, or the title's number differs from the file's",
    "ADR002": "two records share one number (two branches both added 0007)",
    "ADR003": "a gap in the numbering",
    "ADR004": "a required section is missing (Nygard: Status, Context, Decision, Consequences; "
    "MADR: Context and Problem Statement, Considered Options, Decision Outcome)",
    "ADR005": "a link to a file or record that does not exist",
    "ADR006": "superseded without the back-link (both records must name each other)",
    "ADR007": "no status, or a status other than Proposed, Accepted, Rejected, Deprecated, Superseded",
    "ADR008": "a date that is missing or not a real YYYY-MM-DD date",
    "ADR009": "invalid front matter (malformed YAML, not a mapping, wrong value types)",
    "ADR010": "no title, or an empty one",
    "ADR011": "the file cannot be read (permissions, not UTF-8)",
    "ADR012": "MADR: Decision Outcome does not open with 'Chosen option: \"...\", because ...'",
    "ADR013": "the index in README.md is out of date (run `fitness adr index`)",
}
FORMATS = ("text", "json", "github")


def lint(folder: AdrFolder) -> list[Problem]:
    """Every problem in ``folder``, sorted by file, line and code."""
    problems = [*folder.unreadable, *_strays(folder), *_duplicates(folder), *_gaps(folder)]
    numbers = set(folder.numbers())
    by_number = {record.number: record for record in folder.records}
    for record in folder.records:
        problems.extend(record.problems)
        problems.extend(_naming(record))
        problems.extend(_sections(record))
        problems.extend(_status(record))
        problems.extend(_date(record))
        problems.extend(_links(record, numbers))
        problems.extend(_supersede_pairs(record, by_number))
    problems.extend(_index(folder))
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.code, p.message))


def failed(problems: list[Problem], strict: bool = False) -> bool:
    floor = Severity.WARNING if strict else Severity.ERROR
    return any(problem.severity.at_least(floor) for problem in problems)


def render(problems: list[Problem], folder: AdrFolder, fmt: str) -> str:
    counts = Counter(problem.severity for problem in problems)
    if fmt == "json":
        document = {
            "folder": folder.display,
            "records": len(folder.records),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "problems": [problem.to_json() for problem in problems],
        }
        return json.dumps(document, indent=2, sort_keys=True) + "\n"
    if fmt == "github":
        return "".join(_annotation(problem) + "\n" for problem in problems)
    lines = [str(problem) for problem in problems]
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    verdict = "FAILED" if errors else "passed"
    lines.append(
        f"{verdict}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {len(folder.records)} ADRs ({folder.display})"
    )
    return "\n".join(lines) + "\n"


# -- checks ----------------------------------------------------------------------------------------


def _strays(folder: AdrFolder) -> list[Problem]:
    return [
        _warning(display(path), 0, "ADR001", "not named NNNN-title.md, so not read as an ADR")
        for path in folder.strays
    ]


def _duplicates(folder: AdrFolder) -> list[Problem]:
    by_number: dict[int, list[Record]] = {}
    for record in folder.records:
        by_number.setdefault(record.number, []).append(record)
    problems = []
    for number, records in by_number.items():
        for record in records if len(records) > 1 else []:
            others = ", ".join(r.name for r in records if r is not record)
            problems.append(_error(record.display, 1, "ADR002", f"number {number} is also used by {others}"))
    return problems


def _gaps(folder: AdrFolder) -> list[Problem]:
    numbers = sorted(set(folder.numbers()))
    if not numbers:
        return []
    missing = sorted(set(range(min(numbers[0], 1), numbers[-1] + 1)) - set(numbers))
    if not missing:
        return []
    shown = ", ".join(str(n) for n in missing[:10]) + (" ..." if len(missing) > 10 else "")
    return [_warning(folder.display, 0, "ADR003", f"numbers missing: {shown}")]


def _naming(record: Record) -> list[Problem]:
    problems = []
    if not GOOD_FILE_NAME.match(record.name):
        problems.append(_error(record.display, 0, "ADR001", "name it NNNN-lowercase-words.md (four digits)"))
    if record.format == "nygard" and record.title_line:
        if record.title_number is None:
            problems.append(
                _warning(
                    record.display,
                    record.title_line,
                    "ADR001",
                    f"title should read '# {record.number}. {record.title}' (adr-tools)",
                )
            )
        elif record.title_number != record.number:
            problems.append(
                _error(
                    record.display,
                    record.title_line,
                    "ADR001",
                    f"title says {record.title_number}, file name says {record.number}",
                )
            )
    if not record.title:
        problems.append(_error(record.display, record.title_line or 1, "ADR010", "no '# Title' line"))
    return problems


def _sections(record: Record) -> list[Problem]:
    required = MADR_SECTIONS if record.format == "madr" else NYGARD_SECTIONS
    problems = [
        _error(record.display, record.title_line or 1, "ADR004", f"missing section '## {name}'")
        for name in required
        if record.section(name) is None
    ]
    outcome = record.section("Decision Outcome")
    if record.format == "madr" and outcome is not None:
        lines = record.text.splitlines()
        first = next((line.strip() for line in lines[outcome.line :] if line.strip()), "")
        if not first.startswith("Chosen option:"):
            problems.append(
                _warning(
                    record.display,
                    outcome.line,
                    "ADR012",
                    "Decision Outcome should open with 'Chosen option: \"...\", because ...'",
                )
            )
    return problems


def _status(record: Record) -> list[Problem]:
    if any(problem.code == "ADR009" for problem in record.problems):
        return []  # the front matter is broken: that is the problem to report
    if not record.status_text:
        if record.format == "madr":
            return [_warning(record.display, 1, "ADR007", "no 'status:' in the front matter")]
        section = record.section("Status")
        return (
            [_error(record.display, section.line, "ADR007", "no status under '## Status'")] if section else []
        )
    if record.known_status:
        if record.status == "Superseded" and not record.superseded_by:
            return [
                _error(
                    record.display,
                    record.status_line,
                    "ADR006",
                    "superseded, but by what? link the successor",
                )
            ]
        return []
    close = difflib.get_close_matches(record.status, ADR_STATUSES, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f"; use one of {', '.join(ADR_STATUSES)}"
    return [
        _error(record.display, record.status_line, "ADR007", f"unknown status {record.status_text!r}{hint}")
    ]


def _date(record: Record) -> list[Problem]:
    if not record.date_line:
        if record.format == "nygard":
            return [_warning(record.display, record.title_line or 1, "ADR008", "no 'Date: YYYY-MM-DD' line")]
        return []
    if not valid_date(record.date):
        return [_error(record.display, record.date_line, "ADR008", f"not a YYYY-MM-DD date: {record.date!r}")]
    return []


def _links(record: Record, numbers: set[int]) -> list[Problem]:
    problems = []
    for link in record.links:
        if link.target is not None and link.target not in numbers:
            problems.append(
                _error(
                    record.display,
                    link.line,
                    "ADR005",
                    f"{link.kind} ADR {link.target}, which does not exist",
                )
            )
    reported = {problem.line for problem in problems}
    for href, line in record.markdown_links:
        target = href.split("#", 1)[0]
        if line in reported or not target or "://" in target or target.startswith(("mailto:", "/")):
            continue
        if not (record.path.parent / target).exists():
            problems.append(_error(record.display, line, "ADR005", f"broken link: {target} does not exist"))
    return problems


def _supersede_pairs(record: Record, by_number: dict[int, Record]) -> list[Problem]:
    problems = []
    for successor in record.superseded_by:
        other = by_number.get(successor)
        if other is not None and record.number not in other.supersedes:
            problems.append(
                _error(
                    record.display,
                    record.status_line,
                    "ADR006",
                    f"superseded by ADR {successor}, but {other.name} has no 'Supersedes' link back to it",
                )
            )
    if record.superseded_by and record.status != "Superseded":
        problems.append(
            _error(
                record.display,
                record.status_line or 1,
                "ADR006",
                f"has a 'Superseded by' link but its status says {record.status or 'nothing'}",
            )
        )
    for link in record.links:
        other = by_number.get(link.target) if link.supersedes and link.target is not None else None
        if other is not None and record.number not in other.superseded_by:
            problems.append(
                _error(
                    record.display,
                    link.line,
                    "ADR006",
                    f"supersedes ADR {other.number}, but {other.name} is not marked 'Superseded by' it",
                )
            )
    return problems


def _index(folder: AdrFolder) -> list[Problem]:
    from fitness.adr.index import START, wanted_text

    try:
        path, current, wanted = wanted_text(folder)
    except FitnessError as error:
        return [_error(error.path or folder.display, 0, "ADR011", error.message)]
    if current is None or START not in current or current == wanted:
        return []
    return [_warning(display(path), 0, "ADR013", "the index is out of date; run `fitness adr index`")]


def _annotation(problem: Problem) -> str:
    level = "error" if problem.severity is Severity.ERROR else "warning"
    props = f"file={_escape(problem.path, True)}"
    if problem.line:
        props += f",line={problem.line}"
    props += f",title={problem.code}"
    return f"::{level} {props}::{_escape(problem.message, False)}"


def _escape(text: str, property_value: bool) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def _error(path: str, line: int, code: str, message: str) -> Problem:
    return Problem(path, line, code, Severity.ERROR, message)


def _warning(path: str, line: int, code: str, message: str) -> Problem:
    return Problem(path, line, code, Severity.WARNING, message)
