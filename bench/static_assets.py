"""A Django project with static assets: `fitness check --no-cache` against a bare grimp build (target <= 1.5x).

    .venv/bin/python bench/static_assets.py [--runs N]

Stdlib only. Uses bench/.venv and the pinned django corpus of bench/run.py (installing them on first use)
and builds, deterministically, under bench/work/static_assets/project/ (gitignored), the project a new
user would point fitness at:

- `django/`: every .py file of django 5.2.8 (883 modules) and `django/contrib/admin/static/` (127 files:
  the admin's JavaScript and CSS, jQuery and select2 vendored in full and minified, 60 select2 locale
  files), as an app that vendors the framework would have it;
- `mysite/` and `manage.py`, rendered from django's own project template;
- `assets/js/main.js`: a front-end build output, minified but not named `.min.js` (jQuery's and
  select2's minified files concatenated), with the `package.json` and `package-lock.json` behind it;
- `static/`: what `manage.py collectstatic` puts there (the admin's static files and main.js again);
- `Dockerfile`, `requirements.txt` and a `docker-compose.yml` (the web app and its PostgreSQL), so that
  fitness sees a service and its service-side collectors read the project's files, not only Python.

Then it times, in N interleaved rounds after one untimed run of each (medians; exit codes 0 and 1 only,
anything else aborts), `fitness check --no-cache` in the project (no config: what a new user runs), the
same on a copy without docker-compose.yml (bench/work/static_assets/no-compose: no services, so only the
import side runs), and `grimp.build_graph("django", "mysite", cache_dir=None)` in a fresh interpreter, and
prints the ratios and the warnings fitness printed. The table is also written to bench/results/static-assets.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # bench/run.py: the venv, the corpora, the timing loop

PROJECT = bench.WORK / "static_assets" / "project"
BARE = bench.WORK / "static_assets" / "no-compose"  # the same without docker-compose.yml: no service side
TARGET = 1.5

COMPOSE = """\
services:
  web:
    build: .
    command: python manage.py runserver 0.0.0.0:8000
    ports:
      - "8000:8000"
    environment:
      DATABASE_URL: postgres://mysite:mysite@db:5432/mysite
    depends_on:
      - db
  db:
    image: postgres:16
    environment:
      POSTGRES_DB: mysite
      POSTGRES_USER: mysite
      POSTGRES_PASSWORD: mysite
