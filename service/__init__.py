"""The service: the store and the capabilities built on it (collect, scoring, review, links, leads, research),
and its entry points (api/, web/, cli/) that call them. See README.md, "Architecture"."""

__version__ = "0.1.0"
