"""Reviews: the FSRS scheduler, the store (the only module that touches SQLite), the study session and the plan."""
