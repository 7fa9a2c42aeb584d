"""Regenerate the README's rule reference and finding-code table from the rule registry and catalogue.

    .venv/bin/python tools/readme_reference.py          # rewrite README.md in place
    .venv/bin/python tools/readme_reference.py --check  # exit 1 when README.md is out of date

The text between the ``<!-- rules:start -->``/``<!-- rules:end -->`` and ``<!-- codes:start -->``/
``<!-- codes:end -->`` markers is generated; everything else in the README is written by hand.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fitness.model.catalog import CATALOG
from fitness.rules.registry import rule_types

README = Path(__file__).resolve().parents[1] / "README.md"


def rules_section() -> str:
    parts = []
    for rule in sorted(rule_types().values(), key=lambda r: r.code):
        options = (
            "\n".join(
                f"- `{o.name}` ({o.kind}{', required' if o.required else ''}"
                f"{'' if o.required or o.default in (None, [], ()) else f', default `{o.default}`'}): {o.help}"
                for o in rule.options
            )
            or "- no options"
        )
        parts.append(
            f"#### `{rule.name}` ({rule.code})\n\n{rule.summary}\n\n{options}\n\n"
            f"```yaml\n{rule.example.rstrip()}\n```\n\nFix: {rule.advice}\n"
        )
    return "\n".join(parts)


def codes_section() -> str:
    rows = [f"| {code} | {doc.name}: {doc.summary} |" for code, doc in CATALOG.items()]
    rows += [f"| {rule.code} | `{rule.name}` rule: {rule.summary} |" for rule in rule_types().values()]
    table = "\n".join(sorted(row.replace("|in - out|", "\\|in - out\\|") for row in rows))
    return "| code | meaning |\n|---|---|\n" + table


def render(text: str) -> str:
    for name, body in (("rules", rules_section()), ("codes", codes_section())):
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        text = pattern.sub(lambda m, body=body: m.group(1) + body.rstrip() + "\n" + m.group(2), text)
    return text


def main() -> int:
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in sys.argv:
        if wanted != current:
            print("README.md reference is out of date: run tools/readme_reference.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
