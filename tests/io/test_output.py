"""Output writing: atomic for regular files, written through for special files, never a stray temp file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from advisor.errors import AdvisorError
from advisor.io import output
from advisor.io.output import ensure_folder, refuse_inputs, write_atomic


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_symlink_is_kept_and_its_target_written(tmp_path: Path) -> None:
    target = tmp_path / "real.html"
    target.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new" and leftovers(tmp_path) == []


def test_existing_file_keeps_its_mode_and_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    old.write_text("x")
    old.chmod(0o600)
    write_atomic(old, "y")
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    mask = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", "z")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "through the pipe")
    reader.join(5)
    assert got == [b"through the pipe"] and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_dev_null_stays_a_device(tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    write_atomic(link, "gone")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and link.is_symlink()


def test_dash_is_standard_output(tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes], monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomic("-", "to stdout ✓")
    assert capfdbinary.readouterr().out == "to stdout ✓".encode()
    assert not (tmp_path / "-").exists()


def test_failure_leaves_no_temp_file_and_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "r.html"
    target.write_text("previous")

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", full)
    with pytest.raises(AdvisorError, match="No space left"):
        write_atomic(target, "new")
    assert target.read_text() == "previous" and leftovers(tmp_path) == []


def test_folder_and_missing_folder_are_messages(tmp_path: Path) -> None:
    with pytest.raises(AdvisorError, match="is a folder"):
        write_atomic(tmp_path, "x")
    with pytest.raises(AdvisorError, match="does not exist"):
        write_atomic(tmp_path / "no" / "x.txt", "x")


@pytest.mark.parametrize("where", ["/proc/advisor-out", "/proc/self/advisor-out/deeper"])
def test_unwritable_output_folder_is_a_message(where: str) -> None:
    with pytest.raises(AdvisorError, match="cannot create this folder"):
        ensure_folder(where)


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(AdvisorError, match="not a folder"):
        ensure_folder(tmp_path / "f")


def test_refuse_inputs_sees_through_links(tmp_path: Path) -> None:
    src = tmp_path / "a.yaml"
    src.write_text("x")
    (tmp_path / "soft.yaml").symlink_to(src)
    os.link(src, tmp_path / "hard.yaml")
    for name in ("a.yaml", "soft.yaml", "hard.yaml"):
        with pytest.raises(AdvisorError, match="is an input"):
            refuse_inputs(tmp_path / name, [src])
    refuse_inputs(tmp_path / "other.yaml", [src])
    kb = tmp_path / "kb"
    (kb / "rules").mkdir(parents=True)
    with pytest.raises(AdvisorError, match="inside the knowledge base"):
        refuse_inputs(kb / "rules" / "new.yaml", [], [kb])
    refuse_inputs(kb / "report.html", [], [kb])
