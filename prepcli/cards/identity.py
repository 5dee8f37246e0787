"""Card identity across re-imports.

Review history is keyed by card id, so an id must survive what users do to their notes. A
freshly parsed card takes the id of an existing card, tried in this order:

1. the same normalised question under the same heading path;
2. the same normalised question anywhere (the section moved, or went to another file); of
   several alike, the one under the closest heading path;
3. a close question under the same heading path (a typo or wording fix), the closest pairs
   first.

"The same question" also accepts the card's *stem*: its own words without the context a part
carries from its container ("参数量" for "各层 FLOPs 和参数量 paras 的计算：参数量"), so a card
whose front gained context keeps its id.

Anything left gets a new id derived from its deck, path and stem, so importing the same
notes into an empty directory always gives the same ids (and the same ids as before a front
gained its context).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from prepcli.cards import textnorm

CLOSE = 0.8  # SequenceMatcher ratio on normalised questions that still counts as "the same"


@dataclass(slots=True)
class Fresh:
    """What identity needs to know of a newly parsed card."""

    deck: str
    question: str
    path: list[str]
    stem: str = ""  # the question without a container's context ("" = the question)
    key: str = ""  # textnorm.key(question), where known already ("" = not known)


@dataclass(slots=True)
class Old:
    id: str
    question: str
    path: list[str]


def first_ids_hold(first: list[str | None], old: list[Old], taken: set[str]) -> bool:
    """Whether `assign` gives each fresh card its `first_id` (`first`, in order, where known
    already): when every card is new, none alike (their first ids differ, so do their deck,
    path and stem) and none of those ids is taken."""
    return not old and None not in first and len(set(first)) == len(first) and \
        taken.isdisjoint(first)


def assign(fresh: list[Fresh], old: list[Old], taken: set[str]) -> list[tuple[str, Old | None]]:
    """For each fresh card, its id and the old card it continues (None for a new card)."""
    result: list[tuple[str, Old | None] | None] = [None] * len(fresh)
    fkeys = [(_question_key(f), textnorm.path_key(f.path)) for f in fresh]
    skeys = [_stem_key(f, q) for f, (q, _) in zip(fresh, fkeys)]
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

    def take(pairs) -> None:
        """The pairs (…, i, j) in order, each where fresh i and old j are both free."""
        for *_, i, j in sorted(pairs):
            if result[i] is None and not used[j]:
                result[i], used[j] = (old[j].id, old[j]), True

    if old:  # (a first import has nothing to match: every card gets a new id)
        # 1. the same question (or stem) under the same path
        for i, fk in enumerate(fkeys):
            for probe in (fk, (skeys[i], fk[1])):
                j = first_free(by_both.get(probe, []))
                if j is not None:
                    result[i], used[j] = (old[j].id, old[j]), True
                    break
        # 2. the same question anywhere: of several alike (`介绍一下你的项目` in every round of
        # a diary), the one under the closest path, not the first free (headings renamed and
        # rounds reordered crossed two cards' histories)
        pairs = []
        for i, fk in enumerate(fkeys):
            if result[i] is None:
                for rank, probe in enumerate((fk[0], skeys[i])):
                    alike = by_question.get(probe, [])
                    if len(alike) > _ALIKE:  # (a crowd of one question: first come, at once)
                        j = first_free(alike)
                        if j is not None:
                            result[i], used[j] = (old[j].id, old[j]), True
                            break
                    else:
                        pairs += [(rank, -_closeness(fk[1], okeys[j][1]), i, j)
                                  for j in alike if not used[j]]
        take(pairs)
        # 3. a close question under the same path: the closest pairs first, not each fresh
        # card its best in note order (a new `… at test time` above `… at training time`,
        # fixed from `train time`, took the old card's history)
        left: dict[str, list[int]] = defaultdict(list)
        for i, (_, p) in enumerate(fkeys):
            if result[i] is None:
                left[p].append(i)
        pairs = []
        for p, fs in left.items():
            olds = [j for j in by_path.get(p, []) if not used[j]]
            pairs += _close_pairs([fkeys[i][0] for i in fs], fs,
                                  [okeys[j][0] for j in olds], olds)
        take(pairs)

    ids = set(taken) | {r[0] for r in result if r is not None}
    # Cards alike (same deck, path and stem) take n = 0, 1, 2 … in turn. Each starts after the
    # last n one of them took: every id below it is in `ids` already, so it is the same id the
    # first free n gives, without trying them all again (20,000 alike took 300 s).
    after: dict[tuple[str, str, str], int] = {}
    for i, f in enumerate(fresh):
        if result[i] is None:
            base = (f.deck, fkeys[i][1], skeys[i])
            n = after.get(base, 0)
            while True:
                cid = _new_id(base, n)
                if cid not in ids:
                    break
                n += 1
            after[base] = n + 1
            ids.add(cid)
            result[i] = (cid, None)
    return result  # type: ignore[return-value]


_ALIKE = 8  # more old cards of one question than this: matched first come, not by path
# Fresh and old questions of one path compared each with each up to this many pairs; past it
# (every question of a big note reworded: 4,000 took 356 s and 1.5 GB, 20,000 hours), each
# fresh one with the old ones likeliest close (_near)
_ALL_PAIRS = 100_000


def _close_pairs(fresh: list[str], fi: list[int], old: list[str], oj: list[int]
                 ) -> list[tuple[float, int, int]]:
    """(-ratio, i, j) for each fresh question (index fi[k]) and old one (oj[m]) at least
    CLOSE alike, as `assign` takes them."""
    if not fresh or not old:
        return []
    near = [range(len(old))] * len(fresh) if len(fresh) * len(old) <= _ALL_PAIRS \
        else _near(fresh, old)
    by_old: dict[int, list[int]] = defaultdict(list)
    for k, ms in enumerate(near):
        for m in ms:
            by_old[m].append(k)
    out = []
    sm = SequenceMatcher(None, autojunk=False)
    for m, ks in by_old.items():
        sm.set_seq2(old[m])  # (its index made once for all the fresh ones it meets)
        for k in ks:
            sm.set_seq1(fresh[k])
            # (the cheap upper bounds first: most pairs are far apart)
            if sm.real_quick_ratio() >= CLOSE and sm.quick_ratio() >= CLOSE:
                r = sm.ratio()
                if r >= CLOSE:
                    out.append((-r, fi[k], oj[m]))
    return out


def _near(fresh: list[str], old: list[str]) -> list[set[int]]:
    """For each fresh question, the old ones (indices) likeliest close to it: those that share
    the most of its rarest three-character pieces (a reworded question keeps most of its
    words, and its own words are the rare pieces: `…what is dropout` among `…what is X`), and
    those at its place in the note, give or take a few (edits keep the order)."""
    def pieces(q: str) -> set[str]:
        return {q[i:i + 3] for i in range(len(q) - 2)} or {q}

    index: dict[str, list[int]] = defaultdict(list)
    for m, q in enumerate(old):
        for g in pieces(q):
            index[g].append(m)
    out = []
    for k, q in enumerate(fresh):
        votes: dict[int, int] = defaultdict(int)
        rare = sorted((len(index[g]), g) for g in pieces(q) if g in index)
        for n, g in rare[:_PIECES]:
            if n > _COMMON:
                break  # (a piece this common tells nothing)
            for m in index[g]:
                votes[m] += 1
        c = k * len(old) // len(fresh)
        near = set(range(max(0, c - _AROUND), min(len(old), c + _AROUND + 1)))
        near.update(sorted(votes, key=lambda m: (-votes[m], m))[:_VOTED])
        out.append(near)
    return out


# _near: the rarest pieces looked up, how common one may be, the old questions kept by their
# shared pieces, and how far from its place in the note one may be
_PIECES, _COMMON, _VOTED, _AROUND = 4, 64, 4, 3


def _closeness(a: str, b: str) -> float:
    """How alike two path keys are (1.0: the same)."""
    return 1.0 if a == b else SequenceMatcher(None, a, b, autojunk=False).ratio()


def first_id(f: Fresh) -> str:
    """The id `assign` gives `f` when it continues no old card and no other card has taken
    it: the one a first import gives almost every card (prep import makes a big note's cards
    with it while the note is parsed, and keeps them where `assign` agrees)."""
    q = _question_key(f)
    return _new_id((f.deck, textnorm.path_key(f.path), _stem_key(f, q)), 0)


def _question_key(f: Fresh) -> str:
    return f.key or textnorm.key(f.question)


def _stem_key(f: Fresh, question_key: str) -> str:
    return question_key if not f.stem or f.stem == f.question else textnorm.key(f.stem)


def _new_id(base: tuple[str, str, str], n: int) -> str:
    """The n-th id of cards alike: deck, path key and stem key (see `assign`)."""
    return hashlib.sha1("\x1f".join([*base, str(n)]).encode()).hexdigest()[:10]
