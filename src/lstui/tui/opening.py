"""How the app opens its database: off the UI thread, rebuilt when the YAML changed or the file
is damaged, and what it shows meanwhile; and how it stops on a signal."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.containers import Vertical
from textual.widgets import Footer, LoadingIndicator, Static

from lstui.core.errors import DataError, LstuiError
from lstui.tui.data import AppData, DamagedDatabase
from lstui.tui.messages import BuildingStarted, DatabaseDamaged, DatabaseReady, Notice, OpenFailed


def failure(exc: LstuiError) -> tuple[list, str | None]:
    """What a failed open says: the YAML's problems, or else the one error."""
    return (exc.problems, None) if isinstance(exc, DataError) else ([], str(exc))


class OpensDatabase:
    """Part of LstuiApp: `data_path`, `db_path`, `data` and `_repairing` are the app's."""

    def open_current(self, notify=None) -> AppData:
        """A private copy of a current database (rebuilt first if the YAML changed), on a worker's
        thread; LstuiError (DataError for the YAML's problems) if there is none to be had."""
        from lstui.core import store

        con = store.current(self.data_path, self.db_path, notify=notify, private=True)
        return AppData(con, self.db_path, self._damaged)

    @work(thread=True, exclusive=True, group="database")
    def open_database(self) -> None:
        def building(message: str) -> None:
            self.post_message(BuildingStarted() if message.startswith("building") else Notice(message))

        try:
            self.data = self.open_current(notify=building)
        except LstuiError as exc:
            self.post_message(OpenFailed(*failure(exc)))
            return
        self.post_message(DatabaseReady())

    def _damaged(self, exc: BaseException) -> None:
        """DuckDB found the file damaged (called from any thread): rebuild it, then reload."""
        self.post_message(DatabaseDamaged(str(exc)))

    def on_database_damaged(self, message: DatabaseDamaged) -> None:
        if self._repairing:
            return
        self._repairing = True
        self.notify("The database file is damaged; rebuilding it from the YAML (it holds nothing else) ...",
                    severity="warning", timeout=8)
        self.repair_database()

    @work(thread=True, exclusive=True, group="database")
    def repair_database(self) -> None:
        from lstui.core import store

        old = self.data
        try:
            store.rebuild(self.data_path, self.db_path)
            data = AppData.open(self.db_path, self._damaged)
        except DataError as exc:
            self.post_message(OpenFailed(exc.problems, None))
            return
        except LstuiError as exc:
            self.post_message(OpenFailed([], f"the database is damaged and could not be rebuilt: {exc}"))
            return
        self.data, self._repairing = data, False
        if old is not None:
            old.close()
        self.post_message(DatabaseReady())

    def on_worker_state_changed(self, event) -> None:
        """Database workers do not end the app when the file is damaged (that is repaired); any
        other error still does, as Textual would."""
        from textual.worker import WorkerState

        error = event.worker.error
        if event.state == WorkerState.ERROR and error is not None and not isinstance(error, DamagedDatabase):
            raise error

    def _stop_on_signals(self) -> None:
        """SIGTERM, SIGHUP (the terminal closed) and SIGINT end the app as q does: the terminal is
        restored, what this process created is removed, and the exit code names the signal."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            loop.add_signal_handler(signum, self._stop, signum)

    def _stop(self, signum: int) -> None:
        import os
        import signal

        from lstui.core import cleanup

        cleanup.note_signal(signum)
        cleanup.remove_registered()
        if signum == signal.SIGHUP:
            # The terminal is gone: there is nothing to restore, and Textual's shutdown writes to
            # it and waits on a writer that has died on the closed terminal.
            os._exit(cleanup.exit_code())
        self.exit(return_code=cleanup.exit_code())

    def _show_building(self) -> None:
        message = Text(f"Building the database from {self.data_path} (the data changed) ...", justify="center")
        status = self.query("#building-status")
        if status:
            status.first(Static).update(message)
        else:
            self.mount(Vertical(LoadingIndicator(), Static(message, id="building-status"), id="building"),
                       before=self.query_one(Footer))

    # Workers post these, never wait on the UI thread: a worker blocked on a UI that is shutting
    # down would keep the process alive after a stop signal.
    def on_building_started(self, _: BuildingStarted) -> None:
        self._show_building()

    def on_open_failed(self, message: OpenFailed) -> None:
        if self.return_code is None:  # not after a stop signal: its code stands
            self._fail(message.problems, message.error)

    def on_notice(self, message: Notice) -> None:
        self.notify(message.text, timeout=6)

    def _fail(self, problems: list, error: str | None) -> None:
        self.problems, self.error = problems, error
        self.exit(2, return_code=2)

