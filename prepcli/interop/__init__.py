"""Data in and out: review-log CSV, sync through a folder, Anki packages."""
