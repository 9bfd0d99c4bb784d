"""Leads for police units: confirmed ads, their status history, and verifiable case packages."""
