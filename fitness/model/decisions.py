"""Architecture decision records: the vocabulary config (which reads ``adr:``) and adr (which uses it) share.

They live in the model because config and adr are siblings and may not import each other (ADR 3).
"""

from __future__ import annotations

from dataclasses import dataclass

ADR_FORMATS = ("nygard", "madr", "madr-minimal")
ADR_STATUSES = ("Proposed", "Accepted", "Rejected", "Deprecated", "Superseded")
DEFAULT_ADR_DIR = "docs/adr"


@dataclass(frozen=True)
class AdrSettings:
    """The ``adr:`` section of fitness.yaml.

    ``dir`` is relative to the project folder (an ``.adr-dir`` file there wins, as with adr-tools);
    ``format`` None means: like the newest record in the folder, else ``nygard``.
    """

    dir: str | None = None
    format: str | None = None
    default_status: str = "Proposed"


def normalize_status(word: str) -> str:
    """``"accepted"`` -> ``"Accepted"``; ``"superseded by ADR-0005"`` -> ``"Superseded"``; unknown words
    come back title-cased so that a message can quote them."""
    text = word.strip()
    lowered = text.lower()
    if lowered.startswith(("superseded", "superceded")):
        return "Superseded"
    first = lowered.split(maxsplit=1)[0].strip(".,:;()") if lowered else ""
    for status in ADR_STATUSES:
        if first == status.lower():
            return status
    return text[:1].upper() + text[1:]
