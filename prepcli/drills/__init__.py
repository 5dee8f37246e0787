"""Drills: grading user code in a sandbox, exercises as scheduled items, the mock interview, cards from mistakes."""
