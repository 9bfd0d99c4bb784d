"""How codes and times are shown to people: Bahasa Indonesia labels and times in the display zone (WIB)."""
