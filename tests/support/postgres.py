"""Start and stop a throwaway, real PostgreSQL server for the test suite.

Usage::

    from tests.support.postgres import start_postgres

    server = start_postgres()
    try:
        ...  # connect to server.url (a SQLAlchemy URL)
    finally:
        server.stop()

How it works
------------
* The server binaries (``initdb``, ``pg_ctl``, ``createdb``) are looked up in
  Debian's ``/usr/lib/postgresql/15/bin`` first, then in any other
  ``/usr/lib/postgresql/*/bin`` (newest first), then via ``dpkg -L
  postgresql-15``, and finally on ``$PATH`` (handy on non-Debian machines).
* Each server gets a fresh temp directory holding the data directory, the
  server log and the unix socket, and listens on a free TCP port on
  127.0.0.1 only.  Authentication is ``trust``; the superuser is ``postgres``.
* PostgreSQL refuses to run as root.  When we are root (as in CI) every
  server-side command runs as the unprivileged Debian ``postgres`` user and
  the temp directory is handed over to that user.
* Durability is switched off (``fsync``, ``synchronous_commit``,
  ``full_page_writes``): a crash loses the cluster, which we throw away anyway.
* ``stop()`` kills the server (``pg_ctl stop -m immediate``) and deletes the
  temp directory.  It is idempotent and is also registered with ``atexit``, so
  a test run that dies with an exception leaves no server behind.  (Nothing
  can help if the Python process is SIGKILLed; then the server keeps running
  until someone stops it.)
* If ``GATEWAY_TEST_POSTGRES_URL`` is set, nothing is started: the returned
  server just carries that URL and its ``stop()`` does nothing.  This is for
  developers who want to point the suite at their own server.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "DATABASE_NAME",
    "ENV_URL",
    "PostgresServer",
    "PostgresUnavailable",
    "find_postgres_bin_dir",
    "start_postgres",
]

#: Environment variable naming an existing server to use instead of starting one.
ENV_URL = "GATEWAY_TEST_POSTGRES_URL"
#: Name of the database created in every throwaway server.
DATABASE_NAME = "gateway_test"
#: Superuser created by initdb (and the OS user we drop to when root).
SUPERUSER = "postgres"
#: Debian's location of the PostgreSQL 15 server binaries.
DEFAULT_BIN_DIR = Path("/usr/lib/postgresql/15/bin")
#: Binaries we need; they must all live in the same folder.
_REQUIRED_BINARIES = ("initdb", "pg_ctl", "createdb")
#: Seconds to wait for the server to start/stop and for client commands.
_TIMEOUT = 60
#: How often to retry with a new port when another process grabbed ours.
_PORT_ATTEMPTS = 5

# Written to postgresql.conf rather than passed as ``pg_ctl -o "-c ..."``:
# pg_ctl runs the postmaster through /bin/sh, so paths on the command line
# would need shell quoting, while the config file needs none of that.
_FAST_TEST_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}


class PostgresUnavailable(RuntimeError):
    """The throwaway server could not be found, started or prepared."""


@dataclass(eq=False)
class PostgresServer:
    """A running test server (or an external one, see ``GATEWAY_TEST_POSTGRES_URL``).

    ``url`` is a SQLAlchemy URL ``postgresql://postgres@127.0.0.1:PORT/gateway_test``.
    The same string is also a valid DSN for ``asyncpg.connect``; for an async
    SQLAlchemy engine use ``url.replace("postgresql://", "postgresql+asyncpg://", 1)``.
    ``data_dir`` is ``None`` for an external server.
    """

    url: str
    port: int | None
    data_dir: Path | None
    # Private bookkeeping; None for an external server.
    _base_dir: Path | None = field(default=None, repr=False)
    _bin_dir: Path | None = field(default=None, repr=False)
    _run_as: pwd.struct_passwd | None = field(default=None, repr=False)
    _owner_pid: int = field(default_factory=os.getpid, repr=False)
    _stopped: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def stop(self) -> None:
        """Kill the server and delete its files.  Safe to call more than once."""
        with self._lock:
            if self._stopped:
                return
            # A forked child inherits this object and the atexit hook; only
            # the process that started the server may stop it.
            if os.getpid() != self._owner_pid:
                return
            self._stopped = True
        atexit.unregister(self.stop)
        if self._base_dir is None:  # external server: nothing of ours to stop
            return
        assert self._bin_dir is not None and self.data_dir is not None
        if (self.data_dir / "postmaster.pid").exists():
            try:
                _run(
                    [self._bin_dir / "pg_ctl", "stop", "-D", self.data_dir,
                     "-m", "immediate", "-w", "-t", str(_TIMEOUT)],
                    run_as=self._run_as, cwd=self._base_dir,
                )
            except (PostgresUnavailable, subprocess.TimeoutExpired):
                # pg_ctl failed: kill the postmaster we started by its pid.
                _kill_postmaster(self.data_dir)
        shutil.rmtree(self._base_dir, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """Start a fresh server with an empty ``gateway_test`` database and return it.

    Returns an external server without starting anything if
    ``GATEWAY_TEST_POSTGRES_URL`` is set.  Raises :class:`PostgresUnavailable`
    if the binaries are missing or the server fails to start.
    """
    external = os.environ.get(ENV_URL)
    if external:
        return PostgresServer(url=external, port=urlsplit(external).port, data_dir=None)

    bin_dir = find_postgres_bin_dir()
    run_as = _unprivileged_user()
    base_dir = Path(tempfile.mkdtemp(prefix="gateway-pg-"))
    data_dir = base_dir / "data"
    server = PostgresServer(url="", port=None, data_dir=data_dir,
                            _base_dir=base_dir, _bin_dir=bin_dir, _run_as=run_as)
    # Register right away so that even a half-started server is cleaned up.
    atexit.register(server.stop)
    try:
        if run_as is not None:
            # mkdtemp made the directory 0700 root-owned; hand it over.
            os.chown(base_dir, run_as.pw_uid, run_as.pw_gid)
        _initdb(bin_dir, data_dir, run_as, base_dir)
        server.port = _start_on_free_port(bin_dir, data_dir, run_as, base_dir)
        _run(
            [bin_dir / "createdb", "-h", "127.0.0.1", "-p", str(server.port),
             "-U", SUPERUSER, DATABASE_NAME],
            run_as=run_as, cwd=base_dir,
        )
    except BaseException:
        server.stop()
        raise
    server.url = f"postgresql://{SUPERUSER}@127.0.0.1:{server.port}/{DATABASE_NAME}"
    return server


def find_postgres_bin_dir() -> Path:
    """Return the folder holding initdb, pg_ctl and createdb, or raise."""
    candidates: list[Path] = [DEFAULT_BIN_DIR]
    # Any other Debian-installed major version, newest first.
    candidates += sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda p: _version_key(p.parent.name), reverse=True,
    )
    candidates += _dpkg_bin_dirs("postgresql-15")
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for candidate in candidates:
        if all(os.access(candidate / name, os.X_OK) for name in _REQUIRED_BINARIES):
            return candidate
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl, createdb) not found in "
        f"{DEFAULT_BIN_DIR}, /usr/lib/postgresql/*/bin or on PATH. Install them "
        "with `apt-get install postgresql-15` (or run scripts/ensure-system-packages), "
        f"or set {ENV_URL} to use an existing server."
    )


# --------------------------------------------------------------------------
# helpers


def _version_key(name: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in name.split("."))
    except ValueError:
        return (-1,)


def _dpkg_bin_dirs(package: str) -> list[Path]:
    """Folders containing initdb according to ``dpkg -L``, if dpkg exists."""
    if shutil.which("dpkg") is None:
        return []
    try:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True,
                                 text=True, timeout=_TIMEOUT, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [Path(line).parent for line in listing.splitlines()
            if line.endswith("/bin/initdb")]


def _unprivileged_user() -> pwd.struct_passwd | None:
    """The OS user to run the server as: ``postgres`` when root, else ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SUPERUSER)
    except KeyError:
        raise PostgresUnavailable(
            "Running as root, but PostgreSQL refuses to run as root and there is "
            f"no unprivileged '{SUPERUSER}' user to run it as (apt-get install "
            "postgresql-15 creates it)."
        ) from None


