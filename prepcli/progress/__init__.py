"""Progress: statistics and card management over the store and the decks."""
