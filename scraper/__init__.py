"""Collects public job posts politely and keeps every fetched page as evidence.

Knows nothing of the database or of the model: sources (`scraper.sources`) parse pages into plain
records, the crawl engine (`scraper.engine`) walks them, and everything is handed to a `CrawlSink`
that the caller (the service) provides.
"""
