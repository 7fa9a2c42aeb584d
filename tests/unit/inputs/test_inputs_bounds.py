"""fitness.inputs: regular files only, sizes, symlinks kept in the tree, YAML bounded before it is built."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import yaml

from fitness.inputs import (
    FastLoader,
    Loader,
    Unreadable,
    YamlLimit,
    check_yaml,
    read_bytes,
    read_head,
    read_text,
)


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello")
    assert read_text(tmp_path / "a.txt", 100) == "hello"
    assert read_head(tmp_path / "a.txt", 2) == "he"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: os.mkfifo(p), "is a FIFO (named pipe), not a regular file"),
        (lambda p: p.mkdir(), "is a folder, not a regular file"),
        (lambda p: p.symlink_to("missing"), "is a symlink to missing, which does not exist"),
        (lambda p: p.symlink_to(p.name), "cannot be read (Too many levels of symbolic links)"),
        (lambda p: p.write_bytes(b"x" * 11), "is larger than 10 bytes (11 bytes)"),
        (lambda p: p.write_bytes(b"\xff"), "is not UTF-8 text (invalid start byte)"),
    ],
)
def test_what_is_not_a_small_regular_text_file_is_refused_unread(tmp_path: Path, make, reason: str) -> None:
    path = tmp_path / "f"
    make(path)
    with pytest.raises(Unreadable) as refused:
        read_text(path, 10)
    assert refused.value.reason == reason
    assert read_head(path, 5) is None or reason.startswith("is larger") or reason.startswith("is not UTF")


def test_a_socket_and_a_device_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(Unreadable):
            read_bytes(path, 10)
    finally:
        server.close()
    if os.path.exists("/dev/zero"):
        with pytest.raises(Unreadable, match="is a character device"):
            read_bytes("/dev/zero", 10)


def test_a_symlink_out_of_the_tree_is_refused_one_inside_is_read(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "secret"
    root.mkdir()
    outside.write_text("secret")
    (root / "in.txt").write_text("fine")
    (root / "out").symlink_to(outside)
    (root / "ok").symlink_to(root / "in.txt")
    with pytest.raises(Unreadable, match="outside the analysed folder"):
        read_text(root / "out", 100, root)
    assert read_text(root / "ok", 100, root) == "fine"
    assert read_text(root / "out", 100) == "secret"  # without a root (a file named by the user) it is read


def bomb(levels: int) -> str:
    text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, levels):
        text += f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]\n"
    return text


@pytest.mark.parametrize("loader", [Loader, FastLoader])
def test_aliases_are_counted_as_expanded_and_bounded(loader: type[yaml.SafeLoader]) -> None:
    small = yaml.compose(bomb(3), Loader=loader)
    # the mapping, its 3 keys, a0 (1 + 9), a1 (1 + 9 x 10), a2 (1 + 9 x 91): every alias counted expanded
    assert check_yaml(small, 1_000, 50) == 1 + 3 + 10 + 91 + 820
    with pytest.raises(YamlLimit, match="aliases expand to more than 1,000 nodes") as limited:
        check_yaml(yaml.compose(bomb(9), Loader=loader), 1_000, 50)
    assert limited.value.problem_mark is not None and limited.value.problem_mark.line == 3


def test_an_alias_inside_itself_and_deep_nesting_are_refused() -> None:
    with pytest.raises(YamlLimit, match="an alias refers to a node that contains it"):
        check_yaml(yaml.compose("a: &a [*a]", Loader=Loader), 1_000, 50)
    deep = yaml.compose("a: " + "[" * 60 + "]" * 60, Loader=Loader)
    with pytest.raises(YamlLimit, match="nested more than 50 levels deep"):
        check_yaml(deep, 1_000, 50)
    check_yaml(deep, 1_000, 70)


def test_duplicate_keys_name_both_lines_when_asked() -> None:
    node = yaml.compose("a: 1\nb: {c: 1}\na: 2\n", Loader=Loader)
    check_yaml(node, 1_000, 50)  # manifests: YAML's own rule (the last one wins)
    with pytest.raises(YamlLimit, match=r"duplicate key 'a' \(first at line 1\)") as duplicate:
        check_yaml(node, 1_000, 50, unique_keys=True)
    assert duplicate.value.problem_mark is not None and duplicate.value.problem_mark.line + 1 == 3
    merged = yaml.compose("base: &b {x: 1}\nuse: {<<: *b, x: 2}\n", Loader=Loader)
    check_yaml(merged, 1_000, 50, unique_keys=True)  # overriding a merged key is not a duplicate


@pytest.mark.parametrize("loader", [Loader, FastLoader])
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("d: 2024-02-30", "cannot read '2024-02-30': day is out of range for month"),
        ("n: " + "7" * 5000, "Exceeds the limit (4300 digits) for integer string conversion"),
        ("t: !!timestamp soon", "cannot read 'soon': not a valid timestamp"),
    ],
)
def test_constructor_errors_carry_the_line(loader: type[yaml.SafeLoader], text: str, problem: str) -> None:
    with pytest.raises(yaml.constructor.ConstructorError) as failed:
        yaml.load("ok: 1\n" + text, Loader=loader)
    assert problem in str(failed.value.problem)
    assert failed.value.problem_mark is not None and failed.value.problem_mark.line == 1
