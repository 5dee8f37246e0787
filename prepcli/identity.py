"""Card identity across re-imports.

Review history is keyed by card id, so an id must survive what users do to their notes. A
freshly parsed card takes the id of an existing card, tried in this order:

1. the same normalised question under the same heading path;
2. the same normalised question anywhere (the section moved, or went to another file);
3. a close question under the same heading path (a typo or wording fix).

Anything left gets a new id derived from its deck, path and question, so importing the same
notes into an empty directory always gives the same ids.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from prepcli import textnorm

CLOSE = 0.8  # SequenceMatcher ratio on normalised questions that still counts as "the same"


@dataclass
class Fresh:
    """What identity needs to know of a newly parsed card."""

    deck: str
    question: str
    path: list[str]


@dataclass
class Old:
    id: str
    question: str
    path: list[str]


def assign(fresh: list[Fresh], old: list[Old], taken: set[str]) -> list[tuple[str, Old | None]]:
    """For each fresh card, its id and the old card it continues (None for a new card)."""
    result: list[tuple[str, Old | None] | None] = [None] * len(fresh)
    fkeys = [(textnorm.key(f.question), textnorm.path_key(f.path)) for f in fresh]
    okeys = [(textnorm.key(o.question), textnorm.path_key(o.path)) for o in old]
    used = [False] * len(old)
    by_both: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_question: dict[str, list[int]] = defaultdict(list)
    by_path: dict[str, list[int]] = defaultdict(list)
    for j, (q, p) in enumerate(okeys):
        by_both[(q, p)].append(j)
        by_question[q].append(j)
        by_path[p].append(j)

    def first_free(candidates: list[int]) -> int | None:
        return next((j for j in candidates if not used[j]), None)

    for index, pick in ((by_both, lambda k: k), (by_question, lambda k: k[0])):
        for i, fk in enumerate(fkeys):
            if result[i] is None:
                j = first_free(index.get(pick(fk), []))
                if j is not None:
                    result[i], used[j] = (old[j].id, old[j]), True
    for i, (q, p) in enumerate(fkeys):
        if result[i] is None:
            best, best_j = CLOSE, None
            for j in by_path.get(p, []):
                if not used[j]:
                    r = SequenceMatcher(None, q, okeys[j][0], autojunk=False).ratio()
                    if r >= best:
                        best, best_j = r, j
            if best_j is not None:
                result[i], used[best_j] = (old[best_j].id, old[best_j]), True

    ids = set(taken) | {r[0] for r in result if r is not None}
    for i, f in enumerate(fresh):
        if result[i] is None:
            n = 0
            while True:
                seed = "\x1f".join([f.deck, fkeys[i][1], fkeys[i][0], str(n)])
                cid = hashlib.sha1(seed.encode()).hexdigest()[:10]
                if cid not in ids:
                    break
                n += 1
            ids.add(cid)
            result[i] = (cid, None)
    return result  # type: ignore[return-value]
