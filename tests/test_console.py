"""The console is for people: no solver banner, one live line per package on a terminal,
plain lines when piped, HiGHS's own log only with --verbose."""

import io
import subprocess
import sys
import time
from pathlib import Path

from optimizer.report import console as console_module
from optimizer.report.console import Board

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "zhejiang_example.xlsx"


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_the_live_line_is_redrawn_in_place_during_every_phase(monkeypatch):
    monkeypatch.setattr(console_module, "LIVE_EVERY_S", 0.05)
    out = Terminal()
    c = Board(2, out)
    c.begin("baseline")  # building the model: no figures yet, the clock still ticks
    time.sleep(0.2)
    c.status(4198.47, 4198.9, 0.0001)
    time.sleep(0.2)
    c.say("a note")
    c.end("baseline: optimal")
    c.close()
    text = out.getvalue()
    assert "[1/2] baseline  0 s  building the model" in text
    assert "solving  plan 4,198.5 mcny, bound 4,198.9, gap 0.01%" in text
    assert text.count("\r\x1b[2K") >= 4  # redrawn in place, line cleared each time
    assert "a note\n" in text and text.endswith("[1/2] baseline: optimal\n")


def test_piped_output_gets_plain_lines_at_a_slower_pace(monkeypatch):
    monkeypatch.setattr(console_module, "PLAIN_EVERY_S", 0.0)
    out = io.StringIO()
    c = Board(1, out)
    c.begin("baseline")
    c.status(10.0, None, None)
    c.end("baseline: feasible")
    text = out.getvalue()
    assert "\r" not in text and "\x1b" not in text
    assert text.splitlines() == [
        "         0 s: plan 10.0 mcny, bound n/a",
        "[1/1] baseline: feasible",
    ]


def run(out, *extra):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "optimizer",
            "solve",
            str(EXAMPLE),
            "--scenario",
            "baseline",
            "--out",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_no_banner_and_no_solver_jargon_unless_verbose(tmp_path):
    plain = run(tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert "Running HiGHS" not in plain.stdout and "Copyright" not in plain.stdout
    assert "start:" not in plain.stdout and "greedy" not in plain.stdout
    assert "[1/1] baseline: optimal" in plain.stdout
    verbose = run(tmp_path, "--verbose")
    assert verbose.returncode == 0
    assert "start: greedy plan" in verbose.stdout
    assert "Presolving model" in verbose.stdout  # HiGHS's own log, from its worker
