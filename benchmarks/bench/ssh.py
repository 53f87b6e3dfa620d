"""Over SSH: the same starts through OpenSSH's sshd on loopback, beside the same without
SSH (the end-to-end tests' own sshd set-up, tests/e2e/sshd.py)."""

from __future__ import annotations

import argparse
import functools
import importlib.util
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .common import BARE_MARK, ROOT, ROW_MARK, VENV_BIN, log
from .revision import Briefing
from .sessions import check_library_shown, contains, key_samples, session
from .terminal import Terminal, bench_env

E2E = ROOT / "tests" / "e2e"
SSH_READY = "ssh-connected"  # printed by the command that times the connection alone
SSH_MOVES = 10  # library moves timed in each session of the SSH rows


@functools.cache
def load_sshd_module():
    """tests/e2e/sshd.py: the end-to-end tests' own sshd, config and client options."""
    spec = importlib.util.spec_from_file_location("briefing_bench_sshd", E2E / "sshd.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@dataclass
class SshSite:
    """``sshd`` on 127.0.0.1 that lets the user running the benchmark log in with a key made
    for this run. The remote command is given the same clean environment as a local run
    (``env -i``), so the one difference between the two is SSH itself."""

    module: object
    sshd: object
    account: object

    @classmethod
    def start(cls, work: Path) -> SshSite:
        module = load_sshd_module()
        base = work / "ssh"
        base.mkdir(mode=0o700)
        sshd = module.Sshd(base, users=["root"], root_login=True)
        key = base / "client-key"
        module.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "briefing benchmark", "-f", key])
        sshd.authorize("root", key.with_name(key.name + ".pub").read_text())
        sshd.start()
        account = module.Account("root", Path("/root"), 0, 0, key)
        return cls(module, sshd, account)

    def argv(self, program: list[str], env: dict[str, str]) -> list[str]:
        """``ssh -tt`` running ``program`` with exactly ``env`` on the other side."""
        remote = shlex.join(["env", "-i", *(f"{k}={v}" for k, v in env.items()), *program])
        return self.module.ssh_argv(self.account, self.sshd.port, remote)

    def stop(self) -> None:
        self.sshd.stop()


def wire_bytes(port: int) -> int | None:
    """Bytes sshd has sent on its one open connection so far (the handshake included), as
    the kernel counts them (``ss``, from iproute2); None without ``ss`` or a connection."""
    try:
        out = subprocess.run(
            ["ss", "-tinH", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = [int(n) for n in re.findall(r"\bbytes_sent:(\d+)", out)]
    return found[0] if len(found) == 1 else None


def ssh_connect_session(site: SshSite, home: Path, timeout: float) -> dict:
    """The connection alone: ``ssh -tt`` running ``echo``, to its output on screen; the
    command then waits for a key, so the bytes on the wire can be read while it is open."""
    script = f"echo {SSH_READY}; head -c 1 >/dev/null"
    term = Terminal(site.argv(["sh", "-c", script], bench_env(home)), bench_env(home))
    try:
        burst = term.collect(term.started, until=contains(SSH_READY), timeout=timeout)
        assert burst.hit is not None
        term.settle()
        return {
            "first_frame_s": burst.chunks[burst.hit][0] - term.started,
            "first_frame_bytes": burst.nbytes,
            "wire_bytes": wire_bytes(site.sshd.port),
            "clean_exit": term.quit(b"\r", timeout=10.0),
        }  # the remote pty hands head a line
    finally:
        term.close()


def first_frame_session(
    argv: list[str], env: dict[str, str], mark: str, size: int | None, timeout: float, port: int | None = None
) -> dict:
    """Start, wait for ``mark`` (over SSH: read the bytes on the wire once the first screen
    has settled), then (briefing) a few library moves; quit with q."""

    def act(term: Terminal, result: dict) -> None:
        if port is not None:
            result["wire_bytes"] = wire_bytes(port)
        if size is not None:
            check_library_shown(term, size)
            term.settle()
            result["library_moves"] = key_samples(term, [b"j"] * SSH_MOVES)

    result = session(Terminal(argv, env), mark, timeout, act)
    result.pop("vmhwm_kb")  # over SSH it would be the ssh client's: not kept on either side
    return result


def ssh_pair(
    site: SshSite,
    program: list[str],
    env: dict[str, str],
    client_home: Path,
    mark: str,
    size: int | None,
    timeout: float,
    ssh_first: bool,
) -> tuple[dict, dict]:
    """The same program started without SSH and over SSH, one after the other."""

    def local() -> dict:
        return first_frame_session(program, env, mark, size, timeout)

    def remote() -> dict:
        return first_frame_session(
            site.argv(program, env), bench_env(client_home), mark, size, timeout, port=site.sshd.port
        )

    if ssh_first:
        over = remote()
        return local(), over
    here = local()
    return here, remote()


def ssh_run(
    site: SshSite,
    app: Briefing,
    libraries: dict[int, Path],
    caches: dict[int, Path],
    bare: Path,
    work: Path,
    run: int,
    args: argparse.Namespace,
    results: dict,
) -> None:
    """One run of the SSH rows: the connection alone, then the bare app and briefing (warm)
    at every size, each without SSH and over SSH (which goes first alternates by run)."""
    ssh_first = run % 2 == 0
    client = work / f"home-ssh-client-{run}"
    connect = ssh_connect_session(site, client, args.timeout)
    results["connect"].append(connect)
    local, over = ssh_pair(
        site,
        [str(VENV_BIN / "python"), str(bare)],
        bench_env(work / f"home-ssh-bare-{run}"),
        client,
        BARE_MARK,
        None,
        args.timeout,
        ssh_first,
    )
    results["bare"]["local"].append(local)
    results["bare"]["ssh"].append(over)
    parts = [
        f"connection {connect['first_frame_s']:.3f}s",
        f"bare {local['first_frame_s']:.3f}s / {over['first_frame_s']:.3f}s",
    ]
    for size in args.sizes:
        # A returning user: one home for the size, its store made by an unmeasured first start.
        env = bench_env(work / f"home-ssh-{size}", app.pythonpath)
        env["XDG_CACHE_HOME"] = str(caches[size])  # the library index is built: a warm start
        program = [*app.argv, "--library", str(libraries[size])]
        if run == 1:
            first_frame_session(program, env, ROW_MARK, size, args.timeout)
        local, over = ssh_pair(site, program, env, client, ROW_MARK, size, args.timeout, ssh_first)
        results[size]["local"].append(local)
        results[size]["ssh"].append(over)
        parts.append(f"{size} briefs {local['first_frame_s']:.3f}s / {over['first_frame_s']:.3f}s")
    log(f"run {run}: without SSH / over SSH: " + ", ".join(parts))
