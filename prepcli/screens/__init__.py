"""What the user sees: the full-screen study/drill/mock screens and printed reports."""
