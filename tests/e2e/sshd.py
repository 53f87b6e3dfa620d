"""A real OpenSSH server and real user accounts, for the end-to-end tests over SSH.

Everything here runs as root (CI and the development machines do) and changes the machine
only for the length of a test session: accounts with names unique to the run, homes, keys,
the server's config, host key and pid file all in one temporary folder, and an ``sshd`` on
127.0.0.1 on a free port. Whatever is made is undone on the way out, on failure too: the
accounts' processes are stopped (by their ids), the accounts deleted (``userdel -r``), the
server stopped and the folder removed.

Nothing here knows about briefing beyond installing its wheel where every user can run it.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SSHD = Path("/usr/sbin/sshd")
SSH = Path("/usr/bin/ssh")
SSH_KEYGEN = Path("/usr/bin/ssh-keygen")
MISSING_OPENSSH = (
    "OpenSSH not installed ({path} is missing), so {who} cannot run: "
    "apt-get install openssh-server openssh-client as root, or run .ci/run"
)
NOT_ROOT = (
    "{who} start sshd, which must run as root (only root's sshd gives a session its terminal): "
    "run them as root, or run .ci/run as root"
)
REQUIRE_SSH = "BRIEFING_REQUIRE_SSH"  # =1: a machine that cannot run the SSH tests fails them (CI)
NOBODY = 65534  # an unprivileged uid/gid that can run what every user can run


def openssh_missing(who: str = "the SSH tests") -> str | None:
    """Why ``who`` cannot run here, on one line that says what to do about it, or None when
    the server and the client are there and this is root: only root's sshd can hand a
    session its terminal (run by an ordinary user, it ends the session), and the tests
    create users too."""
    for path in (SSHD, SSH, SSH_KEYGEN):
        if not os.access(path, os.X_OK):
            return MISSING_OPENSSH.format(who=who, path=path)
    if os.geteuid() != 0:
        return NOT_ROOT.format(who=who)
    return None


def ssh_tests_gate(missing: str | None, env: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """What the SSH tests do, given :func:`openssh_missing`'s answer: ``("run", None)``;
    ``("skip", why)`` where they cannot run, so that the test command passes on a fresh
    machine; or ``("fail", why)`` when ``$BRIEFING_REQUIRE_SSH`` is 1 (.ci/run sets it):
    there a skip would hide that the SSH tests never ran."""
    env = os.environ if env is None else env
    if missing is None:
        return "run", None
    if env.get(REQUIRE_SSH, "") not in ("", "0"):
        return "fail", f"{missing} ({REQUIRE_SSH}={env[REQUIRE_SSH]}: the SSH tests must run here)"
    return "skip", missing


def run(
    argv: Sequence[str | os.PathLike[str]], *, timeout: float = 60, check: bool = True, **kwargs
) -> subprocess.CompletedProcess[str]:
    """Run a command, its output captured; a failure says what was run and what it printed."""
    argv = [os.fspath(a) for a in argv]
    if "input" not in kwargs:
        kwargs["stdin"] = subprocess.DEVNULL
    proc = subprocess.run(
        argv, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout, check=False, **kwargs
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"{' '.join(argv)} exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
        )
    return proc


def world_folder(prefix: str) -> Path:
    """A new temporary folder under /tmp that every user can enter and read (0755)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    folder.chmod(0o755)
    return folder


# -- an interpreter every user can run ------------------------------------------------------


