"""Running the command line as a planner does and stopping it with a signal (Ctrl-C is
SIGINT) part-way, in its own process group: a run that does not stop in time is killed
with everything it started, so that one failure cannot leave HiGHS workers holding the
cores for the tests after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def signalled(args, after_s, signum=signal.SIGINT, timeout_s=90):
    """Run `python -m optimizer ARGS`, send `signum` to it after `after_s` seconds and
    return (exit code, stdout, stderr) once it has ended; fail the test, having killed its
    whole process group, if it has not ended `timeout_s` seconds after the signal."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "optimizer", *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_ctrl_c_as_at_a_terminal,
    )
    try:
        time.sleep(after_s)
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        stdout, stderr = proc.communicate()
        pytest.fail(
            f"the run had not ended {timeout_s} s after signal {signum}; killed it and its "
            f"workers\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        )
    finally:
        if proc.poll() is None:
            _kill_group(proc.pid)
    return proc.returncode, stdout, stderr


def _ctrl_c_as_at_a_terminal():
    """In the child before it starts: SIGINT as a terminal's command gets it. A test run
    started in the background (`.ci/run &`, nohup) ignores SIGINT, and an ignored signal
    stays ignored in every program it starts, so the Ctrl-C tests would wait in vain."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
