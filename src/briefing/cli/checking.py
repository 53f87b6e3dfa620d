"""``briefing check``: every problem of every brief in one pass; ``--watch`` checks on save.

Each brief is parsed (every structural problem is collected, and what could be read is kept),
its citations are resolved against its sources, and its claims are checked against their
passages (:mod:`briefing.authoring.lint`). Errors print as ``file:line: message``; warnings
as ``file:line: warning: message``, and ``--strict`` makes them errors (for publishing).
"""

from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from briefing.core.errors import BriefError

WATCH_EVERY = 0.5  # seconds between looks at the files under watch


@dataclass
class Report:
    count: int = 0
    errors: list[BriefError] = field(default_factory=list)
    warnings: list[BriefError] = field(default_factory=list)


def brief_files(targets: list[Path]) -> tuple[list[tuple[Path, Path]], list[BriefError]]:
    """(library folder, brief file) for every brief of the targets; problems with the targets."""
    from briefing.core.indexing import library_files

    files: list[tuple[Path, Path]] = []
    problems: list[BriefError] = []
    for target in targets:
        if target.is_dir():
            for root, path, _, problem in library_files([target]):
                if problem is not None:
                    problems.append(problem)
                else:
                    files.append((Path(root), Path(path)))
        elif target.exists():
            files.append((target.parent, target))
        else:
            problems.append(BriefError(str(target), 0, "no such file or folder"))
    return files, problems


Found = tuple[str, int, str]  # a problem as file, line, message: what crosses from a worker


def check_file(root: Path, path: Path) -> tuple[str | None, list[Found], list[Found]]:
    """One brief's id (when it could be read), errors and warnings. A brief without errors
    has the text of each source it matches kept (see keep_snapshots)."""
    from briefing.authoring.lint import check_brief
    from briefing.core.model import Brief
    from briefing.core.parse import load_brief, read_text

    errors: list[BriefError] = []
    brief: Brief | None
    try:
        brief = load_brief(path)
    except BriefError as exc:
        errors = exc.all
        brief = exc.partial if isinstance(exc.partial, Brief) else None
    if brief is None:
        return None, [_found(e) for e in errors], []
    try:
        text = read_text(path)
        match = re.search(r"^sources:", text, re.MULTILINE)
        sources_line = text.count("\n", 0, match.start()) + 1 if match else 1
    except BriefError:
        sources_line = 1
    found = check_brief(brief, root, _load_source, _earlier_source, sources_line)
    known = set(errors)
    errors += [e for e in found.errors if e not in known]
    if not errors:
        keep_snapshots(brief, root)
    return brief.id, [_found(e) for e in errors], [_found(w) for w in found.warnings]


def _found(problem: BriefError) -> Found:
    return (problem.file, problem.line, problem.message)


def check_files(batch: list[tuple[Path, Path]]) -> list[tuple[Path, str | None, list[Found], list[Found]]]:
    return [(path, *check_file(root, path)) for root, path in batch]


def _load_source(root: Path, name: str):
    """A source document, read once per process while its file does not change."""
    from briefing.core.indexing import source_document

    return source_document(str(root), name)


def _earlier_source(sha256: str):
    """A source's text as it was when its SHA-256 was ``sha256``, if this machine kept it."""
    from briefing.core.sources import SourceDocument
    from briefing.paths import source_snapshot_file

    try:
        text = source_snapshot_file(sha256).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return SourceDocument.from_text(text, sha256=sha256)


def keep_snapshots(brief, root: Path) -> None:
    """Keep the text of each source whose file matches the SHA-256 the brief records, so
    that a later change of the file can be shown citation by citation."""
    import hashlib

    from briefing.core.sources import resolve_source_file
    from briefing.paths import source_snapshot_file

    for source in brief.sources:
        if not source.sha256 or not source.file:
            continue
        target = source_snapshot_file(source.sha256)
        if target.exists():
            continue
        try:
            data = resolve_source_file(root, source.file).read_bytes()
            if hashlib.sha256(data).hexdigest() != source.sha256:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.{os.getpid()}")
            temp.write_bytes(data)
            os.replace(temp, target)
        except (OSError, BriefError):
            continue  # a copy is a convenience: its absence is said when it is needed