"""

DOCKERFILE = """\
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN python manage.py collectstatic --noinput
CMD ["gunicorn", "mysite.wsgi", "--bind", "0.0.0.0:8000"]
"""

PACKAGE_JSON = """\
{
  "name": "mysite-frontend",
  "version": "1.0.0",
  "private": true,
  "scripts": {"build": "esbuild src/main.js --bundle --minify --outfile=assets/js/main.js"},
  "dependencies": {"jquery": "3.7.1", "select2": "4.0.13"}
}
"""

PACKAGE_LOCK = """\
{
  "name": "mysite-frontend",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {"name": "mysite-frontend", "version": "1.0.0", "dependencies": {"jquery": "3.7.1"}},
    "node_modules/jquery": {
      "version": "3.7.1",
      "resolved": "https://registry.npmjs.org/jquery/-/jquery-3.7.1.tgz"
    }
  }
}
"""


def build(django_corpus: Path) -> dict[str, float]:
    """Write the project (same corpus, same bytes); return counts of what it holds."""
    source = django_corpus / "django"
    if PROJECT.exists():
        shutil.rmtree(PROJECT)
    PROJECT.mkdir(parents=True)
    static = Path("contrib/admin/static")
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_file() and (path.suffix == ".py" or static in relative.parents):
            _copy(path, PROJECT / "django" / relative)
    template = source / "conf" / "project_template"
    for path in sorted(template.rglob("*-tpl")):
        rendered = str(path.relative_to(template)).replace("project_name", "mysite")[: -len("-tpl")]
        text = path.read_text(encoding="utf-8")
        for key, value in {
            "project_name": "mysite",
            "secret_key": "bench-not-secret",
            "django_version": "5.2.8",
            "docs_version": "5.2",
        }.items():
            text = text.replace("{{ " + key + " }}", value)
        _write(PROJECT / rendered, text)
    vendor = source / static / "admin" / "js" / "vendor"
    bundle = [vendor / "jquery" / "jquery.min.js", vendor / "select2" / "select2.full.min.js"]
    _write(PROJECT / "assets" / "js" / "main.js", ";\n".join(p.read_text(encoding="utf-8") for p in bundle))
    _write(PROJECT / "package.json", PACKAGE_JSON)
    _write(PROJECT / "package-lock.json", PACKAGE_LOCK)
    for folder in (source / static, PROJECT / "assets"):  # collectstatic's output
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                _copy(path, PROJECT / "static" / path.relative_to(folder))
    _write(PROJECT / "docker-compose.yml", COMPOSE)
    _write(PROJECT / "Dockerfile", DOCKERFILE)
    _write(PROJECT / "requirements.txt", "Django==5.2.8\ngunicorn==23.0.0\npsycopg[binary]==3.2.3\n")
    if BARE.exists():
        shutil.rmtree(BARE)
    shutil.copytree(PROJECT, BARE, ignore=shutil.ignore_patterns("docker-compose.yml"))
    files = [p for p in PROJECT.rglob("*") if p.is_file()]
    return {
        "files": len(files),
        "modules": sum(1 for p in files if p.suffix == ".py"),
        "js": sum(1 for p in files if p.suffix == ".js"),
        "MB": round(sum(p.stat().st_size for p in files) / 1e6, 1),
    }


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (default 5)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    bench.ensure_venv()
    counts = build(bench.ensure_corpus(bench.ALL_CORPORA["django"]))
    print(f"project: {PROJECT} ({counts})", flush=True)
    env = bench.tool_env(PROJECT)
    cases = {
        "fitness check --no-cache": [str(bench.BIN / "fitness"), "check", ".", "--no-cache"],
        "same, no compose file": [str(bench.BIN / "fitness"), "check", str(BARE), "--no-cache"],
        "grimp build_graph": [
            str(bench.BIN / "python"),
            "-c",
            "import grimp; grimp.build_graph('django', 'mysite', cache_dir=None)",
        ],
    }
    samples = bench.measure(cases, PROJECT, env, args.runs)
    fit, bare = samples["fitness check --no-cache"], samples["same, no compose file"]
    grimp = samples["grimp build_graph"]
    ratio = fit.median / grimp.median
    done = subprocess.run(
        cases["fitness check --no-cache"], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    if done.returncode not in (0, 1):
        sys.exit(f"fitness check failed ({done.returncode}):\n{done.stderr}")
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    lines = [
        f"Run {datetime.date.today()} on {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{bench.version_of(str(bench.BIN / 'fitness'), '--version')}; median of {args.runs} runs after one "
        f"untimed run. Project: {counts['files']} files ({counts['modules']} .py, {counts['js']} .js), "
        f"{counts['MB']} MB.",
        "",
        "| command | median s | min s | peak MiB |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {s.label} | {s.median:.3f} | {min(s.walls):.3f} | {s.peak_mib:.1f} |"
            for s in (fit, bare, grimp)
        ),
        "",
        f"fitness / grimp build: **{ratio:.2f}** (target <= {TARGET}: {'met' if ratio <= TARGET else 'NOT met'}); "
        f"without the compose file (no service side): {bare.median / grimp.median:.2f}; "
        f"fitness exit code {done.returncode}, {len(warnings)} warning line(s):",
        "",
        *(f"    {line}" for line in warnings),
    ]
    text = "\n".join(lines) + "\n"
    bench.RESULTS.mkdir(exist_ok=True)
    (bench.RESULTS / "static-assets.md").write_text(text)
    print("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
