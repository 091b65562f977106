"""The app's own test fixtures, for the app driven here too: no cursor blink, detail panes at
once, colour unless a test turns it off, and `make_app()` on the shipped database."""

from tests.tui.conftest import colours, detail_at_once, make_app, no_cursor_blink  # noqa: F401
