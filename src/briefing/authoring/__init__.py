"""Authoring: taking source documents in, drafting briefs from them, and checking claims
against their cited passages (docs/design.md §9). Below the reader, beside the store; it
builds on the core and never imports Textual."""
