"""Which policy package starts when: a package waits only for its own ancestors among the
packages of the run (it starts from their plans and prices), not for every package of its
generation. Of the packages that may start, those with the most packages waiting on them
go first, so that the longest chain of packages is never left to the end; ties keep the
order of `Scenarios`.

Example: baseline, its children A (slow) and B, and B's child C on two workers. Waiting by
generation, C starts only once A is done; here C starts as soon as B is, beside A.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Schedule:
    """The packages not yet started, what each still waits for, and which may start."""

    def __init__(self, packages: Iterable[Any], waits: dict[str, set[str]]) -> None:
        self.packages = list(packages)
        sids = {p.sid for p in self.packages}
        self.waits = {p.sid: set(waits.get(p.sid, ())) & sids for p in self.packages}
        self.position = {p.sid: i for i, p in enumerate(self.packages)}
        # how many packages wait on each one, directly or through others
        self.waiting_on = {sid: sum(sid in w for w in self.waits.values()) for sid in self.position}
        self.ready = [p for p in self.packages if not self.waits[p.sid]]
        self.started: set[str] = set()

    def take(self, n: int | None = None) -> list[Any]:
        """Up to `n` packages that may start now (None: every one), first the ones most
        packages wait on; they count as started."""
        self.ready.sort(key=lambda p: (-self.waiting_on[p.sid], self.position[p.sid]))
        count = len(self.ready) if n is None else max(0, n)
        chosen, self.ready = self.ready[:count], self.ready[count:]
        self.started.update(p.sid for p in chosen)
        return chosen

    def finished(self, sid: str) -> None:
        """Package `sid` has its result: the packages that waited only for it may start."""
        for p in self.packages:
            w = self.waits[p.sid]
            if sid in w:
                w.discard(sid)
                if not w and p.sid not in self.started:
                    self.ready.append(p)
