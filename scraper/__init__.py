"""Collects public job posts politely and keeps every fetched page as evidence.

Knows nothing of the database or of the model: it returns plain records and hands raw
pages to an `EvidenceSink` that the caller (the service) provides.
"""
