"""Which keys go where.

Function and control keys work everywhere, text fields included (the app's bindings). Printable
keys are text wherever a user types: in a field, and on the Cities list, where typing filters.
So the printable shortcuts below are bound only in the panes, and a pane turns them off while
focus is where its user types (`Pane.TYPED_IN`: the Cities list and filter, the Calculator's form).
"""

from __future__ import annotations

from textual.binding import Binding

TAB_KEYS = {"cities": "1", "compare": "2", "calculator": "3", "sources": "4"}

# Where nothing is typed: q quits, digits switch tabs.
WHERE_NOTHING_IS_TYPED = [
    Binding("q", "quit", "Quit"),
    *(Binding(key, f"show_tab('{tab}')", tab.title(), show=False) for tab, key in TAB_KEYS.items()),
]
# j and k move in the tables of Compare, Sources and the Calculator's results, as down and up do
# (never on the Cities list, where every letter is filter text).
TABLE_MOVES = [
    Binding("j", "step(1)", "Down", show=False),
    Binding("k", "step(-1)", "Up", show=False),
]
PRINTABLE_ACTIONS = {"quit", "show_tab", "step"}
