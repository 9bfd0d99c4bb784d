"""Scores job ads for scam and trafficking risk and explains every score.

Knows nothing of the database or of the scraper: it takes `AdText` records and returns `Score`s.
"""
