"""The reader: the Textual app, its screens, widgets and styles.

``screens/`` holds one module per screen (and the dialogs), ``widgets/`` the widgets they
are built from, ``render/`` functions that turn models into Rich text for them.
"""
