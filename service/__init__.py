"""The review desk: the store, the CLI, the API and the glue between scraper and model."""

__version__ = "0.1.0"
