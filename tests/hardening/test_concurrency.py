"""The app running, 20 scripts querying the database file, and a rebuild in the middle: nobody is
locked out, and every answer comes from a complete database (the old one or the new one)."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import textwrap

import duckdb
import yaml
from textual.widgets import Input

from lstui.core.build import build
from lstui.core.freshness import file_sha256
from lstui.tui.app import LstuiApp
from lstui.tui.data import AppData
from lstui.tui.vtable import VirtualTable
from scripts.screenshots import settle

SCRIPTS = 20

# A researcher's script: open the file read-only, ask, close; again and again until told to stop.
SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    import duckdb
    db, ready, go, stop = sys.argv[1:5]
    open(ready, "w").close()
    while not os.path.exists(go):
        time.sleep(0.002)
    answers, errors = [], []
    while True:
        last = os.path.exists(stop)
        try:
            con = duckdb.connect(db, read_only=True)
            try:
                answers.append([con.execute("SELECT yaml_sha256 FROM internal.build_info").fetchone()[0],
                                con.execute("SELECT count(*) FROM facts").fetchone()[0],
                                con.execute("SELECT count(*) FROM jurisdictions").fetchone()[0],
                                con.execute("SELECT count(*) FROM incentive_rules").fetchone()[0]])
            finally:
                con.close()
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        if last:
            break
    print(json.dumps({"answers": answers, "errors": errors}))
""")


def counts(db) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(con.execute(
            "SELECT (SELECT yaml_sha256 FROM internal.build_info), (SELECT count(*) FROM facts), "
            "(SELECT count(*) FROM jurisdictions), (SELECT count(*) FROM incentive_rules)").fetchone())
    finally:
        con.close()


def with_one_more_target(shipped_yaml, path) -> None:
    """The shipped dataset with one more target, so that the two databases answer differently."""
    data = yaml.safe_load(shipped_yaml.read_text(encoding="utf-8"))
    extra = dict(data["targets"][0], id="extra-target-for-the-rebuild")
    data["targets"].append(extra)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


async def wait_for_files(paths, timeout: float = 120) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not all(p.exists() for p in paths):
        assert loop.time() < deadline, "the scripts did not start"
        await asyncio.sleep(0.01)


async def test_app_scripts_and_a_rebuild_at_once(tmp_path, shipped_yaml):
    old_yaml = tmp_path / "old.yaml"
    shutil.copyfile(shipped_yaml, old_yaml)
    new_yaml = tmp_path / "new.yaml"
    with_one_more_target(shipped_yaml, new_yaml)
    db = tmp_path / "policies.duckdb"
    build(old_yaml, db)
    old = counts(db)
    script = tmp_path / "script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    go, stop = tmp_path / "go", tmp_path / "stop"
    ready = [tmp_path / f"ready-{i}" for i in range(SCRIPTS)]

    app = LstuiApp(old_yaml, db, AppData.open(db), export_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        procs = [await asyncio.create_subprocess_exec(sys.executable, str(script), str(db), str(r), str(go), str(stop),
                                                      stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
                 for r in ready]
        try:
            await wait_for_files(ready)
            go.touch()
            rebuild = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "lstui", "build", "--data", str(new_yaml), "--db", str(db),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            # The app keeps answering while the file is rebuilt under it.
            filter_box = app.query_one("#city-filter", Input)
            filter_box.focus()
            for key in "shenzhen":
                await pilot.press(key)
            _, build_err = await rebuild.communicate()
            assert rebuild.returncode == 0, build_err.decode()
            await settle(app, pilot)
            table = app.query_one("#city-table", VirtualTable)
            assert table.total >= 1 and table.row(0).name_en == "Shenzhen"
            new = counts(db)
            # Let every script answer at least once from the new file before stopping them.
            await asyncio.sleep(0.5)
            stop.touch()
            outputs = [await p.communicate() for p in procs]
        finally:
            stop.touch()
            for p in procs:
                if p.returncode is None:
                    p.kill()
                    await p.wait()

    assert new != old and new[0] == file_sha256(new_yaml) and old[0] == file_sha256(old_yaml)
    assert new[1] == old[1] + 1
    answers, errors = [], []
    for out, err in outputs:
        assert not err.strip(), err.decode()
        report = json.loads(out)
        answers += [tuple(a) for a in report["answers"]]
        errors += report["errors"]
    assert errors == []
    assert len(answers) >= SCRIPTS * 2
    assert set(answers) <= {old, new}, "an answer came from an incomplete database"
    assert {old, new} <= set(answers), "the scripts should have read both the old and the new file"
