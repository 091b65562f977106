"""Headless core: dataset, validation, database and queries. Never imports Textual."""
