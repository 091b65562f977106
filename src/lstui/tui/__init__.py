"""The Textual app. Nothing outside this package imports it, so headless commands stay fast."""
