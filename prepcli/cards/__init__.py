"""Cards: Markdown notes into YAML decks, and the decks themselves (no scheduling)."""
