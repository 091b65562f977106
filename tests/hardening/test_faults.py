"""Faults lose nothing: writers during rebuilds, dangerous --db targets, stale records, signals,
full disks, damaged files and odd environments. Each runs lstui as a user would, in a subprocess
(or a real pseudo-terminal for the app)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from lstui.core import startup
from lstui.core.build import build
from lstui.core.store import is_fresh, rebuild
from lstui.core.freshness import file_sha256
from tests.conftest import PLACES, run_lstui
from tests.hardening.test_terminals import FILTERS, FIRST_ROWS, START_TIMEOUT, PtyRun, check_restored, terminal_env


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    """Temporary files of builds, and private copies of the app, found in a folder."""
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name or p.name.startswith("lstui-"))


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr and "internal error" not in stderr, stderr
    return lines[0]


@pytest.fixture
def yaml_copy(tmp_path, shipped_yaml) -> Path:
    path = tmp_path / "policies.yaml"
    shutil.copyfile(shipped_yaml, path)
    return path


@pytest.fixture
def built(tmp_path, yaml_copy) -> Path:
    db = tmp_path / "policies.duckdb"
    rebuild(yaml_copy, db)
    return db


def edit(yaml_path: Path) -> None:
    """A change that a rebuild must pick up: one source's publisher gets a suffix."""
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text.replace("publisher: Shenzhen Daily (Shenzhen Government Online)",
                                      "publisher: Shenzhen Daily (edited)"), encoding="utf-8")


def publisher(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT publisher FROM sources WHERE id = 'szdaily-2023-03-28'").fetchone()[0]


def lstui(*args: str, data: Path, db: Path, env: dict | None = None, timeout: float = 120):
    return run_lstui(*args, "--data", str(data), "--db", str(db), env=env, timeout=timeout)


# ------------------------------------------------------------------------- writers during rebuilds

WRITER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])  # read-write, as a duckdb shell opens it
    con.execute("UPDATE internal.sources SET title = 'USER-EDIT ' || title")
    con.execute("DELETE FROM internal.mentions WHERE rowid IN (SELECT min(rowid) FROM internal.mentions)")
    print("ready", flush=True)
    sys.stdin.readline()
    con.close()
    print("closed", flush=True)
""")


def wait_for_line(stream, needle: str, timeout: float) -> str:
    """Lines from a process's pipe until one holds `needle` (that line); fails after `timeout`."""
    import select

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], deadline - time.monotonic())
        if not ready:
            break
        line = stream.readline()
        if not line:
            break
        if needle in line:
            return line
    raise AssertionError(f"no line with {needle!r} within {timeout} s")


def start_writer(db: Path) -> subprocess.Popen:
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "ready"
    assert Path(f"{db}.wal").exists()  # its changes are in the write-ahead log, not yet in the file
    return writer


def test_a_rebuild_refuses_while_a_writer_holds_the_file(built, yaml_copy):
    edit(yaml_copy)
    writer = start_writer(built)
    try:
        before = digest(built)
        result = lstui("build", data=yaml_copy, db=built)
        assert result.returncode == 2
        line = one_line(result.stderr)
        assert f"process {writer.pid}" in line and "--wait" in line and "ATTACH" in line
        assert digest(built) == before and Path(f"{built}.wal").exists()  # the writer's work is untouched
    finally:
        writer.communicate("close\n", timeout=30)
    with duckdb.connect(str(built), read_only=True) as con:  # and it is saved once the writer closes
        assert con.execute("SELECT count(*) FROM internal.sources WHERE title LIKE 'USER-EDIT %'").fetchone()[0] > 0


