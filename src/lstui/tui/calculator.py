"""Calculator tab: "what would I earn here?", recomputed as you type."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from lstui import render
from lstui.core import earn, vocab
from lstui.core.calculator import Profile
from lstui.core.memory import gc_paused
from lstui.core.money import SYMBOLS, AmountError, format_count, parse_amount, parse_count
from lstui.core.textsafe import visible
from lstui.render import T
from lstui.tui.data import RankedResult, ResultSource, db_work
from lstui.tui.keys import TABLE_MOVES
from lstui.tui.messages import ProfileFieldsReady, ResultsReady
from lstui.tui.pane import Pane
from lstui.tui.vtable import PAGE, Column, VirtualTable

ROLES = [(vocab.ROLE_LABELS[role], role) for role in vocab.ROLES]
TRISTATE = [("unknown", "unknown"), ("yes", "yes"), ("no", "no")]
LISTING = [("unknown", "unknown"), ("mainland China", "domestic"), ("overseas", "overseas"), ("not listed", "none")]
AMOUNT_FIELDS = {  # input id -> (profile field, label, placeholder)
    "followers": ("followers", "Followers", "e.g. 600k, 60万"),
    "annual-sales": ("annual_sales", "Annual sales", "e.g. 15m, 1500万, $2m"),
    "valuation": ("valuation", "Valuation", "e.g. $1.2B, 80亿"),
    "turnover": ("turnover", "Turnover", "e.g. 600m, 6亿"),
    "tax-paid": ("tax_paid", "Tax paid", "company's, e.g. 100万"),
    "local-sales": ("local_product_sales", "Local products", "sales, e.g. 1m"),
    "floor-area": ("floor_area", "Floor area m²", "e.g. 150"),
}
COUNT_WHAT = {"followers": "a follower count", "floor_area": "a floor area in square metres"}
YES_NO_FIELDS = {"new-business": ("new_business", "New business here"), "buying-home": ("buying_home", "Buying a home"),
                 "exclusive": ("exclusive_contract", "Exclusive signing"),
                 "registered": ("registered_locally", "Registered here")}
CHOICE_FIELDS = {"listing": ("listing", "Listed on", LISTING)}  # select id -> (profile field, label, options)
COLUMNS = [
    Column("place", "Place", min_width=13, ratio=2),
    Column("measure", "Measure", min_width=12, ratio=3, priority=1),
    Column("status", "Status", width=13),
    Column("amount", "Amount", width=17),
    Column("next", "Next tier", min_width=16, ratio=4, priority=2),
]


def result_key(row: RankedResult) -> str:
    return f"{row.result.place.id}/{row.result.incentive.id}"


def _digits(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


class CalculatorPane(Pane):
    BINDINGS = [
        Binding("escape", "focus_results", "Results", show=False),
        # The Cities list's keys, so that one habit sorts every table; function keys, so that
        # they also work from the form.
        Binding("f6", "cycle_sort", "Sort", key_display="F6"),
        Binding("shift+f6", "reverse_sort", "Reverse", key_display="⇧F6"),
        *TABLE_MOVES,
    ]
    TYPED_IN = ("#calc-form",)  # the form: a digit typed on a menu there is not a tab key
    UPDATING_DELAY: float | None = 0.15  # a ranking slower than this says the results are updating

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.generation = 0
        self.source: ResultSource | None = None
        self.fields_for: dict[str, tuple[str, ...]] | None = None  # role -> fields its measures ask about
        self._ranking = False  # a ranking is running
        self._wanted: tuple[int, Profile, str | None] | None = None  # the newest profile (and sort), waiting
        self._shown_generation = 0  # the profile whose results are on screen
        self._profile: Profile | None = None  # the last valid profile, the one ranked
        self.sort_column: str | None = None  # a column's key (earn.RESULT_SORTS), or None: best first
        self.sort_descending = False
        self._keep: str | None = None  # the result the cursor stays on when the results come (a sort)

    def compose(self) -> ComposeResult:
        with Horizontal(id="calc-body"):
            with Vertical(id="calc-form"):
                yield from self._fields()
                yield Static("", id="calc-fields-note")
                yield Static("", id="calc-summary")
            with Vertical(id="calc-results"):
                yield VirtualTable(COLUMNS, self.cells, key=result_key,
                                   empty="Enter a profile to see what each place offers.", id="calc-table")
                with VerticalScroll(id="calc-detail-pane"):
                    yield Static("", id="calc-detail")

    def _fields(self) -> ComposeResult:
        """The profile's fields, in a box that scrolls when the terminal is short (a field that
        gets focus scrolls into view), so that the results keep their rows."""
        with VerticalScroll(id="calc-fields", can_focus=False):
                with Horizontal(classes="field"):
                    yield Label("Role", classes="field-label")
                    yield Select(ROLES, value="streamer", allow_blank=False, id="role", compact=True)
                for input_id, (field, label, placeholder) in AMOUNT_FIELDS.items():
                    with Horizontal(classes="field", id=f"{input_id}-field"):
                        yield Label(label, classes="field-label")
                        yield Input(placeholder=placeholder, id=input_id, compact=True)
                        yield Static("", id=f"{input_id}-error", classes="field-error")
                selects = {**{i: (f, label, TRISTATE) for i, (f, label) in YES_NO_FIELDS.items()}, **CHOICE_FIELDS}
                for select_id, (field, label, options) in selects.items():
                    with Horizontal(classes="field", id=f"{select_id}-field"):
                        yield Label(label, classes="field-label")
                        yield Select(options, value="unknown", allow_blank=False, id=select_id, compact=True)

    def load(self) -> None:
        self._keep_cursor()  # a reload of the data keeps the cursor on its result
        self.load_fields()
        self.recompute()

    def action_focus_results(self) -> None:
        self.query_one(VirtualTable).focus()

    # ----------------------------------------------------------------------------- fields

    @db_work(exclusive=True, group="calculator-fields")
    def load_fields(self) -> None:
        self.post_message(ProfileFieldsReady(earn.profile_fields(self.lstui.data.cursor())))

    def on_profile_fields_ready(self, message: ProfileFieldsReady) -> None:
        self.fields_for = message.fields
        self.show_fields()

    def role(self) -> str:
        return self.query_one("#role", Select).value  # type: ignore[return-value]

    def asked(self, field: str) -> bool:
        """Whether some measure for the chosen role has a condition on this field (all, until known)."""
        return self.fields_for is None or field in self.fields_for.get(self.role(), ())

    def show_fields(self) -> None:
        """Show the fields that the chosen role's measures ask about; hide the rest."""
        fields = {**{i: f for i, (f, _, _) in AMOUNT_FIELDS.items()}, **{i: f for i, (f, _) in YES_NO_FIELDS.items()},
                  **{i: f for i, (f, _, _) in CHOICE_FIELDS.items()}}
        hidden = []
        for widget_id, field in fields.items():
            shown = self.asked(field)
            self.query_one(f"#{widget_id}-field").display = shown
            if not shown:
                hidden.append(field.replace("_", " "))
        note = f"No {self.role()} measure asks for: {', '.join(hidden)}." if hidden else ""
        self.query_one("#calc-fields-note", Static).update(T(note, style="dim"), layout=True)

    # ----------------------------------------------------------------------------- inputs

    def read_profile(self) -> Profile | None:
        """The profile from the form, or None if a field is invalid (its message is shown beside it).

        Beside each valid entry it says how it was read ("600k" reads as 600,000); fields hidden
        for the chosen role count as left out.
        """
        values, ok = {}, True
        for input_id, (field, label, _) in AMOUNT_FIELDS.items():
            text = self.query_one(f"#{input_id}", Input).value
            note = self.query_one(f"#{input_id}-error", Static)
            values[field] = None
            if not text.strip() or not self.asked(field):
                self._set_note(note, "")
                continue
            try:
                values[field] = (parse_count(text, what=COUNT_WHAT[field]) if field in COUNT_WHAT
                                 else parse_amount(text))
            except AmountError as exc:
                self._set_note(note, str(exc), error=True)
                ok = False
                continue
            self._set_note(note, "= " + self._reading(values[field]) + (" m²" if field == "floor_area" else ""))
        if not ok:
            return None
        tri = {"unknown": None, "yes": True, "no": False}
        yes_no = {field: tri[self.query_one(f"#{select_id}", Select).value] if self.asked(field) else None
                  for select_id, (field, _) in YES_NO_FIELDS.items()}
        listing = self.query_one("#listing", Select).value if self.asked("listing") else "unknown"
        return Profile(self.role(), **values, **yes_no, listing=None if listing == "unknown" else listing)

    def _reading(self, value) -> str:
        """In digits, so that "15m" plainly reads as fifteen million, not as a scale word."""
        if isinstance(value, int):
            return format_count(value)
        return SYMBOLS[value.in_currency("CNY")] + _digits(value.value)

    def _set_note(self, label: Static, message: str, error: bool = False) -> None:
        """Show a field's message beside it; touch the screen only when the message changes."""
        if getattr(label, "_message", None) != (message, error):
            label._message = (message, error)
            label.update(T(message, style="bold red" if error else "dim"), layout=False)

    @on(Select.Changed, "#role")
    def role_changed(self) -> None:
        self.show_fields()

    @on(Input.Changed)
    @on(Select.Changed)
    def recompute(self) -> None:
        if self.lstui.data is None:
            return
        profile = self.read_profile()
        if profile is None:
            self.query_one("#calc-summary", Static).update(
                T("Fix the field marked in red; the results below are from the last valid entry.", style="yellow"))
            return
        self._rank(profile)

    def _rank(self, profile: Profile) -> None:
        self._profile = profile
        self.generation += 1
        sort = earn.result_sort(self.sort_column, self.sort_descending) if self.sort_column else None
        self._wanted = (self.generation, profile, sort)
        if not self._ranking:
            self._rank_next()
        if self.UPDATING_DELAY is not None:
            self.set_timer(self.UPDATING_DELAY, lambda generation=self.generation: self._show_updating(generation))

    def _rank_next(self) -> None:
        """Rank the newest profile asked for. One ranking runs at a time: keystrokes that come while
        it runs are not queued one by one; the newest waits and runs next."""
        wanted, self._wanted = self._wanted, None
        if wanted is not None:
            self._ranking = True
            self.evaluate(*wanted)

    @on(Worker.StateChanged)
    def _ranking_ended(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "calculator" and event.state in (WorkerState.SUCCESS, WorkerState.ERROR,
                                                                  WorkerState.CANCELLED):
            self._ranking = False
            self._rank_next()

    def _show_updating(self, generation: int) -> None:
        """Results that take a while to rank say so, so that the ones shown are not taken for
        the answer to what was just typed."""
        if generation == self.generation and self._shown_generation != generation and self.source is not None:
            self.show_summary(updating=True)

    @db_work(group="calculator")
    def evaluate(self, generation: int, profile: Profile, sort: str | None = None) -> None:
        # DuckDB ranks every place and measure and sends the first rows with the summary; the
        # table asks for more as it scrolls, and words only the rows it shows.
        with gc_paused():  # hundreds of rows at once: no cycle collection halfway through
            source = ResultSource.fetch(self.lstui.data, profile, self.lstui.notation, sort)
            first_page = source.window(0, PAGE)
        self.post_message(ResultsReady(generation, source, first_page))

    def on_results_ready(self, message: ResultsReady) -> None:
        if message.generation != self.generation:
            return
        self.source, self._shown_generation = message.source, message.generation
        table = self.query_one(VirtualTable)
        table.set_source(message.source, first_page=message.first_page)
        if self._keep is not None:
            table.move_to_key(self._keep)  # found among the rows fetched; else the cursor starts at the top
            self._keep = None
        self.show_summary()

    def show_summary(self, updating: bool = False) -> None:
        source = self.source
        if source is None:
            return
        if updating:  # the same lines, so that nothing below moves; those kept are dimmed
            text = T("Updating the results for the new entry ...", style="bold italic")
        else:
            text = T(f"{source.total:,} measure{'s' if source.total != 1 else ''} for this role · "
                     f"{source.eligible:,} eligible", style="bold")
        best = source.best if source.best is not None and source.best.possible > 0 else None
        if best is not None:
            notation = self.lstui.notation
            certain = render.total_text(best.certain, best.certain_usd, notation)
            possible = render.total_text(best.possible, best.possible_usd, notation)
            text.append(visible(f"\nMost on offer: {best.place_en} — certain {certain}"))
            if best.possible > best.certain:
                text.append(visible(f", up to {possible} if every discretionary maximum is granted"))
        if updating:
            text.stylize("dim", len(text.plain.split("\n")[0]))
        self.query_one("#calc-summary", Static).update(text)

    # ---------------------------------------------------------------------------- sort

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reverse_sort":
            return self.sort_column is not None  # in the footer once there is a sort to reverse
        return super().check_action(action, parameters)

    def action_cycle_sort(self) -> None:
        """Sort by the next column shown (after the last, back to best first)."""
        shown = [key for key in earn.RESULT_SORTS if key in self.query_one(VirtualTable).visible_columns]
        order: list[str | None] = [None, *(shown or earn.RESULT_SORTS)]
        at = order.index(self.sort_column) if self.sort_column in order else 0
        self.sort_by(order[(at + 1) % len(order)])

    def action_reverse_sort(self) -> None:
        if self.sort_column is not None:
            self.sort_by(self.sort_column, not self.sort_descending)

    @on(VirtualTable.HeaderClicked, "#calc-table")
    def header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        """A click on a header sorts by its column; another click on the same one reverses it."""
        if event.column in earn.RESULT_SORTS:
            same = event.column == self.sort_column
            self.sort_by(event.column, not self.sort_descending if same else False)

    def sort_by(self, column: str | None, descending: bool = False) -> None:
        """DuckDB ranks the last valid profile again in this order; the cursor stays on its result."""
        self.sort_column, self.sort_descending = column, descending and column is not None
        self.query_one(VirtualTable).show_sort(column, self.sort_descending)
        self.refresh_bindings()
        if self._profile is not None and self.lstui.data is not None:
            self._keep_cursor()
            self._rank(self._profile)

    def _keep_cursor(self) -> None:
        highlighted = self.query_one(VirtualTable).highlighted
        self._keep = result_key(highlighted) if highlighted is not None else None

    # ---------------------------------------------------------------------------- results

    def cells(self, row: RankedResult) -> dict:
        r, notation = row.result, self.lstui.notation
        place = T(r.place.name_en)
        if row.also:
            place.append(visible(f" +{len(row.also)}"), style="dim")
        return {
            "place": place,
            "measure": r.incentive.name,
            "status": T(render.STATUS_SHORT[r.status], style=render.STATUS_STYLE[r.status]),
            "amount": render.result_amount(r, notation) if render.offers_something(r) else T("—", style="dim"),
            "next": r.next_tier.text if r.next_tier else "",
        }

    @on(VirtualTable.Highlighted, "#calc-table")
    def show_result(self, event: VirtualTable.Highlighted) -> None:
        self.after_pause(self._draw_card, event.row)

    def _draw_card(self, row: RankedResult | None) -> None:
        detail = self.query_one("#calc-detail", Static)
        if row is None:
            detail.update("")
            return
        detail.update(render.result_card(row.result, self.lstui.notation, list(row.also)))

    def redraw(self) -> None:
        """The notation changed: the same ranking, reworded; the cursor stays where it was."""
        table = self.query_one(VirtualTable)
        if self.source is not None:
            self.source = self.source.reworded(self.lstui.notation)
            table.reload(self.source)
        self.show_summary()
        self._draw_card(table.highlighted)
