"""Calculator tab: "what would I earn here?", recomputed as you type."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from lstui import render
from lstui.core.textsafe import visible
from lstui.render import T
from lstui.core.calculator import Profile, Result
from lstui.core.memory import gc_paused
from lstui.core.money import AmountError, parse_amount, parse_count
from lstui.tui.pane import Pane
from lstui.tui.messages import ResultsReady
from lstui.tui.data import ResultSource
from lstui.tui.vtable import PAGE, Column, VirtualTable

ROLES = [("streamer (individual)", "streamer"), ("MCN / agency / brokerage", "mcn"), ("platform", "platform"),
         ("company", "company")]
TRISTATE = [("unknown", "unknown"), ("yes", "yes"), ("no", "no")]
AMOUNT_FIELDS = {  # input id -> (profile field, label, placeholder)
    "followers": ("followers", "Followers", "e.g. 600k, 60万"),
    "annual-sales": ("annual_sales", "Annual sales", "e.g. 15m, 1500万, $2m"),
    "valuation": ("valuation", "Valuation", "e.g. $1.2B, 80亿"),
    "turnover": ("turnover", "Turnover", "e.g. 600m, 6亿"),
}
COLUMNS = [
    Column("place", "Place", min_width=10, ratio=2),
    Column("measure", "Measure", min_width=12, ratio=3, priority=1),
    Column("status", "Status", width=13),
    Column("amount", "Amount", width=17),
    Column("next", "Next tier", min_width=16, ratio=4, priority=2),
]
STATUS_SHORT = {"eligible": "eligible", "needs_designation": "if designated", "needs_info": "needs info",
                "unquantified": "unquantified", "not_eligible": "not eligible", "not_applicable": "other role"}


class CalculatorPane(Pane):
    BINDINGS = [Binding("escape", "focus_results", "Results", show=False)]
    DETAIL_DELAY = 0.06  # as in Cities: the result card is drawn once typing pauses

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.generation = 0
        self.source: ResultSource | None = None
        self._detail_timer = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="calc-body"):
            with Vertical(id="calc-form"):
                with Horizontal(classes="field"):
                    yield Label("Role", classes="field-label")
                    yield Select(ROLES, value="streamer", allow_blank=False, id="role", compact=True)
                for input_id, (_, label, placeholder) in AMOUNT_FIELDS.items():
                    with Horizontal(classes="field"):
                        yield Label(label, classes="field-label")
                        yield Input(placeholder=placeholder, id=input_id, compact=True)
                        yield Static("", id=f"{input_id}-error", classes="field-error")
                for select_id, label in (("new-business", "New business here"), ("buying-home", "Buying a home")):
                    with Horizontal(classes="field"):
                        yield Label(label, classes="field-label")
                        yield Select(TRISTATE, value="unknown", allow_blank=False, id=select_id, compact=True)
                yield Static("", id="calc-summary")
            with Vertical(id="calc-results"):
                yield VirtualTable(COLUMNS, self.cells, key=lambda r: f"{r.place.id}/{r.incentive.id}",
                                   empty="Enter a profile to see what each place offers.", id="calc-table")
                with VerticalScroll(id="calc-detail-pane"):
                    yield Static("", id="calc-detail")

    def load(self) -> None:
        self.recompute()

    def action_focus_results(self) -> None:
        self.query_one(VirtualTable).focus()

    # ----------------------------------------------------------------------------- inputs

    def read_profile(self) -> Profile | None:
        """The profile from the form, or None if a field is invalid (its message is shown beside it)."""
        values, ok = {}, True
        for input_id, (field, label, _) in AMOUNT_FIELDS.items():
            text = self.query_one(f"#{input_id}", Input).value
            error = self.query_one(f"#{input_id}-error", Static)
            values[field] = None
            if text.strip():
                try:
                    values[field] = (parse_count(text, what="a follower count") if field == "followers"
                                     else parse_amount(text))
                except AmountError as exc:
                    self._set_error(error, str(exc))
                    ok = False
                    continue
            self._set_error(error, "")
        if not ok:
            return None
        tri = {"unknown": None, "yes": True, "no": False}
        return Profile(self.query_one("#role", Select).value, values["followers"], values["annual_sales"],
                       values["valuation"], values["turnover"],
                       tri[self.query_one("#new-business", Select).value],
                       tri[self.query_one("#buying-home", Select).value])

    def _set_error(self, label: Static, message: str) -> None:
        """Show a field's message beside it; touch the screen only when the message changes."""
        if getattr(label, "_message", None) != message:
            label._message = message
            label.update(T(message, style="bold red"), layout=False)

    @on(Input.Changed)
    @on(Select.Changed)
    def recompute(self) -> None:
        if self.lstui.data is None:
            return
        profile = self.read_profile()
        if profile is None:
            self.query_one("#calc-summary", Static).update(
                T("Fix the field marked in red; the results below are from the last valid entry.", style="yellow"),
                layout=False)
            return
        self.generation += 1
        self.evaluate(self.generation, profile)

    @work(thread=True, exclusive=True, group="calculator")
    def evaluate(self, generation: int, profile: Profile) -> None:
        # DuckDB ranks every place and measure and sends the first rows with the summary; the
        # table asks for more as it scrolls, and words only the rows it shows.
        with gc_paused():  # hundreds of rows at once: no cycle collection halfway through
            source = ResultSource.fetch(self.lstui.data, profile)
            first_page = source.window(0, PAGE)
        self.post_message(ResultsReady(generation, source, first_page))

    def on_results_ready(self, message: ResultsReady) -> None:
        if message.generation != self.generation:
            return
        self.source = message.source
        self.query_one(VirtualTable).set_source(message.source, first_page=message.first_page)
        self.show_summary()

    def show_summary(self) -> None:
        source = self.source
        if source is None:
            return
        text = T(f"{source.total:,} measures apply to this role · {source.eligible:,} eligible", style="bold")
        best = source.best if source.best is not None and source.best.possible > 0 else None
        if best is not None:
            text.append(visible(f"\nBest: {best.place_en}, certain {self.lstui.money(best.certain, 'CNY')}, "
                                f"possible up to {self.lstui.money(best.possible, 'CNY')}"))
        self.query_one("#calc-summary", Static).update(text, layout=False)

    # ---------------------------------------------------------------------------- results

    def cells(self, r: Result) -> dict:
        style, currency = self.lstui.number_style, self.lstui.currency
        place = T(r.place.name_en)
        if r.inherited:
            place.append(visible(f" ← {r.incentive.jurisdiction_en}"), style="dim")
        return {
            "place": place,
            "measure": r.incentive.name,
            "status": T(STATUS_SHORT[r.status], style=render.STATUS_STYLE[r.status]),
            "amount": render.result_amount(r, style, currency, short=True) if r.amount is not None else T("—", style="dim"),
            "next": r.next_tier.text if r.next_tier else "",
        }

    @on(VirtualTable.Highlighted, "#calc-table")
    def show_result(self, event: VirtualTable.Highlighted) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        if self.DETAIL_DELAY:
            self._detail_timer = self.set_timer(self.DETAIL_DELAY, lambda row=event.row: self._draw_card(row))
        else:
            self._draw_card(event.row)

    def _draw_card(self, row) -> None:
        detail = self.query_one("#calc-detail", Static)
        if row is None:
            detail.update("")
            return
        detail.update(render.result_card(row, self.lstui.number_style, self.lstui.currency))

    def redraw(self) -> None:
        table = self.query_one(VirtualTable)
        table.redraw()
        self.show_summary()
        if table.highlighted is not None:
            self.query_one("#calc-detail", Static).update(
                render.result_card(table.highlighted, self.lstui.number_style, self.lstui.currency))