def runs_as_nobody(python: str) -> str | None:
    """Why ``python`` cannot serve an unprivileged user (None if it can): it must start as
    uid 65534, import its standard library and be Python 3.11 or newer."""
    try:
        proc = subprocess.run(
            [python, "-I", "-c", "import sys, venv, encodings; print('%d.%d' % sys.version_info[:2])"],
            user=NOBODY,
            group=NOBODY,
            extra_groups=[],
            cwd="/",
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except OSError as exc:
        return f"{python}: {exc.strerror}"
    if proc.returncode != 0:
        return f"{python} exited {proc.returncode} as nobody: {proc.stderr.strip()[-300:]}"
    major, minor = (int(n) for n in proc.stdout.strip().split("."))
    if (major, minor) < (3, 11):
        return f"{python} is Python {major}.{minor}; briefing needs 3.11 or newer"
    return None


def world_python() -> tuple[str, list[str]]:
    """An interpreter that users other than root can run, and why each one before it was
    passed over. The test's own base interpreter comes first; one installed inside a home
    only its owner may enter is passed over for the system's python3."""
    candidates = [
        getattr(sys, "_base_executable", sys.executable),
        os.path.join(sys.base_prefix, "bin", "python3"),
        "/usr/local/bin/python3",
        "/usr/bin/python3",
        shutil.which("python3") or "",
    ]
    seen: set[str] = set()
    passed_over: list[str] = []
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        real = os.path.realpath(candidate)
        if real in seen:
            continue
        seen.add(real)
        why = runs_as_nobody(candidate)
        if why is None:
            return candidate, passed_over
        passed_over.append(why)
    raise AssertionError("no Python 3.11+ that an unprivileged user can run: " + "; ".join(passed_over))


def install_for_everyone(wheel: Path, base: Path, env: dict[str, str], timeout: float) -> tuple[Path, str]:
    """Install ``wheel`` into a new venv ``base/venv`` that every user can run; the venv,
    and which interpreter it is built on (with the ones passed over)."""
    python, passed_over = world_python()
    venv = base / "venv"
    made = run([python, "-m", "venv", venv], env=env, cwd=base, check=False)
    if made.returncode != 0:  # a Python without ensurepip (Debian without python3-venv's pip)
        shutil.rmtree(venv, ignore_errors=True)
        run([python, "-m", "venv", "--without-pip", venv], env=env, cwd=base)
        run(
            [sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-input", wheel],
            env=env,
            cwd=base,
            timeout=timeout,
        )
    else:
        run([venv / "bin" / "python", "-m", "pip", "install", "--no-input", wheel], env=env, cwd=base, timeout=timeout)
    # Whatever the umask was, everyone may read and run what was installed.
    for root, dirs, files in os.walk(venv):
        for name in dirs + files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                mode = stat.S_IMODE(os.lstat(path).st_mode)
                os.chmod(path, mode | 0o444 | (0o111 if mode & 0o111 or name in dirs else 0))
    why = runs_as_nobody(os.fspath(venv / "bin" / "python"))
    assert why is None, f"the venv for every user does not run as nobody: {why}"
    chosen = f"{python} (-> {os.path.realpath(python)})"
    if passed_over:
        chosen += "; passed over: " + "; ".join(passed_over)
    return venv, chosen


# -- a shared, read-only library --------------------------------------------------------------


def share_library(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target``, owned by root, folders 0755, files 0644."""
    shutil.copytree(source, target)
    os.chown(target, 0, 0)
    target.chmod(0o755)
    for path in target.rglob("*"):
        os.chown(path, 0, 0, follow_symlinks=False)
        path.chmod(0o755 if path.is_dir() else 0o644)


def fingerprint(folder: Path) -> dict[str, tuple[str, int, int, str]]:
    """Every entry below ``folder``: its kind and owner, mode, and a SHA-256 of its bytes."""
    found: dict[str, tuple[str, int, int, str]] = {}
    for path in sorted([folder, *folder.rglob("*")]):
        info = path.lstat()
        kind = "dir" if stat.S_ISDIR(info.st_mode) else "link" if stat.S_ISLNK(info.st_mode) else "file"
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if kind == "file" else ""
        found[path.relative_to(folder).as_posix()] = (kind, info.st_uid, stat.S_IMODE(info.st_mode), digest)
    return found


# -- accounts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """A user account made for the tests, with an ed25519 key to log in with."""

    login: str
    home: Path
    uid: int
    gid: int
    key: Path  # the private key; ``key.pub`` beside it

    @property
    def public_key(self) -> str:
        return self.key.with_name(self.key.name + ".pub").read_text().strip()


def processes_of(login: str, pattern: str | None = None) -> list[int]:
    """The ids of the processes running as ``login`` (whose command line has ``pattern``)."""
    argv = ["pgrep", "-u", login] + (["-f", pattern] if pattern else [])
    proc = run(argv, check=False)
    return [int(pid) for pid in proc.stdout.split()]


def wait_no_processes(login: str, pattern: str | None, timeout: float) -> list[int]:
    """Wait until no process of ``login`` (matching ``pattern``) is left; those still left."""
    deadline = time.monotonic() + timeout
    while (left := processes_of(login, pattern)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


class Accounts:
    """Accounts with names unique to this run; all deleted on ``close`` (``userdel -r``)."""

    def __init__(self, base: Path) -> None:
        self.homes = base / "home"
        self.homes.mkdir(mode=0o755)
        self.homes.chmod(0o755)
        self.keys = base / "client-keys"
        self.keys.mkdir(mode=0o700)
        self.tag = secrets.token_hex(3)
        self.made: list[str] = []

    def add(self, role: str) -> Account:
        login = f"bf{role[:8]}_{self.tag}"
        home = self.homes / role
        self.made.append(login)  # before useradd: deleted even if useradd fails half-way
        run(
            [
                "useradd",
                "--create-home",
                "--home-dir",
                home,
                "--shell",
                "/bin/sh",
                "--comment",
                f"briefing SSH test ({role})",
                login,
            ]
        )
        # useradd leaves the password "!" (locked): sshd without PAM refuses a locked
        # account even for a key. "*" is no password and not locked: keys only.
        run(["usermod", "--password", "*", login])
        info = pwd.getpwnam(login)
        # Readable homes, as on many shared servers (HOME_MODE 0755): only briefing's own
        # modes keep a store private, so that is what the tests check.
        home.chmod(0o755)
        share = home / ".local" / "share"
        share.mkdir(parents=True)
        for path in (home / ".local", share):
            path.chmod(0o755)
            os.chown(path, info.pw_uid, info.pw_gid)
        key = self.keys / role
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{role}@test", "-f", key])
        return Account(login, home, info.pw_uid, info.pw_gid, key)

    def close(self) -> list[str]:
        """Stop what still runs as the accounts and delete them; the problems met."""
        problems: list[str] = []
        for login in self.made:
            try:
                pwd.getpwnam(login)
            except KeyError:
                continue
            for number in (signal.SIGTERM, signal.SIGKILL):
                for pid in processes_of(login):
                    try:
                        os.kill(pid, number)
                    except ProcessLookupError:
                        pass
                if not wait_no_processes(login, None, 5.0):
                    break
            proc = run(["userdel", "--remove", login], check=False)
            if proc.returncode not in (0, 12):  # 12: the home could not be removed (see below)
                proc = run(["userdel", "--force", "--remove", login], check=False)
            try:
                pwd.getpwnam(login)
                problems.append(f"userdel {login}: {proc.stderr.strip()}")
            except KeyError:
                pass
        return problems


# -- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Sshd:
    """``sshd -D -e`` on 127.0.0.1 with its own config, host key and authorized keys."""

    base: Path
    users: list[str]
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    root_login: bool = False  # root may log in with a key (the benchmark logs in as itself)
    log: Path = field(init=False)
    keys: Path = field(init=False)

    def __post_init__(self) -> None:
        self.dir = self.base / "sshd"
        self.dir.mkdir(mode=0o755)
        self.keys = self.dir / "authorized_keys"
        self.keys.mkdir(mode=0o755)
        self.log = self.dir / "sshd.log"
        self.host_key = self.dir / "host_ed25519"

    def authorize(self, login: str, line: str) -> None:
        """``line`` is the whole authorized_keys file of ``login`` (root's, 0644)."""
        path = self.keys / login
        path.write_text(line.rstrip("\n") + "\n")
        os.chown(path, 0, 0)
        path.chmod(0o644)

    def config(self) -> str:
        return "\n".join(
            [
                "ListenAddress 127.0.0.1",
                f"Port {self.port}",
                f"HostKey {self.host_key}",
                f"PidFile {self.dir / 'sshd.pid'}",
                # %u: one root-owned file per account, outside the homes the tests inspect.
                f"AuthorizedKeysFile {self.keys}/%u",
                # The temporary folder sits in /tmp (mode 1777), which StrictModes refuses for
                # any path below it; the key files themselves are root's and 0644.
                "StrictModes no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                f"PermitRootLogin {'prohibit-password' if self.root_login else 'no'}",
                f"AllowUsers {' '.join(self.users)}",
                # Forwarding is allowed by the server: a kiosk key's `restrict` has to refuse it.
                "AllowTcpForwarding yes",
                "X11Forwarding no",
                "PermitTTY yes",
                "PrintMotd no",
                "PrintLastLog no",
                "AcceptEnv LANG LC_*",
                "Subsystem sftp /usr/lib/openssh/sftp-server",  # as Debian's own sshd_config
                "LogLevel VERBOSE",
                "",
            ]
        )

    def start(self, timeout: float = 15.0) -> None:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # the privilege separation folder
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test host key", "-f", self.host_key])
        for _ in range(5):
            self.port = free_port()
            config = self.dir / "sshd_config"
            config.write_text(self.config())
            run([SSHD, "-t", "-f", config])  # the config is valid (as `sshd -t` sees it)
            with open(self.log, "ab") as log:
                self.process = subprocess.Popen(
                    [SSHD, "-D", "-e", "-f", config, "-p", str(self.port)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                )
            if self._wait_listening(timeout):
                return
            self.stop()  # the port was taken meanwhile, most likely: try another
        raise AssertionError(f"sshd never accepted connections; its log:\n{self.log_text()}")

    def _wait_listening(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1.0) as sock:
                    if sock.recv(64).startswith(b"SSH-2.0-"):
                        return True
            except OSError:
                time.sleep(0.05)
        return False

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-6000:]
        except FileNotFoundError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None


CLIENT_OPTIONS = (
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "SendEnv=LANG",
)


def ssh_argv(account: Account, port: int, *remote: str, tty: bool = True, options: Sequence[str] = ()) -> list[str]:
    """``ssh`` as a user types it, isolated from root's own ssh config and known hosts."""
    return [
        # ssh takes the first value given for an option: ``options`` come first to win.
        os.fspath(SSH),
        *(["-tt"] if tty else []),
        *options,
        "-F",
        "none",
        "-i",
        os.fspath(account.key),
        "-p",
        str(port),
        *CLIENT_OPTIONS,
        f"{account.login}@127.0.0.1",
        *remote,
    ]


def sftp_argv(account: Account, port: int) -> list[str]:
    """``sftp -b -``: sftp commands read from the standard input, as a script."""
    return [
        os.fspath(SSH.with_name("sftp")),
        "-b",
        "-",
        "-F",
        "none",
        "-i",
        os.fspath(account.key),
        "-P",
        str(port),
        *CLIENT_OPTIONS,
        f"{account.login}@127.0.0.1",
    ]


def client(argv: Sequence[str], stdin: bytes, timeout: float) -> tuple[bytes, bool]:
    """Run an ssh client (``ssh``, ``sftp``) with ``stdin``; what it printed, and whether it
    was still waiting after ``timeout`` (then it is killed, with the ``ssh`` that ``sftp``
    started: it runs in a process group of its own, which is stopped by its id)."""
    proc = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        out, _ = proc.communicate(stdin, timeout=timeout)
        return out, False
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, _ = proc.communicate(timeout=10)
        return out, True


def read_as(account: Account, path: Path) -> subprocess.CompletedProcess[str]:
    """``cat path`` run as ``account`` (through su, as the user's own shell would)."""
    return run(["su", "-s", "/bin/sh", account.login, "-c", f"cat '{path}'"], check=False)
