"""Build a realistic git history for examples/shop in a new folder, for ``fitness score``.

    python examples/make_shop_history.py TARGET

Copies examples/shop to TARGET (which must not exist or be empty), runs ``git init`` there and makes
scripted commits with fixed authors and dates, so the same script always gives the same history:

- orders and inventory always change together (the "must deploy together" pair: co-change 100%);
- payments grows a fraud-rules module that changes in almost every payments commit (the volatile part)
  and a card vault (a plainly sensitive part);
- a few noise commits: dependabot and renovate bumping a lock file, a human lock-file-only commit.

Standard library only; needs the ``git`` program.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SHOP = Path(__file__).resolve().parent / "shop"
PEOPLE = {
    "alice": ("Alice Moreau", "alice@shop.example"),
    "bob": ("Bob Okafor", "bob@shop.example"),
    "chen": ("Chen Wei", "chen@shop.example"),
    "dependabot": ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    "renovate": ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"),
}

FRAUD = '''"""Fraud rules: thresholds tuned every week."""

RULES = [
'''
VAULT = '''"""Card vault: stores card tokens, never card numbers (PCI scope)."""


def tokenize(card_number: str) -> str:
    return "tok_" + card_number[-4:]
'''


def git(target: Path, *args: str, date: str = "2026-01-05T09:00:00", who: str = "alice") -> None:
    name, email = PEOPLE[who]
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": f"{date}+00:00",
        "GIT_COMMITTER_DATE": f"{date}+00:00",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=target, env=env, check=True, capture_output=True)


def append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(line + "\n")


def commit(target: Path, message: str, date: str, who: str) -> None:
    git(target, "add", "-A", date=date, who=who)
    git(target, "commit", "-q", "-m", message, date=date, who=who)


def build(target: Path) -> None:
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"error: {target} is not empty")
    shutil.copytree(SHOP, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", ".fitness_cache"))
    (target / "poetry.lock").write_text("# lock file\n", encoding="utf-8")
    git(target, "init", "-q", "-b", "main")
    commit(target, "Initial shop: orders, inventory, payments, notifications", "2026-01-05T09:00:00", "alice")

    orders = target / "services/orders/orders/service.py"
    inventory = target / "services/inventory/inventory/service.py"
    payments = target / "services/payments/payments"
    for week in range(1, 9):  # orders and inventory: always together
        day = f"2026-01-{5 + week * 2:02d}T10:00:00"
        append(orders, f"# reservation rule v{week}")
        append(inventory, f"# reservation rule v{week}")
        commit(target, f"Reservation rule v{week} (orders + inventory)", day, "bob" if week % 2 else "alice")

    (payments / "fraud.py").write_text(FRAUD + "]\n", encoding="utf-8")
    (payments / "card_vault.py").write_text(VAULT, encoding="utf-8")
    commit(target, "payments: fraud rules and card vault", "2026-02-02T11:00:00", "chen")
    for week in range(1, 13):  # the volatile module
        rules = "".join(f'    ("rule-{n}", {n * 10}),\n' for n in range(week))
        (payments / "fraud.py").write_text(FRAUD + rules + "]\n", encoding="utf-8")
        commit(target, f"fraud: tune thresholds ({week})", f"2026-02-{3 + week:02d}T14:00:00", "chen")
    for index, when in enumerate(("2026-03-02T09:30:00", "2026-03-09T09:30:00")):
        append(payments / "service.py", f"# retry policy {index}")
        commit(target, f"payments: retry policy {index}", when, "alice")
    for index, when in enumerate(("2026-03-03T16:00:00", "2026-03-10T16:00:00")):
        append(target / "services/notifications/notifications/service.py", f"# template {index}")
        commit(target, f"notifications: template {index}", when, "bob")

    for index, (who, when) in enumerate(
        (("dependabot", "2026-03-04T03:00:00"), ("renovate", "2026-03-11T03:00:00"), ("alice", "2026-03-12T08:00:00"))
    ):
        append(target / "poetry.lock", f"# bump {index}")
        commit(target, f"chore(deps): bump lock file ({index})", when, who)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python examples/make_shop_history.py TARGET", file=sys.stderr)
        return 2
    build(Path(argv[1]))
    print(f"shop with history in {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
