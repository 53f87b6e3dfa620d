"""The command line: ``briefing [BRIEF_ID]`` runs the reader; subcommands work without it.

    briefing [BRIEF_ID] [--kiosk]
    briefing check [PATH ...] [--strict] [--watch]
    briefing source add FILE [--id S2] [--name NAME] [--force]
    briefing source show FILE
    briefing new BRIEF_ID --source FILE [--source FILE ...] [--title T] [--force]
    briefing draft BRIEF_ID --source FILE [--source FILE ...] [--title T] [--force]
    briefing show BRIEF_ID [--pane NAME] [--format text|json]
    briefing locate
    briefing export [--format md|json] [--brief ID] [--output FILE]
    briefing import FILE.json
    briefing acknowledge

The options every command shares (``--library PATH`` ..., ``--store PATH``, ``--as NAME``)
go before or after the command: they are taken out of the command line first, so that
``briefing --store F export`` is the export command and not a brief called F.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

from briefing import __version__, paths
from briefing.core.enums import Pane
from briefing.core.safe import clean, clean_line

COMMANDS = (
    "check",
    "show",
    "search",
    "index",
    "locate",
    "export",
    "import",
    "acknowledge",
    "source",
    "new",
    "draft",
)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose every message is cleaned of terminal controls: argparse
    echoes what it was given (unrecognized arguments, invalid values) as it came."""

    def _print_message(self, message: str, file=None) -> None:
        if message:
            super()._print_message(clean(message), file)


def _common(parser: argparse.ArgumentParser, default: object = None) -> None:
    """The options every command shares. On the parsers that print the help their default
    is SUPPRESS, so that a copy there can never overwrite what was taken out before."""
    parser.add_argument(
        "--library",
        action="append",
        metavar="PATH",
        default=default,
        help=f"a folder of briefs (repeatable); default ${paths.LIBRARY_ENV}, else the bundled library",
    )
    parser.add_argument(
        "--store",
        metavar="PATH",
        default=default,
        help=f"the notes store file; default ${paths.STORE_ENV}, else notes.json in the data folder",
    )
    parser.add_argument(
        "--as",
        dest="person",
        metavar="NAME",
        default=default,
        help="act as NAME, one of several people sharing a hosted account: a store of its own, "
        "and NAME as the author of notes",
    )


def common_parser() -> argparse.ArgumentParser:
    """The shared options alone, to take them from anywhere on the command line."""
    parser = Parser(prog="briefing", add_help=False, exit_on_error=False)
    _common(parser)
    return parser


