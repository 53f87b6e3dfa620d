"""The app's screens: library, brief, source and help."""