def test_with_wait_a_rebuild_waits_for_the_writer_and_inherits_nothing(built, yaml_copy):
    edit(yaml_copy)
    writer = start_writer(built)
    rebuild_proc = subprocess.Popen([sys.executable, "-m", "lstui", "build", "--wait", "--data", str(yaml_copy),
                                     "--db", str(built)], stderr=subprocess.PIPE, text=True)
    try:
        said = wait_for_line(rebuild_proc.stderr, "waiting for process", timeout=60)  # once it has read the YAML
        assert rebuild_proc.poll() is None  # still waiting
        assert writer.communicate("close\n", timeout=30)[0].strip() == "closed"
        _, err = rebuild_proc.communicate(timeout=120)
    finally:
        if rebuild_proc.poll() is None:
            rebuild_proc.kill()
    assert rebuild_proc.returncode == 0, err
    assert f"waiting for process {writer.pid}" in said
    assert publisher(built) == "Shenzhen Daily (edited)"
    with duckdb.connect(str(built), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM internal.sources WHERE title LIKE 'USER-EDIT %'").fetchone()[0] == 0


def test_a_killed_writers_log_is_set_aside_not_replayed_onto_the_new_file(built, yaml_copy, tmp_path):
    """The writer's UPDATE and DELETE sit in the old file's log when it is killed: a rebuild from a
    changed YAML must give exactly what the YAML says, and keep the log (renamed), not drop it."""
    with duckdb.connect(str(built), read_only=True) as con:
        mentions = con.execute("SELECT count(*) FROM internal.mentions").fetchone()[0]
    edit(yaml_copy)
    writer = start_writer(built)
    writer.kill()
    writer.wait(timeout=30)
    log = Path(f"{built}.wal").read_bytes()
    result = lstui("build", data=yaml_copy, db=built)
    assert result.returncode == 0, result.stderr
    assert "moved aside policies.duckdb.wal" in result.stderr
    assert not Path(f"{built}.wal").exists()
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("policies.duckdb.wal.orphaned-")]
    assert len(kept) == 1 and kept[0].read_bytes() == log
    for _ in range(2):  # the next readers see the new file only, however often it is opened
        with duckdb.connect(str(built), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM internal.sources WHERE title LIKE 'USER-EDIT %'"
                               ).fetchone()[0] == 0
            assert con.execute("SELECT count(*) FROM internal.mentions").fetchone()[0] == mentions
    assert publisher(built) == "Shenzhen Daily (edited)"
    assert is_fresh(yaml_copy, built)


# -------------------------------------------------------------------------------- --db targets