POOL_FROM = 200  # briefs: from here, check in worker processes, a batch at a time
BATCH = 50


def _results(files: list[tuple[Path, Path]]):
    """Each file's check, in the order of ``files``; in worker processes for many files."""
    workers = os.cpu_count() or 1
    if workers <= 1 or len(files) < POOL_FROM:
        yield from check_files(files)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    batches = [files[i : i + BATCH] for i in range(0, len(files), BATCH)]
    # spawn, as the index does: the caller may have threads running.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for results in pool.map(check_files, batches):
            yield from results


def run_check(targets: list[Path]) -> Report:
    files, problems = brief_files(targets)
    report = Report(count=len(files), errors=problems)
    owners: dict[str, Path] = {}
    for path, brief_id, errors, warnings in _results(files):
        found = [BriefError(*e) for e in errors]
        if brief_id is not None and not found:
            first = owners.setdefault(brief_id, path)
            if first != path:
                found.append(BriefError(str(path), 0, f"brief id '{brief_id}' is also used by {first}"))
        report.errors += found
        report.warnings += [BriefError(*w) for w in warnings]
    return report


def print_report(report: Report, strict: bool) -> int:
    shown = [(e, False) for e in report.errors] + [(w, True) for w in report.warnings]
    shown.sort(key=lambda pair: (pair[0].file, pair[0].line))
    for problem, warning in shown:
        if warning and not strict:
            print(f"{problem.file}:{problem.line}: warning: {problem.message}")
        else:
            print(problem)
    files = {p.file for p in report.errors} | ({p.file for p in report.warnings} if strict else set())
    summary = f"{report.count} brief{'s' * (report.count != 1)} checked, {len(files)} with problems"
    if report.warnings:
        n = len(report.warnings)
        summary += f", {n} warning{'s' * (n != 1)}" + (
            " (--strict: errors)" if strict else " (--strict makes them errors)"
        )
    print(summary, file=sys.stderr)
    return 1 if report.errors or (strict and report.warnings) else 0


def check(targets: list[Path], strict: bool = False) -> int:
    """Validate brief files and folders; print ``file:line: message`` per problem."""
    return print_report(run_check(targets), strict)


def _stamps(targets: list[Path]) -> dict[str, tuple[int, int]]:
    """What a save changes: the mtime and size of every brief and source file watched."""
    from briefing.paths import sources_dir

    stamps: dict[str, tuple[int, int]] = {}
    folders = {t if t.is_dir() else t.parent for t in targets}
    watched = [t for t in targets if not t.is_dir()]
    for folder in folders:
        for where in (folder, sources_dir(folder)):
            try:
                watched += [Path(e.path) for e in os.scandir(where) if e.is_file()]
            except OSError:
                continue
    for path in watched:
        try:
            st = path.stat()
            stamps[str(path)] = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamps[str(path)] = (-1, -1)
    return stamps


def watch(targets: list[Path], strict: bool = False, rounds: int | None = None) -> int:
    """Check, then check again whenever a brief or source file is saved, until interrupted
    (or ``rounds`` checks, for the tests). Returns the last check's exit code."""
    code = 0
    done = 0
    seen: dict[str, tuple[int, int]] | None = None
    try:
        while rounds is None or done < rounds:
            stamps = _stamps(targets)
            if stamps != seen:
                if seen is not None:
                    print(f"\n— {time.strftime('%H:%M:%S')} changed; checking again", file=sys.stderr)
                seen = stamps
                code = check(targets, strict)
                done += 1
                print("watching for saves (ctrl+c stops)", file=sys.stderr)
                sys.stdout.flush()
                sys.stderr.flush()
            time.sleep(WATCH_EVERY)
    except KeyboardInterrupt:
        pass
    return code
