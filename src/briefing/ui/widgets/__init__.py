"""Reusable widgets: they are handed data and post messages; none of them opens a file."""
