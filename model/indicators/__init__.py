"""Named red flags (and legal signals) found in ads, as data plus a spaCy component and combination rules."""