def user_database(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE my_analysis AS SELECT 42 AS answer")


def fifo(path: Path) -> None:
    os.mkfifo(path)


def device(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("creating a device node needs root")
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # a /dev/null of our own, inside tmp_path


def unix_socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()


@pytest.mark.parametrize("make, words", [
    (user_database, "a DuckDB database that lstui did not build"),
    (lambda p: p.write_bytes(b"my notes\n" * 1000), "is not a database lstui built"),
    (fifo, "is a FIFO"),
    (device, "is a device"),
    (unix_socket, "is a socket"),
    (lambda p: p.mkdir(), "is a directory"),
], ids=["user-duckdb", "other-file", "fifo", "device", "socket", "directory"])
def test_build_replaces_only_what_it_built(tmp_path, yaml_copy, make, words):
    target = tmp_path / "analysis.duckdb"
    make(target)
    before = target.lstat()
    content = digest(target) if target.is_file() else None
    result = lstui("build", data=yaml_copy, db=target, timeout=60)
    assert result.returncode == 2
    assert words in one_line(result.stderr) and "lstui replaces only a database it built" in result.stderr
    after = target.lstat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if content is not None:
        assert digest(target) == content
    if make is user_database:
        with duckdb.connect(str(target), read_only=True) as con:
            assert con.execute("SELECT answer FROM my_analysis").fetchone() == (42,)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_the_dataset_itself_is_never_the_database(tmp_path, yaml_copy, how):
    before = yaml_copy.read_bytes()
    if how == "flag":
        result = lstui("build", data=yaml_copy, db=yaml_copy)
    else:
        result = run_lstui("show", "huadu", "--data", str(yaml_copy), env={"LSTUI_DB": str(yaml_copy)})
    assert result.returncode == 2
    assert "is the dataset itself" in one_line(result.stderr)
    assert yaml_copy.read_bytes() == before


def test_what_lstui_may_replace_it_replaces(tmp_path, yaml_copy, built):
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    for target in (tmp_path / "new" / "fresh.duckdb", empty, built):
        result = lstui("build", data=yaml_copy, db=target)
        assert result.returncode == 0, result.stderr
        assert is_fresh(yaml_copy, target)


def test_a_symlinked_database_is_rebuilt_where_it_points(tmp_path, yaml_copy, built):
    link = tmp_path / "link.duckdb"
    link.symlink_to(built)
    edit(yaml_copy)
    result = lstui("build", data=yaml_copy, db=link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and publisher(built) == "Shenzhen Daily (edited)"


# ------------------------------------------------------------------------------ stale forever


def test_an_edit_that_keeps_size_and_time_is_rebuilt(built, yaml_copy):
    st = yaml_copy.stat()
    text = yaml_copy.read_text(encoding="utf-8")
    changed = text.replace("Shenzhen Daily (Shenzhen Government Online)", "Shenzhen Daily (Shenzhen Government Onlinf)")
    assert len(changed.encode()) == st.st_size
    yaml_copy.write_text(changed, encoding="utf-8")
    os.utime(yaml_copy, ns=(st.st_atime_ns, st.st_mtime_ns))  # as cp -p or rsync -t leave it
    assert (yaml_copy.stat().st_size, yaml_copy.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    result = lstui("query", "SELECT publisher FROM sources WHERE id = 'szdaily-2023-03-28'", "--format", "csv",
                   data=yaml_copy, db=built)
    assert result.returncode == 0 and result.stdout.split("\n")[1] == "Shenzhen Daily (Shenzhen Government Onlinf)"


def test_the_recorded_hash_is_of_the_bytes_that_were_parsed(built, yaml_copy, monkeypatch):
    """A YAML replaced while a build parses it: the database records what it parsed, so the next
    command sees the new file as a change."""
    from lstui.core import yamlpos

    parse = yamlpos.loads

    def replace_file_meanwhile(raw, filename):
        edit(yaml_copy)
        return parse(raw, filename)

    monkeypatch.setattr(yamlpos, "loads", replace_file_meanwhile)
    build(yaml_copy, built)
    monkeypatch.undo()
    with duckdb.connect(str(built), read_only=True) as con:
        recorded = con.execute("SELECT yaml_sha256 FROM build_info").fetchone()[0]
    assert recorded != file_sha256(yaml_copy)
    assert publisher(built) != "Shenzhen Daily (edited)" and not is_fresh(yaml_copy, built)


def test_a_dataset_read_from_a_pipe_builds(tmp_path, yaml_copy):
    db = tmp_path / "piped.duckdb"
    result = subprocess.run(["bash", "-c", f'exec "{sys.executable}" -m lstui build --data <(cat "{yaml_copy}") '
                                           f'--db "{db}"'], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "empty" not in result.stderr and publisher(db).startswith("Shenzhen Daily")


# ------------------------------------------------------------------------------------ signals


def wait_until(condition, timeout: float = 60, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.002)


def build_temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and ".tmp" in p.name]


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_a_build_stopped_by_a_signal_leaves_nothing_and_says_so(built, yaml_copy, tmp_path, signum, code):
    edit(yaml_copy)
    before = digest(built)
    proc = subprocess.Popen([sys.executable, "-m", "lstui", "build", "--data", str(yaml_copy), "--db", str(built)],
                            stderr=subprocess.PIPE, text=True)
    wait_until(lambda: build_temp_files(tmp_path) or proc.poll() is not None, what="the build to start writing")
    proc.send_signal(signum)
    started = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10  # promptly, not after finishing the build
    if proc.returncode == 0:
        pytest.skip("the build finished before the signal arrived")
    assert proc.returncode == code, err
    assert one_line(err).startswith("lstui: ")
    assert not build_temp_files(tmp_path) and digest(built) == before


def test_ctrl_c_on_show_while_it_rebuilds_leaves_nothing(built, yaml_copy, tmp_path):
    edit(yaml_copy)
    proc = subprocess.Popen([sys.executable, "-m", "lstui", "show", "huadu", "--data", str(yaml_copy), "--db",
                             str(built)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_until(lambda: build_temp_files(tmp_path) or proc.poll() is not None, what="the rebuild to start")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    if proc.returncode == 0:
        pytest.skip("the rebuild finished before the signal arrived")
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not build_temp_files(tmp_path)


def test_sigterm_ends_the_app_and_restores_the_terminal(shipped_yaml, shipped_db, tmp_path):
    app = PtyRun(["--data", str(shipped_yaml), "--db", str(shipped_db)], terminal_env("xterm-256color"), cwd=tmp_path)
    try:
        assert app.wait_for(*FIRST_ROWS, *FILTERS, timeout=START_TIMEOUT), bytes(app.output)[-2000:]
        os.kill(app.pid, signal.SIGTERM)
        status = app.wait_exit(15)
    finally:
        app.close()
    assert status == 143, bytes(app.output)[-2000:]
    check_restored(bytes(app.output))


def test_closing_the_terminal_while_the_app_rebuilds_leaves_nothing_behind(built, yaml_copy, tmp_path):
    edit(yaml_copy)
    private = tmp_path / "private"
    private.mkdir()
    env = terminal_env("xterm-256color", TMPDIR=str(private))
    app = PtyRun(["--data", str(yaml_copy), "--db", str(built)], env, cwd=tmp_path)
    try:
        wait_until(lambda: build_temp_files(tmp_path) or not app._read(0), what="the app's rebuild")
        os.close(app.fd)  # the terminal goes away: the kernel sends SIGHUP
        app.fd = os.open(os.devnull, os.O_RDONLY)  # for close() to close
        deadline = time.monotonic() + 30
        status = None
        while status is None and time.monotonic() < deadline:
            pid, raw = os.waitpid(app.pid, os.WNOHANG)
            status = os.waitstatus_to_exitcode(raw) if pid else None
            time.sleep(0.01)
        app.status = status
    finally:
        app.close()
    assert status == 129
    assert not build_temp_files(tmp_path) and not list(private.iterdir())


def test_sigterm_during_the_apps_first_second_removes_its_private_copy(shipped_yaml, shipped_db, tmp_path):
    private = tmp_path / "private"
    private.mkdir()
    app = PtyRun(["--data", str(shipped_yaml), "--db", str(shipped_db)],
                 terminal_env("xterm-256color", TMPDIR=str(private)), cwd=tmp_path)
    try:
        wait_until(lambda: list(private.iterdir()) or FIRST_ROWS[0] in app.output or not app._read(0),
                   what="the app to copy the database")
        os.kill(app.pid, signal.SIGTERM)
        status = app.wait_exit(15)
    finally:
        app.close()
    assert status == 143 and not list(private.iterdir())


# --------------------------------------------------------------------------- environment faults


def test_a_directory_as_database_is_a_message(tmp_path, yaml_copy):
    folder = tmp_path / "db-dir"
    folder.mkdir()
    for args in (["show", "huadu"], ["build"], ["path"]):
        result = run_lstui(*args, "--data", str(yaml_copy), env={"LSTUI_DB": str(folder)})
        assert result.returncode == 2 and "is a directory" in one_line(result.stderr), args
    app = PtyRun(["--data", str(yaml_copy)], terminal_env("xterm-256color", LSTUI_DB=str(folder)), cwd=tmp_path)
    try:
        status = app.wait_exit(START_TIMEOUT)
    finally:
        app.close()
    assert status == 2 and b"is a directory" in app.output and b"Traceback" not in app.output


def limited(args: list[str], kilobytes: int, env: dict | None = None) -> subprocess.CompletedProcess:
    """lstui with a file-size limit, as on a full disk (Python ignores SIGXFSZ: writes fail instead)."""
    command = " ".join(f"'{a}'" for a in [sys.executable, "-m", "lstui", *args])
    return subprocess.run(["bash", "-c", f"ulimit -f {kilobytes}; exec {command}"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("command", [["build"], ["show", "huadu"]])
def test_a_full_disk_during_a_build_is_a_message_and_keeps_the_old_database(built, yaml_copy, tmp_path, command):
    edit(yaml_copy)
    before = digest(built)
    result = limited([*command, "--data", str(yaml_copy), "--db", str(built)], kilobytes=2048)
    assert result.returncode == 2
    assert "the disk is full or a file-size limit was reached" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert digest(built) == before and not build_temp_files(tmp_path)


def test_a_full_disk_during_the_apps_rebuild_is_a_message(built, yaml_copy, tmp_path):
    import resource

    edit(yaml_copy)
    before = digest(built)
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048 * 1024, limit[1]))  # the app's process inherits it
    try:
        app = PtyRun(["--data", str(yaml_copy), "--db", str(built)], terminal_env("xterm-256color"), cwd=tmp_path)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
    try:
        status = app.wait_exit(START_TIMEOUT)
    finally:
        app.close()
    assert status == 2
    assert b"the disk is full or a file-size limit was reached" in app.output
    assert b"Traceback" not in app.output
    assert digest(built) == before and not build_temp_files(tmp_path)


def damaged_copy(built: Path, folder: Path, query: str = "SELECT * FROM internal.jurisdictions") -> Path:
    """A copy of a database lstui built, with one block overwritten: it opens, and looks current,
    but `query` reads the damaged block."""
    folder.mkdir()
    db = folder / "policies.duckdb"
    for offset in range(262_144, built.stat().st_size, 262_144):
        shutil.copyfile(built, db)
        note = {"device": db.stat().st_dev, "inode": db.stat().st_ino, "size": db.stat().st_size}
        (folder / "policies.duckdb.built.json").write_text(json.dumps(note), encoding="utf-8")
        with open(db, "r+b") as fh:
            fh.seek(offset + 100)
            fh.write(b"\xff" * 4096)
        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error:
            continue
        try:
            con.execute("SELECT * FROM build_info").fetchall()
        except duckdb.Error:
            con.close()
            continue
        try:
            con.execute(query).fetchall()
        except duckdb.Error as exc:
            if "checksum" in str(exc).lower():
                return db
        finally:
            con.close()
    pytest.fail(f"no block of the database is read by {query!r} alone")


@pytest.mark.parametrize("command, reads", [
    (["show", "huadu"], "SELECT * FROM internal.jurisdictions"),
    (["cities"], "SELECT * FROM internal.m_places"),
    (["earn", "--role", "streamer"], "SELECT * FROM internal.calculator_tiers"),
], ids=["show", "cities", "earn"])
def test_a_damaged_block_is_rebuilt_and_the_command_answers(built, yaml_copy, tmp_path, command, reads):
    db = damaged_copy(built, tmp_path / "damaged", reads)
    expected = lstui(*command, data=yaml_copy, db=built).stdout
    result = lstui(*command, data=yaml_copy, db=db)
    assert result.returncode == 0, result.stderr
    assert one_line(result.stderr).endswith("is damaged; rebuilding it from " + str(yaml_copy) + " ...")
    assert result.stdout == expected
    again = lstui(*command, data=yaml_copy, db=db)
    assert again.returncode == 0 and again.stderr == "" and again.stdout == expected  # healed


async def test_the_app_rebuilds_a_damaged_database_and_goes_on(built, yaml_copy, tmp_path, make_app):
    from lstui.tui.vtable import VirtualTable
    from scripts.screenshots import settle

    db = damaged_copy(built, tmp_path / "damaged")
    app = make_app(data=False, data_path=yaml_copy, db_path=db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        sources = app.query_one("#sources-table", VirtualTable)  # an article many figures cite:
        sources.move_to(next(i for i in range(sources.total)  # naming their places reads the damaged block
                             if sources.row(i).id == "thepaper-2020-05"))
        for _ in range(3):
            await settle(app, pilot)
        assert app.return_code is None
        assert any("damaged" in str(n.message) for n in app._notifications)
        sources.move_to(next(i for i in range(sources.total) if sources.row(i).id == "thepaper-2020-05"))
        await settle(app, pilot)  # the reloaded pane reads the same figures from the rebuilt file
        citing = app.query_one("#citing-table", VirtualTable)
        assert citing.total > 0 and citing.row(0) is not None
    with duckdb.connect(str(db), read_only=True) as con:  # and the file is sound again
        assert con.execute("SELECT count(*) FROM internal.jurisdictions").fetchone()[0] == PLACES


@pytest.mark.parametrize("text", ["null", "[]", "{}", "[" * 100_000, '{"format": 3, "total": Infinity}',
                                  "not json", '{"format": 3, "build": null, "total": 1, "rows": [[null]], '
                                              '"provinces": []}'])
def test_a_damaged_first_screen_is_ignored(built, yaml_copy, text):
    snapshot = startup.path_for(built)
    real = json.loads(snapshot.read_text(encoding="utf-8"))
    snapshot.write_text(text, encoding="utf-8")
    assert startup.read(built, yaml_copy) is None
    real["rows"][0] = [None] * len(real["rows"][0])  # a sound build record, rows of nulls
    snapshot.write_text(json.dumps(real), encoding="utf-8")
    assert startup.read(built, yaml_copy) is None


def test_the_app_starts_beside_a_damaged_first_screen(built, yaml_copy, tmp_path):
    startup.path_for(built).write_text("[" * 100_000, encoding="utf-8")
    app = PtyRun(["--data", str(yaml_copy), "--db", str(built)], terminal_env("xterm-256color"), cwd=tmp_path)
    try:
        assert app.wait_for(*FIRST_ROWS, timeout=START_TIMEOUT), bytes(app.output)[-2000:]
        app.send(b"\x11")
        assert app.wait_exit(15) == 0
    finally:
        app.close()


def test_no_home_directory_is_a_message(yaml_copy, monkeypatch, capsys):
    """HOME unset for a user with no entry in the password database (as in some containers)."""
    import pwd

    from lstui.cli import main

    for name in ("HOME", "XDG_CACHE_HOME", "LSTUI_DB"):
        monkeypatch.delenv(name, raising=False)

    def no_entry(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    assert main(["show", "huadu", "--data", str(yaml_copy)]) == 2
    err = capsys.readouterr().err
    assert "there is no home directory" in one_line(err) and "LSTUI_DB" in err


@pytest.mark.parametrize("limit", ["99999999999999999999999", "9223372036854775808"])
def test_an_enormous_limit_means_every_place(shipped_db, shipped_yaml, limit):
    for command in (["cities"], ["earn", "--role", "streamer"]):
        result = run_lstui(*command, "--limit", limit, "--data", str(shipped_yaml), "--db", str(shipped_db))
        assert result.returncode == 0 and result.stderr == "", result.stderr
