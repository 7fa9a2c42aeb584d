"""Output files land only in regular files, as one set, and never through a symlink unless asked (issue 16,
item 7): the installed ``fitness`` on real files in tmp_path."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.conftest import EXAMPLES, run_fitness

LAYERED = str(EXAMPLES / "layered")


def _one_error_line(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    assert "Traceback" not in stderr
    return errors[0]


def test_a_symlinked_output_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / "out.json").symlink_to(victim)

    done = run_fitness("check", LAYERED, "--no-cache", "--format", "json=out.json", cwd=tmp_path)

    assert done.returncode == 2
    line = _one_error_line(done.stderr)
    assert "out.json: is a symbolic link" in line and "--follow-symlinks" in line
    assert victim.read_text() == "precious\n"
    assert (tmp_path / "out.json").is_symlink()


def test_follow_symlinks_replaces_the_file_the_link_points_to(tmp_path: Path) -> None:
    victim = tmp_path / "reports" / "fitness.sarif"
    victim.parent.mkdir()
    victim.write_text("old\n")
    (tmp_path / "fitness.sarif").symlink_to(Path("reports/fitness.sarif"))

    done = run_fitness(
        "check", LAYERED, "--no-cache", "--format", "sarif=fitness.sarif", "--follow-symlinks", cwd=tmp_path
    )

    assert done.returncode == 1, done.stderr  # layered breaks its rules on purpose
    assert (tmp_path / "fitness.sarif").is_symlink()
    assert '"version": "2.1.0"' in victim.read_text()
    assert [p.name for p in victim.parent.iterdir()] == ["fitness.sarif"]  # no temporary file left


@pytest.mark.parametrize("follow", [False, True])
def test_a_fifo_or_a_device_is_never_written_even_when_following_links(tmp_path: Path, follow: bool) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "zero-link").symlink_to("/dev/zero")
    extra = ["--follow-symlinks"] if follow else []
    for target, kind in (("pipe", "a FIFO (named pipe)"), ("/dev/zero", "a character device")):
        done = run_fitness("check", LAYERED, "--no-cache", "--output", target, *extra, cwd=tmp_path)
        assert done.returncode == 2
        assert f"is {kind}, not a regular file" in _one_error_line(done.stderr)
    done = run_fitness("check", LAYERED, "--no-cache", "--format", "json=zero-link", *extra, cwd=tmp_path)
    assert done.returncode == 2
    assert ("a character device" if follow else "is a symbolic link") in _one_error_line(done.stderr)
    assert (tmp_path / "pipe").is_fifo()
    assert Path("/dev/zero").is_char_device()


@pytest.mark.parametrize("follow", [False, True])
def test_dev_null_is_accepted_and_nothing_is_written(tmp_path: Path, follow: bool) -> None:
    """``-o /dev/null`` (the exit code only) is a common idiom: the null device is the one device
    accepted, and its output is discarded rather than written (never replaced by a file). A symlink to
    it is still a symlink: refused without --follow-symlinks."""
    (tmp_path / "null-link").symlink_to("/dev/null")
    extra = ["--follow-symlinks"] if follow else []

    done = run_fitness(
        "check",
        LAYERED,
        "--no-cache",
        "--format",
        "text",
        "--output",
        "/dev/null",
        "--format",
        "sarif=out.sarif",
        *extra,
        cwd=tmp_path,
    )
    linked = run_fitness("report", LAYERED, "--no-cache", "-o", "null-link", *extra, cwd=tmp_path)

    assert done.returncode == 1, done.stderr  # layered breaks its rules on purpose
    assert done.stdout == ""
    assert (tmp_path / "out.sarif").is_file()  # the other output of the set is written
    assert Path("/dev/null").is_char_device()
    if follow:
        assert linked.returncode == 0, linked.stderr
    else:
        assert linked.returncode == 2
        assert "is a symbolic link" in _one_error_line(linked.stderr)
    assert (tmp_path / "null-link").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null-link", "out.sarif"]


def test_a_folder_at_the_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    done = run_fitness("report", LAYERED, "--no-cache", "-o", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert "out: is a folder, not a regular file" in _one_error_line(done.stderr)


def test_report_baseline_and_graph_refuse_symlinks_too(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep\n")
    (tmp_path / "index.html").symlink_to(victim)
    (tmp_path / "base.json").symlink_to(tmp_path / "elsewhere.json")  # dangling: must not be created

    report = run_fitness("report", LAYERED, "--no-cache", "-o", "index.html", cwd=tmp_path)
    baseline = run_fitness(
        "check", LAYERED, "--no-cache", "--baseline", "base.json", "--update-baseline", cwd=tmp_path
    )
    graph = run_fitness("graph", LAYERED, "--no-cache", "-o", "index.html", cwd=tmp_path)

    for done in (report, baseline, graph):
        assert done.returncode == 2
        assert "is a symbolic link" in _one_error_line(done.stderr)
    assert victim.read_text() == "keep\n"
    assert not (tmp_path / "elsewhere.json").exists()


def test_dash_is_stdout(tmp_path: Path) -> None:
    done = run_fitness("check", LAYERED, "--no-cache", "--format", "json=-", "--output", "-", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.lstrip().startswith("{")
    assert list(tmp_path.iterdir()) == []


def test_a_bad_target_stops_the_run_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where a folder should be\n")

    done = run_fitness(
        "check",
        LAYERED,
        "--no-cache",
        "--format",
        "json=out/a.json",
        "--format",
        "sarif=blocker/a.sarif",
        cwd=tmp_path,
    )

    assert done.returncode == 2
    assert "blocker/a.sarif: cannot write" in _one_error_line(done.stderr)
    assert not (tmp_path / "out").exists()


_INTERRUPTED_WRITE = """
import os, signal, sys
from pathlib import Path
from fitness import outputs

