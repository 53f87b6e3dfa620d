"""Documents of each kind briefing takes in, read into a title and plain-text paragraphs.

``common`` holds what every kind shares (reading the file within limits, the errors, the
cleaning of the text); ``plaintext``, ``markdown``, ``webpage`` and ``pdf`` read one kind
each. The web page and PDF readers need an optional extra (``briefing[html]``,
``briefing[pdf]``); the others need nothing beyond briefing itself."""
