"""The YAML changing while the app runs: a look at the file every few seconds, an offer to reload,
and a rebuild and reload in place (or, when the file has problems, where they are)."""

from __future__ import annotations

import os

from textual import work

from lstui.core.errors import LstuiError
from lstui.tui.data import db_work
from lstui.tui.messages import DatabaseReady, DataFileChanged, DataReloaded, ReloadFailed
from lstui.tui.opening import failure

DATA_CHECK_EVERY = 2.0  # seconds between looks at the YAML's size and time (a stat)
PROBLEMS_SHOWN = 8  # of a changed YAML's problems, in the app's message


class ReloadsData:
    """Part of LstuiApp: `data` and `data_path` are the app's; it opens a database as OpensDatabase does."""

    def _watch_data(self) -> None:
        """A database is open: watch the YAML from now on."""
        if self._data_watch is None:
            self._data_watch = self.set_interval(DATA_CHECK_EVERY, self.look_at_data_file)

    def look_at_data_file(self) -> None:
        """Only a stat, on the UI thread; a new size or time has the file's hash checked on a thread."""
        try:
            st = os.stat(self.data_path)
            stamp = (st.st_size, st.st_mtime_ns)
        except OSError:
            stamp = None
        if stamp != self._data_stamp and self.data is not None and not self._reloading:
            self._data_stamp = stamp
            self.check_data_file()

    @db_work(exclusive=True, group="data-file")
    def check_data_file(self) -> None:
        from lstui.core import freshness

        try:
            data = freshness.read_data(self.data_path)
        except LstuiError:
            return  # gone or unreadable for a moment (an editor saving it): a later look tells
        if not freshness.matches(freshness.build_info(self.data.cursor()), data):
            self.post_message(DataFileChanged())

    def on_data_file_changed(self, _: DataFileChanged) -> None:
        if not self.data_stale and not self._reloading:
            self.data_stale = True
            self.notify(f"{self.data_path} changed. Press ctrl+l (or \"Reload data\" in ctrl+p) to rebuild "
                        "the database and reload it here.", title="The data changed", timeout=20, markup=False)

    def action_reload_data(self) -> None:
        """Rebuild the database if the YAML changed, and reload every pane in place."""
        if self.data is None or self._reloading:
            return
        self._reloading = True
        self.notify(f"Reloading the data from {self.data_path} ...", timeout=4, markup=False)
        self.reload_database()

    @work(thread=True, exclusive=True, group="reload")
    def reload_database(self) -> None:
        try:
            data = self.open_current()
        except LstuiError as exc:
            self.post_message(ReloadFailed(*failure(exc)))
            return
        self.post_message(DataReloaded(data))

    def on_data_reloaded(self, message: DataReloaded) -> None:
        # The old database is not closed here: a worker may still be reading from it. It closes
        # when the last of them lets go of it.
        self.data, self._reloading, self.data_stale, self._data_stamp = message.data, False, False, None
        self.notify(f"Reloaded the data from {self.data_path}.", timeout=4, markup=False)
        self.post_message(DatabaseReady())

    def on_reload_failed(self, message: ReloadFailed) -> None:
        """The changed YAML has problems: say where; the data shown stays as it was."""
        self._reloading, self.data_stale = False, False  # the next change is offered again
        from lstui.core.textsafe import one_line

        lines = [one_line(str(p)) for p in message.problems[:PROBLEMS_SHOWN]] or [message.error or "unknown error"]
        more = len(message.problems) - PROBLEMS_SHOWN
        if more > 0:
            lines.append(f"... and {more} more (lstui build lists them all)")
        count = len(message.problems)
        title = f"{count} problem{'s' if count != 1 else ''} in the data" if count else "Could not reload"
        self.notify("\n".join(lines) + "\nThe data shown is unchanged; fix the file and press ctrl+l.",
                    title=title, severity="error", timeout=30, markup=False)

