"""Reliability drill: hostile-but-fair inputs and faults against the real pipeline.

    .venv/bin/python scripts/drill.py [--workdir DIR] [--only NAME ...]   (make drill)

Every case runs `python -m dagster_project.cli run` (what `make run` does) in
temporary folders: its own RAW_DIR (the five samples plus the bad input),
WAREHOUSE_DIR and DAGSTER_HOME with the project's dagster.yaml. The bad inputs
go into one run together (each is looked up on its own afterwards); every
fault gets its own run. One row per case:

- exit: the run's exit code (for 'kill -9' the code of the run after the kill);
- good: the five sample articles still 'ok' in the published marts;
- outcome: what happened to the bad input or the fault;
- lost/dup: claims of the five samples missing from, or beyond, those of a
  clean run (0/0 means nothing lost, nothing duplicated).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "raw").iterdir() if p.is_file())
NETAUDIT = ROOT / "tests" / "reliability" / "netaudit"
ARTICLE = (
    "Trade ministers meet in Oslo\n\n"
    "The trade ministers of Norway and Sweden met in Oslo on 3 March 2024. "
    "They signed an agreement worth $2 billion, officials said.\n"
)


@dataclass
class Case:
    root: Path

    raw = property(lambda self: self.root / "raw")
    warehouse = property(lambda self: self.root / "warehouse")
    home = property(lambda self: self.root / "home")
    published = property(lambda self: self.root / "warehouse" / "warehouse.duckdb")

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, RAW_DIR=str(self.raw), WAREHOUSE_DIR=str(self.warehouse),
                   DAGSTER_HOME=str(self.home), PYTHONUNBUFFERED="1")
        env.update(extra)
        return env

    def cmd(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "dagster_project.cli", "run", *args]

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.cmd(*args), cwd=ROOT, env=self.env(**extra), text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1800)

    def start(self, log: Path, **extra: str) -> subprocess.Popen:
        return subprocess.Popen(self.cmd(), cwd=ROOT, env=self.env(**extra),
                                stdout=open(log, "w"), stderr=subprocess.STDOUT,
                                start_new_session=True)

    def query(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(self.published), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def statuses(self) -> dict[str, tuple[str, str]]:
        try:
            rows = self.query("select source_path, status, coalesce(quarantine_reason, '') "
                              "from marts.dim_articles")
        except duckdb.Error:
            return {}
        return {p: (s, r) for p, s, r in rows}

    def sample_claims(self) -> tuple[int, int]:
        """(claims of the five samples, of which duplicated claim ids)."""
        names = [p.name for p in SAMPLES]
        n, distinct = self.query(
            "select count(*), count(distinct claim_id) from marts.fct_claims c "
            "join marts.dim_articles a using (article_id) "
            "where a.source_path in (select unnest(?)) and a.status = 'ok'", [names])[0]
        return n, n - distinct


def new_case(root: Path) -> Case:
    case = Case(root)
    case.raw.mkdir(parents=True)
    for p in SAMPLES:
        shutil.copy2(p, case.raw / p.name)
    case.home.mkdir()
    shutil.copy2(ROOT / ".dagster_home" / "dagster.yaml", case.home / "dagster.yaml")
    return case


def clone(base: Case, root: Path) -> Case:
    shutil.copytree(base.root, root, symlinks=True)
    return Case(root)


def good(case: Case) -> str:
    st = case.statuses()
    return f"{sum(st.get(p.name, ('',))[0] == 'ok' for p in SAMPLES)} of {len(SAMPLES)}"


def lost_dup(case: Case, baseline: int) -> str:
    try:
        n, dup = case.sample_claims()
    except duckdb.Error as exc:
        return f"unreadable: {exc}"[:60]
    return f"{max(0, baseline - n)}/{max(0, n - baseline) + dup}"


def failed_line(out: str) -> str:
    lines = [line for line in out.splitlines() if line.startswith(("FAILED:", "recovered:"))]
    return lines[0][:150] if lines else ""


# --- bad inputs: all dropped into one run --------------------------------------

def _png(raw: Path) -> None:
    (raw / "scan.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300))


INPUTS: list[tuple[str, str, Callable[[Path], None]]] = [
    ("empty file", "empty.txt", lambda r: (r / "empty.txt").write_bytes(b"")),
    ("binary (random bytes)", "random.txt",
     lambda r: (r / "random.txt").write_bytes(os.urandom(4096))),
    ("PNG named .html", "scan.html", _png),
    ("cp1251 text", "cp1251.txt",
     lambda r: (r / "cp1251.txt").write_bytes(("Министры встретились в Москве 3 марта 2024 "
                                               "года и подписали соглашение. " * 20)
                                              .encode("cp1251"))),
    ("latin-1 text", "latin1.txt",
     lambda r: (r / "latin1.txt").write_bytes(("Les ministres se sont réunis à Genève le 3 "
                                               "mars 2024 et ont signé un accord. " * 20)
                                              .encode("latin-1"))),
    ("UTF-16 with BOM", "utf16_bom.txt",
     lambda r: (r / "utf16_bom.txt").write_bytes(ARTICLE.encode("utf-16"))),
    ("UTF-16 without BOM", "utf16_nobom.txt",
     lambda r: (r / "utf16_nobom.txt").write_bytes(ARTICLE.encode("utf-16-le"))),
    ("UTF-8 with BOM", "utf8_bom.txt",
     lambda r: (r / "utf8_bom.txt").write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())),
    ("CRLF line ends", "crlf.txt",
     lambda r: (r / "crlf.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode())),
    ("malformed HTML", "broken.html",
     lambda r: (r / "broken.html").write_text("<html><body><p>" + ARTICLE + "<div><p><b>"
                                              "unclosed", encoding="utf-8")),
    ("script-only HTML", "script.html",
     lambda r: (r / "script.html").write_text("<html><script>alert(1)</script></html>",
                                              encoding="utf-8")),
    ("meta refresh HTML (no fetch)", "refresh.html",
     lambda r: (r / "refresh.html").write_text(
         '<html><head><meta http-equiv="refresh" content="0;url=http://example.com/">'
         "</head><body></body></html>", encoding="utf-8")),
    ("NUL byte after 8 KB", "nul_late.txt",
     lambda r: (r / "nul_late.txt").write_bytes(ARTICLE.encode() * 100 + b"\x00 tail")),
    ("huge file (6 MB)", "huge.txt",
     lambda r: (r / "huge.txt").write_bytes(b"word " * 1_300_000)),
    ("one 1 MB line of sentences", "one_line.txt",
     lambda r: (r / "one_line.txt").write_bytes(b"The ministers met and signed a deal worth "
                                                b"$2 billion, officials said. " * 15000)),
    ("name with $(cmd)", "$(touch pwned).txt",
     lambda r: (r / "$(touch pwned).txt").write_text(ARTICLE, encoding="utf-8")),
    ("name with a newline", "new\nline.txt",
     lambda r: (r / "new\nline.txt").write_text(ARTICLE, encoding="utf-8")),
    ("name not UTF-8", "latin1_caf\\xe9.txt (name not UTF-8)",
     lambda r: (r / os.fsdecode(b"latin1_caf\xe9.txt")).write_text(ARTICLE, encoding="utf-8")),
    ("SQL-looking text", "sql.txt",
     lambda r: (r / "sql.txt").write_text(ARTICLE + "'); drop table marts.fct_claims; --\n",
                                          encoding="utf-8")),
    ("Jinja-looking text", "jinja.txt",
     lambda r: (r / "jinja.txt").write_text(ARTICLE + "{{ ref('x') }} {% do run_query('drop "
                                            "schema marts') %}\n", encoding="utf-8")),
    ("link to /etc/passwd", "passwd_link.txt",
     lambda r: os.symlink("/etc/passwd", r / "passwd_link.txt")),
    ("broken link", "broken_link.txt",
     lambda r: os.symlink(r / "nothing_here.txt", r / "broken_link.txt")),
    ("link inside RAW_DIR", "inside_link.txt",
     lambda r: os.symlink(SAMPLES[0].name, r / "inside_link.txt")),
    ("FIFO named .txt", "pipe.txt", lambda r: os.mkfifo(r / "pipe.txt")),
    ("duplicate of a sample", "dup_copy.txt",
     lambda r: shutil.copy2(r / SAMPLES[0].name, r / "dup_copy.txt")),
    ("hidden file", ".draft.txt",
     lambda r: (r / ".draft.txt").write_text(ARTICLE, encoding="utf-8")),
    ("unsupported .docx", "notes.docx",
     lambda r: (r / "notes.docx").write_bytes(b"PK\x03\x04 not an article")),
]


def input_rows(base: Case, work: Path, baseline: int) -> list[tuple]:
    case = clone(base, work / "inputs")
    for _, _, make in INPUTS:
        make(case.raw)
    t = time.monotonic()
    proc = case.run()
    secs = time.monotonic() - t
    st = case.statuses()
    rows = []
    for label, name, _ in INPUTS:
        if name in st:
            status, reason = st[name]
            outcome = status + (f": {reason}" if reason else "")
        elif name.startswith("."):
            outcome = "ignored (hidden file, as documented)"
        else:
            outcome = "NO ROW"
        rows.append((label, proc.returncode, good(case), outcome[:110], lost_dup(case, baseline)))
    pwned = any(p.name == "pwned" for p in ROOT.iterdir()) or (case.raw / "pwned").exists()
    rows.append(("(all inputs above: one run)", proc.returncode, good(case),
                 f"{secs:.0f} s; command in a file name executed: {pwned}",
                 lost_dup(case, baseline)))
    return rows


# --- faults: one run each -----------------------------------------------------

def _claimed(home: Path) -> list:
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        return list(instance.event_log_storage.get_concurrency_info(
            "duckdb_warehouse").claimed_slots)


def fault_kill(base: Case, work: Path, baseline: int) -> tuple:
    case = clone(base, work / "kill")
    for i in range(6):
        for p in SAMPLES:
            shutil.copy2(p, case.raw / f"extra_{i}_{p.name}")
    proc = case.start(work / "kill.log")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        if any(s.step_key in ("cleaned_articles", "extractions") for s in _claimed(case.home)):
            break
        time.sleep(0.5)
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    held = len(_claimed(case.home))
    second = case.run()
    return ("kill -9 mid-run, then run again", second.returncode, good(case),
            f"slots held after kill: {held}; next run: {failed_line(second.stdout) or 'ok'}",
            lost_dup(case, baseline))


def fault_two_runs(base: Case, work: Path, baseline: int) -> tuple:
    case = clone(base, work / "two")
    shutil.copy2(SAMPLES[1], case.raw / "new_copy.txt")
    a, b = case.start(work / "two_a.log"), case.start(work / "two_b.log")
    codes = (a.wait(), b.wait())
    return ("two runs at once", max(codes), good(case), f"exit codes {codes}",
            lost_dup(case, baseline))


def fault_full_disk(base: Case, work: Path, baseline: int) -> tuple:
    case = clone(base, work / "disk")
    shutil.copy2(SAMPLES[1], case.raw / "new_copy.txt")
    versions = case.warehouse / "versions"
    script = ('mount -t tmpfs -o size=64k tmpfs "$V" || exit 99; "$PY" -m dagster_project.cli '
              'run; rc=$?; echo "LEFT: $(ls -A "$V" | wc -l)"; exit $rc')
    proc = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                          cwd=ROOT, env=case.env(V=str(versions), PY=sys.executable),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode == 99:
        return ("full disk at publish", "-", good(case), "skipped: cannot mount tmpfs", "-")
    left = proc.stdout.rsplit("LEFT:", 1)[-1].strip()
    return ("full disk at publish", proc.returncode, good(case),
            f"temp files left: {left}; old copy still served; {failed_line(proc.stdout)}",
            lost_dup(case, baseline))


def fault_corrupt(base: Case, work: Path, baseline: int) -> tuple:
    case = clone(base, work / "corrupt")
    work_db = case.warehouse / ".work" / "pipeline.duckdb"
    with open(work_db, "r+b") as fh:
        fh.write(os.urandom(4096))
    t = time.monotonic()
    proc = case.run()
    aside = [p.name for p in work_db.parent.glob("pipeline.duckdb.damaged-*")]
    return ("working database: first 4 KB overwritten", proc.returncode, good(case),
            f"moved aside: {aside}, rebuilt in {time.monotonic() - t:.0f} s",
            lost_dup(case, baseline))


def fault_empty(base: Case, work: Path, baseline: int) -> tuple:
    case = clone(base, work / "empty")
    for p in case.raw.iterdir():
        p.unlink()
    proc = case.run()
    return ("empty RAW_DIR (share not mounted)", proc.returncode, good(case),
            failed_line(proc.stdout)[:110], lost_dup(case, baseline))


WRITER_DIES = ("import os, sys, duckdb; c = duckdb.connect(sys.argv[1]); "
               "c.execute('delete from marts.fct_claims'); os._exit(0)")
WRITER_STAYS = ("import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); "
                "c.execute('create table main.scratch as select 1'); print('up', flush=True); "
                "time.sleep(3600)")
READER_STAYS = ("import sys, time, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
                "c.execute('select count(*) from marts.fct_claims').fetchall(); "
                "print('up', flush=True); time.sleep(3600)")


def fault_writer_dies(base: Case, work: Path, baseline: int) -> tuple:
    case = clone(base, work / "wal")
    subprocess.run([sys.executable, "-c", WRITER_DIES, str(case.published)], check=True)
    wals = len(list((case.warehouse / "versions").glob("*.wal")))
    proc = case.run()
    left = len(list((case.warehouse / "versions").glob("*.wal")))
    return ("analyst read-write: writes, dies (stale WAL)", proc.returncode, good(case),
            f"stale WAL files before/after the run: {wals}/{left}", lost_dup(case, baseline))


def _with_session(base: Case, work: Path, baseline: int, name: str, code: str,
                  label: str) -> tuple:
    case = clone(base, work / name)
    shutil.copy2(SAMPLES[1], case.raw / "new_copy.txt")
    session = subprocess.Popen([sys.executable, "-c", code, str(case.published)],
                               stdout=subprocess.PIPE, text=True)
    try:
        session.stdout.readline()
        proc = case.run()
        readable = "new copy readable while the session is open" if (
            "new_copy.txt" in case.statuses()) else "new copy NOT readable"
    finally:
        session.kill()
        session.wait()
    return (label, proc.returncode, good(case), f"{readable}; {failed_line(proc.stdout)}",
            lost_dup(case, baseline))


def fault_writer_stays(base, work, baseline):
    return _with_session(base, work, baseline, "rw", WRITER_STAYS,
                         "analyst read-write connected during a run")


def fault_reader_stays(base, work, baseline):
    return _with_session(base, work, baseline, "ro", READER_STAYS,
                         "analyst read-only connected during a run")


def fault_network(base: Case, work: Path, baseline: int) -> tuple:
    case = clone(base, work / "net")
    shutil.copy2(SAMPLES[1], case.raw / "new_copy.txt")
    log = work / "net.log"
    proc = case.run(PYTHONPATH=str(NETAUDIT), NET_AUDIT_LOG=str(log))
    attempts = log.read_text().splitlines() if log.exists() else []
    return ("no network (every connect audited)", proc.returncode, good(case),
            f"outbound attempts: {len(attempts)}" + (f" e.g. {attempts[0]}" if attempts else ""),
            lost_dup(case, baseline))


FAULTS = {
    "kill": fault_kill, "two_runs": fault_two_runs, "full_disk": fault_full_disk,
    "corrupt": fault_corrupt, "empty": fault_empty, "writer_dies": fault_writer_dies,
    "writer_stays": fault_writer_stays, "reader_stays": fault_reader_stays,
    "network": fault_network,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, help="keep the cases here (default: a temp dir)")
    parser.add_argument("--only", nargs="*", help=f"cases: inputs {' '.join(FAULTS)}")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="drill-"))
    work.mkdir(parents=True, exist_ok=True)
    base = new_case(work / "base")
    proc = base.run()
    if proc.returncode != 0:
        print(proc.stdout[-3000:])
        return 1
    baseline, _ = base.sample_claims()
    print(f"baseline: 5 samples, {baseline} claims; cases under {work}\n", flush=True)
    header = ("case", "exit", "good", "outcome", "lost/dup")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header), flush=True)
    chosen = args.only or ["inputs", *FAULTS]
    if "inputs" in chosen:
        for row in input_rows(base, work, baseline):
            print(" | ".join(str(c).replace("\n", "\\n") for c in row), flush=True)
    for name in chosen:
        if name in FAULTS:
            row = FAULTS[name](base, work, baseline)
            print(" | ".join(str(c).replace("\n", "\\n") for c in row), flush=True)
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
