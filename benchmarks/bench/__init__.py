"""Benchmark briefing in a real pseudo-terminal against a bare Textual app (docs/design.md §7).

    .venv/bin/python -m benchmarks.bench [--sizes 1000 10000] [--runs 3]

Generates synthetic libraries into a temporary folder, runs ``briefing --library DIR`` and
a bare Textual app (one ``Static``) in an 80x24 pty with TERM=xterm-256color, reads the raw
bytes they write with timestamps, renders them with pyte to see what is on screen, and
prints a table (plain text, then Markdown) of medians over the runs. With a store of 10,000
notes (written by notes_store.py), it also times saving a note (the store's API, and ctrl+s in
the app) and opening the notebook. See benchmarks/README.md.

Standard library and pyte only. Every XDG folder and HOME point into the temporary folder.

The parts:

- ``cli``: the options, the temporary folder, what is printed and kept (``__main__`` runs it);
- ``common``: the project's paths, the window, the waits, the screen marks, the progress log;
- ``generate``: the synthetic libraries, their source, and the bare app;
- ``terminal``: a program in a pseudo-terminal, its output timestamped and rendered;
- ``revision``: which briefing is measured, the working tree or a commit (``--rev``);
- ``sessions``: the bare app's, and briefing's cold and warm sessions;
- ``notes``: saving a note and the notebook; ``notes_store``: the store's part, in a
  subprocess that imports the measured briefing;
- ``ssh``: the same starts over a real sshd on loopback;
- ``run``: every run's sessions, interleaved;
- ``stats``: medians, percentiles, the metrics and their targets;
- ``report``: the tables; ``anatomy``: what the bytes of an answer are made of.
"""
