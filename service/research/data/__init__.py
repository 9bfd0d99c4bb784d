"""Word lists of the research export's name finder (plain text, provenance in each header)."""
