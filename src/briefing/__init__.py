"""briefing: a terminal reader for policy briefs, with every item traced to its source."""

__version__ = "0.1.0"
