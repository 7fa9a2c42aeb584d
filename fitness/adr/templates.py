"""Templates for new records: Nygard (adr-tools), MADR 4 and MADR 4 minimal, or the team's own.

A team's own template is a jinja2 file in ``templates/`` inside the ADR folder, looked up as
``<format>.md`` (``nygard.md``, ``madr.md``, ``madr-minimal.md``), then ``<format>.md.j2``, then
adr-tools' ``template.md``. An adr-tools template (no ``{{``) keeps working: its first NUMBER,
TITLE, DATE and STATUS are replaced, as adr-tools does. Variables a jinja2 template can use:

``number`` (7), ``id`` ("0007"), ``title``, ``date`` (YYYY-MM-DD), ``status`` (Proposed ...),
``context``, ``decision``, ``consequences``, ``confirmation``, ``more`` (Markdown text, may be
empty), ``drivers`` (list of text), ``options`` (list of {title, description, good, bad}),
``chosen`` and ``because`` (the MADR outcome line). Links (``--supersedes``, ``--link``) are added
after rendering, in the Status section (Nygard) or under More Information (MADR).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fitness.adr.folder import display
from fitness.model import FitnessError

NYGARD = """\
# {{ number }}. {{ title }}

Date: {{ date }}

## Status

{{ status }}

## Context

{{ context or "The issue motivating this decision, and any context that influences or constrains it." }}

## Decision

{{ decision or "The change that we're proposing or have agreed to implement." }}
{% if options %}

### Options considered
{% for option in options %}

#### {{ loop.index }}. {{ option.title }}

{{ option.description }}

{% for good in option.good %}
- Good, because {{ good }}
{% endfor %}
{% for bad in option.bad %}
- Bad, because {{ bad }}
{% endfor %}
{% endfor %}
{% endif %}

## Consequences

{{ consequences or "What becomes easier or more difficult to do, and any risks the change introduces." }}
{% if confirmation and confirmation != consequences %}

{{ confirmation }}
{% endif %}
"""

_FRONT_MATTER = """\
---
status: {{ status | lower }}
date: {{ date }}
decision-makers:
consulted:
informed:
---
"""

_MADR_HEAD = """\

# {{ title }}

## Context and Problem Statement

{{ context or "{Describe the context and problem statement in two or three sentences, or as a question.}" }}
"""

_MADR_OPTIONS = """\

## Considered Options

{% for option in options %}
* {{ option.title }}
{% else %}
* {title of option 1}
* {title of option 2}
{% endfor %}

## Decision Outcome

Chosen option: "{{ chosen or "{title of option 1}" }}", because {{ because or "{justification}" }}.
{% if decision %}

{{ decision }}
{% endif %}

### Consequences

{% if consequences %}
{{ consequences }}
{% else %}
* Good, because {positive consequence}
* Bad, because {negative consequence}
{% endif %}
"""

MADR = (
    _FRONT_MATTER
    + _MADR_HEAD
    + """\

## Decision Drivers

{% for driver in drivers %}
* {{ driver }}
{% else %}
* {decision driver 1, e.g., a force, facing concern, …}
{% endfor %}
"""
    + _MADR_OPTIONS
    + """\

### Confirmation

{{ confirmation or "{How compliance with this decision is confirmed: a review, or a fitness function.}" }}

## Pros and Cons of the Options
{% for option in options %}

### {{ option.title }}

{{ option.description }}

{% for good in option.good %}
* Good, because {{ good }}
{% endfor %}
{% for bad in option.bad %}
* Bad, because {{ bad }}
{% endfor %}
{% else %}

### {title of option 1}

* Good, because {argument a}
* Bad, because {argument b}
{% endfor %}

## More Information

{{ more or "{Evidence, the team's agreement, when to revisit this decision; links to related decisions.}" }}
"""
)

MADR_MINIMAL = (
    _FRONT_MATTER
    + _MADR_HEAD
    + _MADR_OPTIONS
    + """\
{% if confirmation %}

### Confirmation

{{ confirmation }}
{% endif %}
"""
)

BUILTIN = {"nygard": NYGARD, "madr": MADR, "madr-minimal": MADR_MINIMAL}


def render(fmt: str, values: dict[str, Any], folder: Path) -> str:
    """The text of a new record in format ``fmt`` (a custom template in ``folder/templates`` wins)."""
    defaults: dict[str, Any] = {
        "context": "",
        "decision": "",
        "consequences": "",
        "confirmation": "",
        "more": "",
        "drivers": [],
        "options": [],
        "chosen": "",
        "because": "",
        "format": fmt,
    }
    values = {**defaults, **values, "id": f"{values['number']:04d}"}
    custom = _custom(folder, fmt)
    if custom is None:
        return _jinja(BUILTIN[fmt], values, f"<built-in {fmt} template>")
    text = _read(custom)
    if "{{" not in text and "{%" not in text:
        return _adr_tools(text, values)
    return _jinja(text, values, display(custom))


def _custom(folder: Path, fmt: str) -> Path | None:
    for name in (f"{fmt}.md", f"{fmt}.md.j2", "template.md"):
        candidate = folder / "templates" / name
        if candidate.is_file():
            return candidate
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FitnessError(f"cannot read template: {error}", display(path)) from error


def _adr_tools(text: str, values: dict[str, Any]) -> str:
    for placeholder, key in (
        ("NUMBER", "number"),
        ("TITLE", "title"),
        ("DATE", "date"),
        ("STATUS", "status"),
    ):
        text = text.replace(placeholder, str(values[key]), 1)
    return _tidy(text)


def _jinja(source: str, values: dict[str, Any], name: str) -> str:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    try:
        return _tidy(environment.from_string(source).render(**values))
    except jinja2.TemplateSyntaxError as error:
        raise FitnessError(f"template error: {error.message}", name, error.lineno) from error
    except jinja2.TemplateError as error:
        raise FitnessError(f"template error: {error}", name) from error


def _tidy(text: str) -> str:
    """One blank line at most between paragraphs, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
