"""Jinja templates of documents lokerwatch writes (the case package summary)."""
