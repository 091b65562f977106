"""Every public view written to files with DuckDB's own COPY (`lstui export`), all or nothing."""

from __future__ import annotations

import os
from pathlib import Path

from lstui.core.connect import connect_readonly
from lstui.core.errors import LstuiError
from lstui.core.sql import error_message

PUBLIC_VIEWS = ("jurisdictions", "places", "sources", "metrics", "policies", "facts", "conflicts",
                "incentive_rules", "incentive_conditions", "citations", "exchange_rates", "build_info",
                "source_comparisons", "progress", "timeline")


COPY_OPTIONS = {"csv": "(FORMAT csv, HEADER true)", "parquet": "(FORMAT parquet, COMPRESSION zstd)",
                "json": "(FORMAT json, ARRAY true)"}


def export(db_path: Path, fmt: str, out_dir: Path) -> list[tuple[str, Path, int]]:
    """Write every public view with DuckDB's own COPY; returns (view, file, rows).

    All or nothing: the files are written into a private folder inside `out_dir` (the same file
    system, so a rename moves them, and no need to write beside it), then renamed into place.
    A rename replaces whatever had the name, a symlink included, and never writes through it.
    On any failure `out_dir` is left as it was, and a folder this call created is removed.
    """
    import shutil

    created = _make_folders(out_dir)
    try:
        staging = _staging_folder(out_dir)
        try:
            written = _copy_views(db_path, fmt, staging, out_dir)
            _move_into(out_dir, staging, [f"{view}.{fmt}" for view, _ in written])
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        for folder in created:  # innermost first; one that is not empty stays
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    return [(view, out_dir / f"{view}.{fmt}", rows) for view, rows in written]


def _make_folders(out_dir: Path) -> list[Path]:
    """Create `out_dir` and its missing parents; returns those created, innermost first."""
    missing = []
    for folder in (out_dir, *out_dir.parents):
        if os.path.lexists(folder):
            break
        missing.append(folder)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LstuiError(f"cannot create {out_dir}: {exc.strerror or exc}") from None
    return missing


def _staging_folder(out_dir: Path) -> Path:
    import tempfile

    try:
        return Path(tempfile.mkdtemp(prefix=".lstui-export-", dir=out_dir))
    except OSError as exc:
        raise LstuiError(f"cannot write into {out_dir}: {exc.strerror or exc}") from None


def _copy_views(db_path: Path, fmt: str, folder: Path, out_dir: Path) -> list[tuple[str, int]]:
    import duckdb

    written = []
    con = connect_readonly(db_path)  # external access stays on: COPY must write the files
    try:
        for view in PUBLIC_VIEWS:
            target = folder / f"{view}.{fmt}"
            try:
                (rows,) = con.execute(f"COPY (SELECT * FROM {view}) TO $path {COPY_OPTIONS[fmt]}",
                                      {"path": str(target)}).fetchone()
            except duckdb.Error as exc:
                # named as the user will look for it, not by the private folder it was going into
                message = error_message(exc).replace(str(folder), str(out_dir))
                raise LstuiError(f"cannot write {out_dir / target.name}: {message}; nothing was exported") from None
            written.append((view, rows))
    finally:
        con.close()
    return written


def _move_into(out_dir: Path, staging: Path, names: list[str]) -> None:
    """Rename the files from `staging` into `out_dir`; if one rename fails, put back what was there."""
    for name in names:
        target = out_dir / name
        if target.is_dir() and not target.is_symlink():
            raise LstuiError(f"cannot write {target}: a folder of that name is in the way; nothing was exported")
    previous = staging / "previous"  # what the new files replace, kept until all of them are in
    previous.mkdir()
    moved: list[tuple[str, bool]] = []
    try:
        for name in names:
            had = os.path.lexists(out_dir / name)
            if had:
                os.replace(out_dir / name, previous / name)
            moved.append((name, had))
            os.replace(staging / name, out_dir / name)
    except BaseException as exc:
        _put_back(out_dir, staging, previous, moved)
        if isinstance(exc, OSError):
            raise LstuiError(f"cannot move the files into {out_dir}: {exc.strerror or exc}; "
                             "nothing was exported") from None
        raise


def _put_back(out_dir: Path, staging: Path, previous: Path, moved: list[tuple[str, bool]]) -> None:
    for name, had in reversed(moved):
        try:
            if not os.path.lexists(staging / name):  # the new file went in: take it out again
                os.replace(out_dir / name, staging / name)
            if had:
                os.replace(previous / name, out_dir / name)
        except OSError:
            continue  # best effort: put back as much as can be



# ------------------------------------------------------------------ the app's comparison export

COMPARISON_COLUMNS = ["metric", "label", "jurisdiction_id", "jurisdiction_en", "fact_id", "value", "value_high",
                      "unit", "comparator", "period", "deadline", "source_id", "locator", "preferred", "has_conflict"]


def comparison_records(rows, places) -> tuple[list[str], list[list]]:
    """A comparison as data: one row per reported version of a metric in a place, the value as the
    number its source states (in its own unit or currency), with the source and the locator."""
    out = []
    for row in rows:
        for place in places:
            cell = row.cells.get(place.id)
            out += [[row.metric, row.label, place.id, place.name_en, f.fact_id, f.value, f.value_high, f.unit,
                     f.comparator, f.period, f.deadline, f.source_id, f.locator, f.preferred, f.has_conflict]
                    for f in (cell.versions if cell else ())]
    return COMPARISON_COLUMNS, out


def new_file(folder: Path, stem: str, suffix: str):
    """A file created for writing that did not exist before: `stem.suffix`, else `stem-2.suffix`,
    and so on; an export never replaces another, even one made in the same second. Returns the
    path and the open file; raises OSError."""
    n = 1
    while True:
        path = folder / (f"{stem}.{suffix}" if n == 1 else f"{stem}-{n}.{suffix}")
        try:
            return path, open(path, "x", encoding="utf-8", newline="")
        except FileExistsError:
            n += 1
