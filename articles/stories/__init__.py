"""Stories across outlets: which articles report the same event (grouping.py, features.py)."""
