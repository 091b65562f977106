"""The baseline for start-up: the smallest Textual app that shows something."""

from textual.app import App
from textual.widgets import Static


class Hello(App):
    def compose(self):
        yield Static("Hello, world")


if __name__ == "__main__":
    Hello().run()
