"""What every tab's pane has in common."""

from __future__ import annotations

from textual.containers import Vertical

from lstui.tui.keys import PRINTABLE_ACTIONS, WHERE_NOTHING_IS_TYPED
from lstui.tui.vtable import VirtualTable


class Pane(Vertical):
    """A tab's content. It loads from the database when mounted, or when the app says the
    database is ready; it redraws when the app's number style, currency or theme changes, which
    it watches (attributes come down from the app; requests go up as messages)."""

    BINDINGS = WHERE_NOTHING_IS_TYPED
    # Where the user types (selectors): a printable shortcut there would take a key meant as text,
    # so q and the digits are off while focus is in one of these.
    TYPED_IN: tuple[str, ...] = ()

    def typing_here(self) -> bool:
        focused = self.screen.focused
        if focused is None:
            return False
        return any(focused is area or area in focused.ancestors for sel in self.TYPED_IN for area in self.query(sel))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PRINTABLE_ACTIONS:
            return not self.typing_here()
        return True

    @property
    def lstui(self):
        """The LstuiApp (not imported here: the app imports the panes)."""
        return self.app

    def on_mount(self) -> None:
        for attribute in ("currency", "number_style"):
            self.watch(self.app, attribute, self._notation_changed, init=False)
        self.watch(self.app, "marked", self.marks_changed, init=False)
        # A database opened (or rebuilt after damage) since: load from it. One open already: load now.
        self.watch(self.app, "data_generation", self._database_changed, init=False)
        if self.lstui.data is not None:
            self.load()

    def _database_changed(self) -> None:
        if self.lstui.data is not None:
            self.load()

    def _notation_changed(self) -> None:
        if self.lstui.data is not None:
            self.redraw()

    # The detail beside a table follows the cursor after a short pause, so that typing or scrolling
    # through the table repaints only the table; the detail is drawn once the cursor rests.
    DETAIL_DELAY = 0.06
    _pause_timer = None

    def after_pause(self, callback, *args) -> None:
        """Call `callback(*args)` once the cursor has rested for DETAIL_DELAY (a newer call wins)."""
        if self._pause_timer is not None:
            self._pause_timer.stop()
        if self.DETAIL_DELAY:
            self._pause_timer = self.set_timer(self.DETAIL_DELAY, lambda: callback(*args))
        else:
            callback(*args)

    async def action_quit(self) -> None:
        await self.app.run_action("quit")

    async def action_show_tab(self, tab: str) -> None:
        await self.app.run_action(f"show_tab({tab!r})")

    def action_step(self, step: int) -> None:
        """j / k (keys.TABLE_MOVES): the focused table's cursor down or up a row."""
        from textual.widgets import DataTable  # here: the first screen has none to import

        table = self.screen.focused
        if isinstance(table, VirtualTable):
            table.action_cursor(step)
        elif isinstance(table, DataTable):
            table.action_cursor_down() if step > 0 else table.action_cursor_up()

    def load(self) -> None:
        raise NotImplementedError

    def redraw(self) -> None:
        """Repaint after a change of number style or currency."""

    def marks_changed(self) -> None:
        """The places marked for comparison changed."""
