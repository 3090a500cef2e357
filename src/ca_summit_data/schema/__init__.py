"""The bottom layer: what a column is and what a value may be, written once for every consumer."""
