"""lstui: Chinese live-streaming e-commerce policies as a sourced dataset, a DuckDB file and a terminal app."""

__version__ = "0.1.0"
