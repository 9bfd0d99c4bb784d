"""Getting ads into the store: scrape runs, scheduled sources, file imports, manual intake, evidence exports."""
