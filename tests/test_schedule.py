"""Which package starts when (`optimizer.schedule`): a package waits for its own ancestors,
not for its whole generation, and the packages others wait on start first."""

from dataclasses import dataclass

from optimizer.schedule import Schedule


@dataclass
class P:
    sid: str


def simulate(packages, waits, seconds, workers):
    """Start times of every package when `workers` solve them as the schedule hands them
    out, each taking `seconds[sid]`: a small event simulation of `runner.Local.run`."""
    schedule = Schedule(packages, waits)
    clock, running, started = 0.0, {}, {}
    while True:
        for p in schedule.take(workers - len(running)):
            started[p.sid] = clock
            running[p.sid] = clock + seconds[p.sid]
        if not running:
            return started
        sid = min(running, key=running.get)
        clock = running.pop(sid)
        schedule.finished(sid)


def test_a_grandchild_starts_when_its_parent_is_done_not_when_its_generation_is():
    # baseline (2 s); its children A (10 s) and B (2 s); B's child C (2 s); two workers.
    # By generation C would start when A ends (2 + 10 = 12 s) and the run would end at 14 s;
    # here C starts when B ends (2 + 2 = 4 s), beside A, and the run ends at 12 s
    packages = [P("baseline"), P("A"), P("B"), P("C")]
    waits = {"baseline": set(), "A": {"baseline"}, "B": {"baseline"}, "C": {"baseline", "B"}}
    seconds = {"baseline": 2, "A": 10, "B": 2, "C": 2}
    started = simulate(packages, waits, seconds, workers=2)
    assert started == {"baseline": 0, "A": 2, "B": 2, "C": 4}
    assert max(started[s] + seconds[s] for s in started) == 12


def test_the_packages_others_wait_on_start_first_ties_keep_the_scenarios_order():
    # one worker: of baseline's children X, Y, Z, only Z has a child (W), so Z goes first;
    # X and Y then keep their order; W may start as soon as Z is done
    packages = [P("baseline"), P("X"), P("Y"), P("Z"), P("W")]
    waits = {
        "baseline": set(),
        "X": {"baseline"},
        "Y": {"baseline"},
        "Z": {"baseline"},
        "W": {"baseline", "Z"},
    }
    seconds = dict.fromkeys(waits, 1)
    started = simulate(packages, waits, seconds, workers=1)
    assert sorted(started, key=started.get) == ["baseline", "Z", "X", "Y", "W"]


def test_a_package_whose_ancestors_are_not_solved_in_this_run_may_start_at_once():
    # --scenario A --scenario C: baseline and B are not part of the run, so nothing waits
    packages = [P("A"), P("C")]
    schedule = Schedule(packages, {"A": {"baseline"}, "C": {"baseline", "B"}})
    assert [p.sid for p in schedule.take()] == ["A", "C"]
    assert schedule.take() == []


def test_every_package_starts_once_and_only_after_all_it_waits_for():
    packages = [P(s) for s in ("baseline", "a", "b", "ab", "abc")]
    waits = {
        "baseline": set(),
        "a": {"baseline"},
        "b": {"baseline"},
        "ab": {"baseline", "a"},
        "abc": {"baseline", "a", "ab"},
    }
    seconds = {"baseline": 1, "a": 3, "b": 1, "ab": 1, "abc": 1}
    started = simulate(packages, waits, seconds, workers=3)
    assert set(started) == set(waits)
    for sid, before in waits.items():
        for other in before:
            assert started[sid] >= started[other] + seconds[other]
