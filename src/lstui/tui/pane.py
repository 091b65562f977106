"""What every tab's pane has in common."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical

if TYPE_CHECKING:
    from lstui.tui.app import LstuiApp


class Pane(Vertical):
    """A tab's content. It loads from the database when mounted, or when the app says the
    database is ready; it redraws when the number style or currency changes."""

    @property
    def lstui(self) -> "LstuiApp":
        return self.app  # type: ignore[return-value]

    def on_mount(self) -> None:
        if self.lstui.data is not None:  # otherwise the app calls load() once the database is open
            self.load()

    def load(self) -> None:
        raise NotImplementedError

    def redraw(self) -> None:
        """Repaint after a change of number style or currency."""