def build_parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The reader's parser and the subcommands' parser; both list the shared options."""
    main = Parser(
        prog="briefing",
        description="A terminal reader for policy briefs, with every item traced to its source.",
        epilog="subcommands: check [PATH ...], show BRIEF_ID, search QUERY, index, source add|show FILE, "
        "new BRIEF_ID, draft BRIEF_ID, locate, export, import FILE, acknowledge "
        "(see 'briefing COMMAND --help'); --library, --store and --as go before or "
        "after a subcommand",
    )
    main.add_argument("brief", nargs="?", metavar="BRIEF_ID", help="open this brief straight away")
    main.add_argument("--version", action="version", version=f"briefing {__version__}")
    main.add_argument(
        "--kiosk",
        action="store_true",
        help="for a hosted account: only the library given with --library and this person's "
        "notes; no suspending to a shell, no screenshots, no themes or libraries from "
        "the environment or the user's folders",
    )
    _common(main, argparse.SUPPRESS)

    sub = Parser(prog="briefing")
    _common(sub, argparse.SUPPRESS)
    commands = sub.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate briefs; prints file:line: message per problem")
    _common(check, argparse.SUPPRESS)
    check.add_argument("paths", nargs="*", metavar="PATH", help="brief files or folders (default: the library)")
    check.add_argument(
        "--strict", action="store_true", help="treat warnings (claims their passages do not bear out) as errors"
    )
    check.add_argument("--watch", action="store_true", help="check again on every save, until interrupted")
    source = commands.add_parser("source", help="take a source document in, or show it numbered as citations count")
    _common(source, argparse.SUPPRESS)
    source_commands = source.add_subparsers(dest="source_command", required=True)
    source_add = source_commands.add_parser(
        "add", help="convert FILE (.txt, .md, .html, .pdf) into a plain-text source in the library's sources/"
    )
    _common(source_add, argparse.SUPPRESS)
    source_add.add_argument("file", metavar="FILE")
    source_add.add_argument("--id", dest="source_id", metavar="S2", help="the source id to suggest for citing it")
    source_add.add_argument("--name", metavar="NAME", help="the file name to write in sources/ (default: from FILE)")
    source_add.add_argument("--force", action="store_true", help="replace a different source of the same name")
    source_show = source_commands.add_parser(
        "show", help="print a source with every paragraph and sentence numbered (¶3.2) as citations count them"
    )
    _common(source_show, argparse.SUPPRESS)
    source_show.add_argument("file", metavar="FILE", help="a file in the library's sources/, or any path")
    for name, text in (
        ("new", "write a brief skeleton citing the given sources; prints its path"),
        ("draft", "write a draft brief whose items are drawn from the sources, each citing its sentence"),
    ):
        writer = commands.add_parser(name, help=text)
        _common(writer, argparse.SUPPRESS)
        writer.add_argument("brief", metavar="BRIEF_ID")
        writer.add_argument(
            "--source",
            dest="sources",
            action="append",
            required=True,
            metavar="FILE",
            help="a source document (a file to take in, or a name in sources/); repeatable",
        )
        writer.add_argument("--title", help="the brief's title (default: from the first source)")
        writer.add_argument("--force", action="store_true", help="replace an existing brief of that id")
    show = commands.add_parser("show", help="print a brief without the reader")
    _common(show, argparse.SUPPRESS)
    show.add_argument("brief", metavar="BRIEF_ID")
    show.add_argument("--pane", choices=[str(pane) for pane in Pane])
    show.add_argument("--format", choices=["text", "json"], default="text")
    index = commands.add_parser(
        "index",
        help="build each library folder's shared index (LIBRARY/.briefing/index.sqlite) for all its readers",
    )
    _common(index, argparse.SUPPRESS)
    search = commands.add_parser("search", help="search every brief, source and note; prints each hit")
    _common(search, argparse.SUPPRESS)
    search.add_argument(
        "query",
        nargs="+",
        metavar="QUERY",
        help='words (all must match), "a phrase", prefix*, a OR b, -word, and pane:, tag:, status:, '
        "stakeholder:, source:, after:DATE, before:DATE",
    )
    search.add_argument("--format", choices=["text", "json"], default="text")
    search.add_argument("--limit", type=int, default=50, metavar="N", help="at most N hits (default 50)")
    locate = commands.add_parser("locate", help="print every path briefing uses")
    _common(locate, argparse.SUPPRESS)
    export = commands.add_parser("export", help="write every note and bookmark (Markdown or JSON)")
    _common(export, argparse.SUPPRESS)
    export.add_argument("--format", choices=["md", "json"], default="md")
    export.add_argument("--brief", metavar="BRIEF_ID", help="only the notes of this brief")
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of the standard output")
    imp = commands.add_parser("import", help="merge notes and bookmarks from a JSON export")
    _common(imp, argparse.SUPPRESS)
    imp.add_argument("file", metavar="FILE.json")
    ack = commands.add_parser(
        "acknowledge",
        help="stop reporting notes store files that were moved aside (they are listed, and kept where they are)",
    )
    _common(ack, argparse.SUPPRESS)
    return main, sub


def parse(argv: list[str]) -> argparse.Namespace:
    """The command line as one namespace; ``command`` is None for the reader."""
    main_parser, sub_parser = build_parsers()
    try:
        shared, rest = common_parser().parse_known_args(argv)
    except argparse.ArgumentError as exc:  # e.g. --store without a value
        main_parser.error(str(exc))
    # What is left has no option that takes a value before the command (--kiosk and
    # --version take none), so its first word is the command, or the reader's brief.
    first = next((a for a in rest if a == "--" or not a.startswith("-")), None)
    if first == "search":
        # A left-out word (-police) looks like an option: the query keeps any word that
        # starts with one dash and is no option of search's own.
        args, unknown = sub_parser.parse_known_args(rest)
        strays = [a for a in unknown if a.startswith("--") or not a.startswith("-") or len(a) == 1]
        if strays:
            sub_parser.error(f"unrecognized arguments: {' '.join(strays)}")
        args.query += unknown
    elif first in COMMANDS:
        args = sub_parser.parse_args(rest)
    else:
        args = main_parser.parse_args(rest)
        args.command = None
    # The parsers above saw none of the shared options (their copies there default to
    # SUPPRESS); whatever they did see still counts, after what was taken out first.
    args.library = (shared.library or []) + getattr(args, "library", [])
    args.store = getattr(args, "store", None) or shared.store
    args.person = getattr(args, "person", None) or shared.person
    return args


def main(argv: list[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except BrokenPipeError:
        # The reader of our output went away (`briefing show … | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


class CleanStream(io.TextIOBase):
    """A standard stream that lets no terminal control through (safe.clean: line breaks
    and tabs kept, everything else shown visibly): every word a subcommand prints, of a
    brief, a note, a file name or an error, goes through the one cleaner."""

    def __init__(self, stream) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(clean(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")


def run(argv: list[str]) -> int:
    args = parse(argv)
    if args.command is None:
        return run_command(args)
    # The subcommands write only text: through the cleaner. (Not the reader: Textual
    # writes escape sequences of its own to draw the screen.)
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = CleanStream(out), CleanStream(err)
    try:
        return run_command(args)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = out, err


def run_command(args: argparse.Namespace) -> int:
    kiosk = getattr(args, "kiosk", False)
    # In a kiosk only the command line (the account's forced command) says what is read.
    env = {} if kiosk else os.environ
    try:
        libraries = paths.resolve_libraries(args.library, env=env)
        store_path = paths.store_file(args.store, env=env, person=args.person)
    except (FileNotFoundError, ValueError, RuntimeError) as exc:  # RuntimeError: ~user of no one
        print(f"briefing: {clean_line(str(exc))}", file=sys.stderr)
        return 2

    if args.command == "check":
        from briefing.cli.checking import check, watch

        targets = [Path(p) for p in args.paths] or libraries
        if args.watch:
            return watch(targets, strict=args.strict)
        return check(targets, strict=args.strict)
    if args.command in ("source", "new", "draft"):
        from briefing.cli import authoring

        # The bundled library is written into only when --library names it (never by default,
        # nor through $BRIEFING_LIBRARY, which a shell profile may set and forget).
        named = bool(args.library)
        if args.command == "source" and args.source_command == "add":
            return authoring.source_add(libraries, Path(args.file), args.source_id, args.name, args.force, named)
        if args.command == "source":
            return authoring.source_show(libraries, args.file)
        if args.command == "new":
            return authoring.new_brief(libraries, args.brief, args.sources, args.title, args.force, named=named)
        return authoring.draft_brief(libraries, args.brief, args.sources, args.title, args.force, named=named)
    if args.command == "show":
        from briefing.cli.commands import show

        return show(libraries, args.brief, args.pane, args.format)
    if args.command == "index":
        from briefing.cli.commands import build_index

        return build_index(libraries)
    if args.command == "search":
        from briefing.cli.commands import search

        if args.limit < 1:
            print("briefing: --limit takes a number of 1 or more", file=sys.stderr)
            return 2
        return search(libraries, args.query, args.format, args.limit, store_path)
    if args.command == "locate":
        # The XDG variables and the options can hold anything, escapes too.
        for name, value in paths.locations(libraries, store_path).rows():
            print(f"{name + ':':<15}{clean_line(value)}")
        return 0
    if args.command in ("export", "import", "acknowledge"):
        from briefing.cli.commands import acknowledge, export_notes, import_notes

        if args.command == "acknowledge":
            return acknowledge(store_path, args.person)
        if args.command == "export":
            return export_notes(libraries, store_path, args.format, args.brief, args.output, args.person)
        return import_notes(store_path, Path(args.file), args.person)

    missing = [p for p in libraries if not p.is_dir()]
    if missing:
        print(f"briefing: no such library folder: {clean_line(str(missing[0]))}", file=sys.stderr)
        return 2
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal the reader could only draw into a pipe (and Textual would spin
        # on the closed input): say so and stop. Over SSH: ssh -t.
        print(
            "briefing: the reader needs a terminal (over SSH: ssh -t); see 'briefing --help' "
            "for the commands that work without one",
            file=sys.stderr,
        )
        return 2
    # Textual holds every screen update until its frame timer fires (60 a second by
    # default), so the second half of an answer (the list after the filter box, the detail
    # after the row) waits up to 17 ms more. briefing draws no animation; a higher cap only
    # makes answers arrive sooner. TEXTUAL_FPS set by the user still wins.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    from briefing.ui.app import make_app

    app = make_app(
        libraries,
        paths.library_cache_file(libraries),
        open_brief=args.brief,
        store_path=store_path,
        author=args.person,
        kiosk=kiosk,
    )
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