phase, folder = sys.argv[1], Path(sys.argv[2])
real = {"chmod": os.chmod, "replace": os.replace}

def kill_then(name):
    def call(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        return real[name](*args, **kwargs)
    return call

# staging: SIGTERM (or a write error) while the second temporary file is finished; renaming: SIGTERM
# before the first rename
if phase in ("staging", "error"):
    calls = []
    def chmod(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            if phase == "error":
                raise OSError(28, "No space left on device")
            os.kill(os.getpid(), signal.SIGTERM)
        return real["chmod"](*args, **kwargs)
    os.chmod = chmod
else:
    os.replace = kill_then("replace")
(folder / "a.json").write_text("old a")
(folder / "b.sarif").write_text("old b")
try:
    outputs.write_set([(folder / "a.json", "new a"), (folder / "b.sarif", "new b")])
except Exception as error:
    print(type(error).__name__, error)
    sys.exit(2)
print("survived")
"""


@pytest.mark.parametrize(("phase", "expected"), [("staging", "old"), ("renaming", "new")])
def test_sigterm_leaves_the_old_set_or_the_new_set_and_no_temporary_file(
    tmp_path: Path, phase: str, expected: str
) -> None:
    """A SIGTERM while the files are written removes the temporary files and leaves the old outputs; one
    that arrives during the renames waits until the whole new set is in place. Either way the process
    then ends as SIGTERM says."""
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_WRITE, phase, str(tmp_path)], capture_output=True, text=True
    )

    assert done.returncode == -signal.SIGTERM, done.stderr
    assert "survived" not in done.stdout
    _only_the_set(tmp_path, expected)


def test_a_write_error_leaves_the_old_set_and_no_temporary_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_WRITE, "error", str(tmp_path)], capture_output=True, text=True
    )

    assert done.returncode == 2, done.stderr
    assert done.stdout.startswith("FitnessError ") and "b.sarif: cannot write: No space left" in done.stdout
    _only_the_set(tmp_path, "old")


def _only_the_set(tmp_path: Path, expected: str) -> None:
    assert (tmp_path / "a.json").read_text() == f"{expected} a"
    assert (tmp_path / "b.sarif").read_text() == f"{expected} b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.sarif"]


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".out.json.{dead.stdout.strip()}.abc123.fitness-tmp"
    stale.write_text("half a file")

    done = run_fitness("check", LAYERED, "--no-cache", "--format", "json=out.json", cwd=tmp_path)

    assert done.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_long_file_name_still_gets_its_temporary_file(tmp_path: Path) -> None:
    name = "f" * 240 + ".json"
    done = run_fitness("check", LAYERED, "--no-cache", "--format", f"json={name}", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_the_readme_commands_for_output_files(tmp_path: Path) -> None:
    """The two commands the README shows under "Output and exit codes"."""
    from tests.functional.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("can leave a `.NAME.PID.*.fitness-tmp` file", 1)[1].split("```sh\n", 1)[1]
    commands = [line.split("#")[0].split() for line in block.split("```", 1)[0].splitlines()]
    assert [c[:2] for c in commands] == [["fitness", "check"], ["fitness", "check"]]
    (tmp_path / "build").mkdir()
    (tmp_path / "elsewhere.sarif").write_text("old\n")
    (tmp_path / "build" / "fitness.sarif").symlink_to(tmp_path / "elsewhere.sarif")

    first = run_fitness(*commands[0][1:], LAYERED, "--no-cache", cwd=tmp_path)
    assert first.returncode == 2  # the sarif target is a symlink: refused, nothing written
    assert "is a symbolic link" in first.stderr and first.stdout == ""
    second = run_fitness(*commands[1][1:], LAYERED, "--no-cache", cwd=tmp_path)
    assert second.returncode == 1, second.stderr
    assert '"version": "2.1.0"' in (tmp_path / "elsewhere.sarif").read_text()
    (tmp_path / "build" / "fitness.sarif").unlink()
    third = run_fitness(*commands[0][1:], LAYERED, "--no-cache", cwd=tmp_path)
    assert third.returncode == 1
    assert third.stdout.lstrip().startswith("{") and (tmp_path / "build" / "fitness.sarif").is_file()


@pytest.mark.parametrize("command", ["init", "trend", "contracts"])
def test_init_trend_and_contracts_write_through_a_symlink_only_when_asked(
    tmp_path: Path, command: str
) -> None:
    from tests.git_helpers import commit_all, init_repo

    root = init_repo(tmp_path / "repo")
    (root / "src/app").mkdir(parents=True)
    (root / "src/app/__init__.py").write_text("")
    (root / "src/app/a.py").write_text("from app import b\n")
    (root / "src/app/b.py").write_text("")
    commit_all(root, "start")
    output = "fitness.yaml" if command == "init" else "out.txt"
    shared = tmp_path / "shared" / output
    shared.parent.mkdir()
    shared.write_text("old\n")
    (root / output).symlink_to(shared)
    args = {
        "init": ["init", ".", "--force"],
        "trend": ["trend", ".", "--since", "all", "-o", output],
        "contracts": ["contracts", ".", "--base", "HEAD", "-o", output],
    }[command]

    refused = run_fitness(*args, cwd=root)
    followed = run_fitness(*args, "--follow-symlinks", cwd=root)

    assert refused.returncode == 2
    assert f"{output}: is a symbolic link" in _one_error_line(refused.stderr)
    assert followed.returncode == 0, followed.stderr
    assert (root / output).is_symlink()
    assert shared.read_text() != "old\n"
