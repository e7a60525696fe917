"""All-or-nothing writes: the target changes only when the writer finished."""

from __future__ import annotations

import os
import sqlite3

import pytest

from termbank.atomic import replacing, write_atomically, write_text_atomically


def _through_path(target, data: bytes, fail: bool) -> None:
    with replacing(target) as tmp:
        tmp.write_bytes(data)
        if fail:
            raise RuntimeError("boom")


def _through_file(target, data: bytes, fail: bool) -> None:
    def write(fp):
        fp.write(data)
        if fail:
            raise RuntimeError("boom")

    write_atomically(target, write)


@pytest.mark.parametrize("writer", [_through_path, _through_file])
def test_target_replaced_only_on_success(tmp_path, writer):
    target = tmp_path / "out.txt"
    writer(target, b"first", fail=False)
    with pytest.raises(RuntimeError):
        writer(target, b"half", fail=True)
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]   # no temporary file left


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_files_get_the_umask_like_any_file_and_the_umask_is_left_alone(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        write_text_atomically(tmp_path / "a.yml", "x: 1\n")
        assert os.umask(umask) == umask          # nothing changed it meanwhile
    finally:
        os.umask(previous)
    assert (tmp_path / "a.yml").stat().st_mode & 0o777 == mode


def test_text_is_utf8_with_line_endings_kept(tmp_path):
    write_text_atomically(tmp_path / "t.txt", "píxel\r\nb\n")
    assert (tmp_path / "t.txt").read_bytes() == "píxel\r\nb\n".encode()


def test_missing_folders_are_made_and_sqlite_can_write_the_temporary_path(tmp_path):
    target = tmp_path / "deep" / "bank.db"
    with replacing(target) as tmp:
        with sqlite3.connect(tmp) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    conn.close()


def test_unwritable_folder_raises_oserror_and_leaves_nothing(tmp_path):
    with pytest.raises(OSError):
        write_atomically("/proc/nope/x", lambda fp: fp.write(b"x"))


def test_a_killed_writer_leaves_a_temporary_file_the_next_write_removes(tmp_path):
    """SIGKILL cannot be caught: the next writer of the folder cleans up after the dead one."""
    import signal
    import subprocess
    import sys

    target = tmp_path / "termbank.db"
    script = ("import sys, time\nfrom termbank.atomic import replacing\n"
              "with replacing(sys.argv[1]) as tmp:\n"
              "    tmp.write_bytes(b'x' * 1000)\n    print(tmp, flush=True)\n    time.sleep(60)\n")
    writer = subprocess.Popen([sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE,
                              text=True)
    left = tmp_path / writer.stdout.readline().strip()
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    assert left.exists() and left.name.startswith(".termbank.db.")
    with replacing(target) as tmp:        # a live writer's file would be kept (own pid)
        tmp.write_bytes(b"whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["termbank.db"]


def test_compare_and_swap_keeps_a_save_made_between_read_and_replace(tmp_path):
    from termbank.atomic import ChangedMeanwhile, digest

    target = tmp_path / "concept.yml"
    target.write_text("a: 1\n")
    seen = digest(target)

    def write(fp):
        target.write_text("a: 2  # the editor's save\n")   # lands while we write
        fp.write(b"a: 3\n")

    with pytest.raises(ChangedMeanwhile, match=r"concept\.yml: changed on disk"):
        write_atomically(target, write, expect=seen)
    assert target.read_text() == "a: 2  # the editor's save\n"
    write_text_atomically(target, "a: 4\n", expect=digest(target))
    assert target.read_text() == "a: 4\n"
    assert [p.name for p in tmp_path.iterdir()] == ["concept.yml"]


@pytest.mark.parametrize("writer", [_through_path, _through_file])
def test_data_reaches_the_disk_before_the_rename_and_the_rename_after_it(tmp_path, writer,
                                                                        monkeypatch):
    """The real os.fsync and os.replace run; the test only records their order: the new
    file's data first, then the rename, then the folder that holds the new entry."""
    import stat

    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        return real_fsync(fd)

    def replace(src, dst):
        events.append("rename")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    writer(tmp_path / "out.bin", b"data", False)
    assert events == ["fsync file", "rename", "fsync folder"]
    assert (tmp_path / "out.bin").read_bytes() == b"data"
