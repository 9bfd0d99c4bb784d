"""Linked ads: shared contacts and reposts grouped into clusters, one recruiter's footprint."""
