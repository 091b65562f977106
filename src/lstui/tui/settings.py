"""What the user sets and the app remembers between runs: marks, theme, currency and number style
(saved in a small settings file, lstui.core.prefs), and the keys that change them."""

from __future__ import annotations

from textual import work

from lstui.core import prefs
from lstui.core.errors import LstuiError
from lstui.tui.data import db_work
from lstui.tui.messages import KnownPlaces, Notice


class KeepsSettings:
    """Part of LstuiApp, whose reactives `marked`, `currency`, `number_style` and `theme` these are."""

    def _restore(self, saved: prefs.Prefs) -> None:
        """The last run's settings (its marks are checked against the database once it opens)."""
        self.set_reactive(type(self).marked, saved.marked)
        self.set_reactive(type(self).currency, saved.currency)
        self.set_reactive(type(self).number_style, saved.number_style)
        if saved.theme in self.available_themes:
            self.theme = saved.theme

    def _remember(self) -> None:
        """Save the settings when one changes: a file of a few hundred bytes, written at once, so
        that writes never overtake one another."""
        now = prefs.Prefs(self.marked, self.theme, self.currency, self.number_style)
        if self.prefs_path is None or now == self._saved:
            return
        try:
            prefs.save(self.prefs_path, now)
        except LstuiError as exc:
            if not self._save_failed:  # said once; the app works on without remembering
                self.notify(f"{exc}; settings will not be remembered", severity="warning", markup=False)
            self._save_failed = True
            return
        self._saved = now

    def _check_marks(self) -> None:
        """A database is open: drop the marks of places it does not have."""
        if self.marked:
            self.check_marks(self.marked)

    @db_work(exclusive=True, group="known-marks")
    def check_marks(self, marked: tuple[str, ...]) -> None:
        self.post_message(KnownPlaces(marked, frozenset(self.data.places_by_id(marked))))

    def on_known_places(self, message: KnownPlaces) -> None:
        """Marks of places the data no longer has are dropped (marks made meanwhile stay)."""
        kept = tuple(p for p in self.marked if p in message.known or p not in message.marked)
        if kept != self.marked:
            self.set_marks(kept)

    def action_toggle_currency(self) -> None:
        self.currency = "USD" if self.currency == "CNY" else "CNY"
        self.count_unconverted(self.currency)

    @work(thread=True, exclusive=True, group="rates")
    def count_unconverted(self, currency: str) -> None:
        """Say once how the amounts were converted, and how many have no rate to convert them at."""
        from lstui.core import queries

        missing = queries.amounts_without_rate(self.data.cursor()) if self.data is not None else 0
        message = (f"Amounts in {currency}, each converted at the rate its source states, else the one "
                   "stated nearest in time (see the exchange_rates view).")
        if missing:
            message += (f" {missing:,} amount{'s' if missing != 1 else ''} from undated sources "
                        f"{'have' if missing != 1 else 'has'} no rate and stay{'s' if missing == 1 else ''} "
                        "as stated.")
        self.post_message(Notice(message))

    def action_toggle_style(self) -> None:
        self.number_style = "chinese" if self.number_style == "international" else "international"
        self.notify("Numbers as " + ("¥2,500万, ¥3,000亿" if self.number_style == "chinese" else "¥25m, ¥300bn"),
                    timeout=3)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

