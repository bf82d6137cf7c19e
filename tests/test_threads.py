"""HiGHS keeps one thread pool per process, sized by its first run, and refuses (kError,
no model status) a later run asking for another number of threads. A package solved side
by side runs with --threads 1 in a process whose first HiGHS run may have used the default
(the marginal values' LP): every later solve there (alternatives, stand-alone values,
diagnosis) must still be solved, and a refused run must never pass for a proof."""

from optimizer.app import model_data
from optimizer.data.synthetic import generate_tables
from optimizer.model import build_matrix
from optimizer.solver.highs import solve_matrix
from optimizer.solver.outcome import OPTIMAL


def test_solves_asking_for_other_thread_counts_in_one_process_are_all_solved():
    mm = build_matrix(model_data(generate_tables(12, 3, 3, 3, 5)))
    results = [
        solve_matrix(mm, mip_gap=1e-6, time_limit_s=30, threads=t)[0] for t in (1, 2, None, 1)
    ]
    # without the pool's reset the run asking for 2 after 1 (or 1 after 2) is refused
    assert [r.status for r in results] == [OPTIMAL] * 4, [r.message for r in results]
    assert max(r.objective for r in results) - min(r.objective for r in results) < 1e-6