def _clean_env(run_as: pwd.struct_passwd | None, home: Path) -> dict[str, str]:
    """Environment for the commands: no stray PG* variables, a sane locale."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    if run_as is not None:
        env.update(HOME=str(home), USER=run_as.pw_name, LOGNAME=run_as.pw_name)
    return env


def _run(args: list, *, run_as: pwd.struct_passwd | None, cwd: Path) -> str:
    """Run a command (as ``run_as`` if given) and return its output, or raise.

    ``cwd`` must be readable by ``run_as``: PostgreSQL tools fail when they
    cannot access the current directory (e.g. a root-only checkout).
    """
    args = [str(a) for a in args]
    user_kwargs = {}
    if run_as is not None:
        # subprocess drops privileges in the child before exec (setgroups,
        # setgid, setuid); unlike preexec_fn this is safe with threads.
        user_kwargs = dict(user=run_as.pw_uid, group=run_as.pw_gid, extra_groups=[])
    result = subprocess.run(
        args, cwd=cwd, env=_clean_env(run_as, cwd), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=_TIMEOUT + 30, check=False,
        **user_kwargs,
    )
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"{' '.join(args)} failed with exit code {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )
    return result.stdout


def _initdb(bin_dir: Path, data_dir: Path, run_as: pwd.struct_passwd | None,
            base_dir: Path) -> None:
    _run(
        [bin_dir / "initdb", "-D", data_dir, "-U", SUPERUSER, "-A", "trust",
         "-E", "UTF8", "--locale=C",
         "--no-sync"],  # skip fsyncing the new cluster: faster, and it's throwaway
        run_as=run_as, cwd=base_dir,
    )
    settings = dict(_FAST_TEST_SETTINGS, unix_socket_directories=str(data_dir))
    # Appending keeps the file's owner (the postgres user) unchanged.
    with open(data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# added by tests/support/postgres.py\n")
        for name, value in settings.items():
            escaped = value.replace("'", "''")
            conf.write(f"{name} = '{escaped}'\n")


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_on_free_port(bin_dir: Path, data_dir: Path,
                        run_as: pwd.struct_passwd | None, base_dir: Path) -> int:
    """Start the server on a free port and wait until it accepts connections.

    Between picking a port and the server binding it another process may take
    it; then we retry with a new port.
    """
    log_file = base_dir / "server.log"
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        port = _free_port()
        try:
            _run(
                [bin_dir / "pg_ctl", "start", "-D", data_dir, "-l", log_file,
                 "-w", "-t", str(_TIMEOUT), "-o", f"-p {port}"],
                run_as=run_as, cwd=base_dir,
            )
            return port
        except PostgresUnavailable as exc:
            log = _tail(log_file)
            if "could not bind" in log and attempt < _PORT_ATTEMPTS:
                continue  # the postmaster already exited (bind failure is fatal)
            raise PostgresUnavailable(f"{exc}\nServer log ({log_file}):\n{log}") from None
    raise AssertionError("unreachable")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _kill_postmaster(data_dir: Path) -> None:
    """SIGKILL the postmaster recorded in ``postmaster.pid``, if it still runs.

    Its backends notice the postmaster is gone and exit on their own.  The pid
    file may be stale (pid reused), so only a process whose command line
    names our data directory is killed.
    """
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return
    if os.fsencode(str(data_dir)) not in cmdline:
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
