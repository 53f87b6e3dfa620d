"""The notes store: a reader's notes, bookmarks, drafts and places, kept in TinyDB, and
everything that keeps them safe on disk (atomic writes, the lock, export and import).

Built on the core; never imports Textual. The promises are in docs/design.md §4.
"""
