"""A scrolling area that takes focus only while it has something to scroll."""

from __future__ import annotations

from textual.containers import VerticalScroll


class ScrollPane(VerticalScroll):
    """Tab skips it while all of it is in view: a stop where no key does anything would only
    leave the user wondering where focus went."""

    def allow_focus(self) -> bool:
        return super().allow_focus() and (self.max_scroll_y > 0 or self.max_scroll_x > 0)
