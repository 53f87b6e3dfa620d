"""The core: briefs and sources read from disk into models, and what can be said about them.

Briefs and sources are untrusted text (docs/design.md §5). Nothing here imports Textual,
writes a user's notes, or prints; the store, the reader and the command line build on it.
"""
