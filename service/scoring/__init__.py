"""Scoring stored ads with the active model, the registry of trained models, and retraining from reviews."""
