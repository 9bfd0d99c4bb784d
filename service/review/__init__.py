"""The analysts' work: the review queue, claims and decisions, and what they read about one ad."""
