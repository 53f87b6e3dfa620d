"""The app's screens: library, brief, notebook, source, help, the dialogs and the too-small notice."""
