"""A study session: which card comes next, and what answering, undoing, suspending and
burying do. Time is passed in; all writes go through the store, one transaction each.

Order, as in Anki: learning cards that are due; then due reviews, lowest retrievability
(most overdue) first; then new cards in deck order, up to the day's new-card limit; then
learning cards due within the learn-ahead window. Siblings (parts of the same question in the
notes) are not shown on the same day. `prompt` cards only with `prompts=True`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from prepcli.cards.deck import Card, Deck
from prepcli.errors import PrepError
from prepcli.review.plan import Plan, overrides
from prepcli.review.scheduler import (AGAIN, LEARNING, NEW, RELEARNING, REVIEW, CardState, Scheduler,
                               answer_time, from_ms, ms)
from prepcli.review.store import Conflict, Store

MAX_ANSWER_MS = 60_000  # like Anki: a longer pause is not time spent answering
SIBLING_GROUP_MAX = 6  # more cards than this under one heading is a chapter, not one question


def day_start(now: datetime, hour: int) -> datetime:
    """Start of the study day containing `now` (local time of `now`)."""
    start = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return start - timedelta(days=1) if now < start else start


def select(decks: list[Deck], deck: str | None = None, tag: str | None = None,
           prompts: bool = False) -> list[Card]:
    """The cards a session may show, in deck order."""
    if deck:
        wanted = deck.casefold()
        chosen = [d for d in decks if wanted in (d.slug.casefold(), d.name.casefold())]
        if not chosen:
            names = ", ".join(d.slug for d in decks) or "none"
            raise PrepError(f"no deck named {deck!r} (decks: {names})")
        decks = chosen
    cards = [c for d in decks for c in d.cards]
    if tag:
        cards = [c for c in cards if tag.casefold() in (t.casefold() for t in c.tags)]
        if not cards:
            raise PrepError(f"no card has the tag {tag!r}")
    if not prompts:
        cards = [c for c in cards if c.kind != "prompt"]
    return cards


def sibling_groups(cards: list[Card]) -> dict[str, str]:
    """card id -> group key, for cards that are parts of one question in the notes: the cards
    under one heading that asks, or that carry its words as their own (`各层 FLOPs 的计算：参数量`,
    the short parts of a heading the importer made a card of their list), and the heading's
    own card (its question is that heading, its path one shorter) — shown the same day, it
    gives them away. Not the questions under a topic or a note's title (`# 学习` over five
    `##` questions, `## Optimizers` over `### SGD`, `### Adam`: they came one a day, fault
    hunts 39 to 41), nor the terms of a glossary or the questions of a list of them (`##
    Key Terms`, `## 常见问题`)."""
    from prepcli.cards.textnorm import (asks, is_glossary_heading, is_question_list,
                                        names_a_glossary)

    groups: dict[tuple, list[str]] = defaultdict(list)
    for c in cards:
        src = c.source or {}
        path = tuple(src.get("path") or ())
        if path:
            groups[(c.deck, src.get("file"), path)].append(c.id)
    questions = {c.id: c.question for c in cards}

    def parts_of_one(key: tuple) -> bool:
        head = key[2][-1]
        if is_question_list(head) or names_a_glossary(head) or is_glossary_heading(head):
            return False
        said = _heading(head)
        return asks(head) or 2 * sum(questions[p].startswith((said + "：", said + ": "))
                                     for p in groups[key]) >= len(groups[key])
    keys = {k for k, ids in groups.items() if len(ids) <= SIBLING_GROUP_MAX and parts_of_one(k)}
    # a heading is matched as written or tidied ("What is BN?" heads the parts of "What is BN")
    by_heading = {k[:2] + (k[2][:-1] + (_heading(k[2][-1]),),): k for k in keys}
    for c in cards:
        src = c.source or {}
        own = (c.deck, src.get("file"), tuple(src.get("path") or ()) + (_heading(c.question),))
        if own in by_heading:
            groups[by_heading[own]].append(c.id)
    return {cid: "\x1f".join(map(str, key)) for key in keys for cid in groups[key]
            if 1 < len(groups[key]) <= SIBLING_GROUP_MAX}


def _heading(text: str) -> str:
    return text.strip().rstrip("?？:：").strip()


@dataclass
class Answered:
    review_id: int
    card: Card
    rating: int
    duration_ms: int


@dataclass
class Summary:
    reviewed: int
    again: int
    seconds: float
    next_due: datetime | None

    @property
    def again_rate(self) -> float:
        return self.again / self.reviewed if self.reviewed else 0.0


@dataclass
class Session:
    """`cards`: a list of cards (the mock interview, tests) or an index scope (`prep study`,
    prepcli/review/index.py: deck files and filters). Either way the queue is asked of SQLite over
    the scope joined with the card states: learning and due cards by state, new cards in deck
    order up to the limit; only the cards queued become objects, and the answer and source of
    an indexed card are read when it is shown."""
    cards: list[Card] | Any
    store: Store
    scheduler: Scheduler
    started: datetime
    new_limit: int = 20
    day_starts_at: int = 4
    learn_ahead_minutes: float = 20
    limit: int | None = None  # stop after this many answers
    new_override: int | None = None  # --new N: new cards for this session, ignoring the day
    ahead_days: int = 0  # --ahead N: also reviews due in the next N days (study ahead)
    plan: Plan | None = None  # prep plan: due dates and new cards paced for an interview
    history: list[tuple] = field(default_factory=list)  # undo stack
    answered: list[Answered] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.groups: dict[str, str] = {}  # card id -> sibling group, of the cards queued
        self._rid: dict[str, int] = {}  # card id -> its row in the scope
        self._filled: set[str] = set()  # indexed cards whose answer is loaded
        if isinstance(self.cards, list):
            self._scope = None
            self.by_id = {c.id: c for c in self.cards}
            self.states = self.store.states()  # the mock interview reads every card's state
            groups = sibling_groups(self.cards)
            self.store.scope_list((c.id, i, groups.get(c.id)) for i, c in enumerate(self.cards))
        else:
            self._scope, self.cards = self.cards, []
            self._scope.apply(self.store)
            self.by_id, self.states = {}, {}
        self.day_start = day_start(self.started, self.day_starts_at)
        self.day_end = self.day_start + timedelta(days=1)
        self.review_cutoff = self.day_end + timedelta(days=self.ahead_days)
        start_ms, now_ms, cutoff = ms(self.day_start), ms(self.started), ms(self.review_cutoff)
        today = self.store.reviews(since=start_ms)
        self.seen_today = {r.card_id for r in today}
        new_today = len({r.card_id for r in today if r.before.state == NEW})
        new_left = (self.new_override if self.new_override is not None
                    else max(0, self.new_limit - new_today))
        seen_in = self.store.scope_groups(self.seen_today)  # (card seen today -> its group)
        blocked_groups = set(seen_in.values())

        learning = self.store.scope_states((LEARNING, RELEARNING), now_ms)
        self.learning: set[str] = {r[0] for r in learning}
        planned = self.plan is not None and self.plan.active(self.started)
        # the plan may bring any review card forward: then every one is asked for
        reviews = self.store.scope_states((REVIEW,), now_ms, None if planned else cutoff)
        for cid, rid, grp, *state in learning + reviews:
            self.states[cid] = CardState(*state)
            self._note(cid, rid, grp)
        self.due_override = (overrides(self.plan, {r[0]: self.states[r[0]] for r in reviews},
                                       self.scheduler, self.started) if planned else {})
        due = [cid for cid, *_ in reviews
               if (d := self._due(cid, self.states[cid])) is not None and d < cutoff]
        due.sort(key=lambda c: self.scheduler.retrievability(self.states[c], self.started))
        # (a card answered today waits for tomorrow for its siblings' sake, not its own: due
        # again within --ahead's days, it is asked; it was left out as its own sibling)
        alone = {g for g in blocked_groups if sum(x == g for x in seen_in.values()) == 1}
        review_ids = self._without_siblings(due, blocked_groups, {
            c for c, g in seen_in.items() if g in alone})
        if planned and self.new_override is None:
            new_left = self.plan.new_left(new_left, self.store.scope_new_count(now_ms) + new_today,
                                          new_today, self.started)
        used = blocked_groups | {self.groups[c] for c in review_ids if c in self.groups}
        new_ids = self._new_cards(now_ms, new_left, used)
        self._make(list(self.learning) + review_ids + new_ids)
        self.review_queue = [self.by_id[c] for c in review_ids]
        self.new_queue = [self.by_id[c] for c in new_ids]

    def _note(self, cid: str, rid: int, grp: str | None) -> None:
        self._rid[cid] = rid
        if grp is not None:
            self.groups[cid] = grp

    def _new_cards(self, now_ms: int, wanted: int, used: set[str]) -> list[str]:
        """Up to `wanted` new cards in deck order, one per sibling group not `used`: read a
        few at a time, so a large collection is not read to take 20."""
        out, after = [], (-1, -1)
        while len(out) < wanted:
            rows = self.store.scope_new(now_ms, after, max(50, 2 * (wanted - len(out))))
            for cid, rid, grp, o, p in rows:
                after = (o, p)
                if grp is not None and grp in used:
                    continue
                self._note(cid, rid, grp)
                out.append(cid)
                if grp is not None:
                    used.add(grp)
                if len(out) == wanted:
                    break
            if not rows:
                break
        return out

    def _make(self, ids: list[str]) -> None:
        """Cards for these ids (an indexed card without its answer until shown)."""
        if self._scope is None:
            return
        missing = [self._rid[c] for c in ids if c not in self.by_id]
        for card in self._scope.cards(self.store, missing).values():
            self.by_id[card.id] = card

    def _without_siblings(self, ids: list[str], blocked: set[str],
                          itself: set[str] = frozenset()) -> list[str]:
        """`ids` with one card of each sibling group at most, none of a `blocked` group but
        the card that blocks it (`itself`)."""
        out, taken = [], set()  # (the groups of the cards kept)
        for c in ids:
            g = self.groups.get(c)
            if g is None or (g not in taken and (g not in blocked or c in itself)):
                out.append(c)
                if g is not None:
                    taken.add(g)
        return out

    # --- what is next ---------------------------------------------------------------------

    def _due(self, card_id: str, s: CardState) -> int | None:
        return self.due_override.get(card_id, s.due)

    def days_left(self) -> int | None:
        """Days to the interview while a plan is active, else None."""
        if self.plan is None or not self.plan.active(self.started):
            return None
        return self.plan.days_left(self.started)

    def state(self, card_id: str) -> CardState:
        s = self.states.get(card_id)
        if s is None:  # a card not queued (new, or not in the scope): as stored
            s = self.states[card_id] = self.store.state(card_id)
        return s

    def _learning_due(self, before: datetime) -> list[Card]:
        due = [(self.state(i).due or 0, i) for i in self.learning
               if (self.state(i).due or 0) <= ms(before)]
        return [self.by_id[i] for _, i in sorted(due)]

    def next(self, now: datetime) -> Card | None:
        card = self._next(now)
        while card is not None and not self.still_asked(card):
            card = self._next(now)
        if card is not None and self._scope is not None and card.id not in self._filled:
            self._scope.fill(self.store, card, self._rid[card.id])  # for the card on screen only
            self._filled.add(card.id)
        return card

    def _next(self, now: datetime) -> Card | None:
        if self.limit is not None and len(self.answered) >= self.limit:
            return None
        due = self._learning_due(now)
        if due:
            return due[0]
        if self.review_queue:
            return self.review_queue[0]
        if self.new_queue:
            return self.new_queue[0]
        ahead = self._learning_due(now + timedelta(minutes=self.learn_ahead_minutes))
        return ahead[0] if ahead else None

    def still_asked(self, card: Card) -> bool:
        """Whether `card` is still to be asked as queued. Another prep may have answered it
        since this session read its state (a second `prep study`, or this one stopped with
        Ctrl-Z meanwhile): then it takes the stored state and is asked only if that is due.
        False: the queues are changed (the caller asks for the next card again)."""
        stored = self.store.state(card.id)
        cid = card.id
        if self.new_queue and self.new_queue[0] is card and cid not in self.states:
            if stored.state == NEW:
                return True
        elif self.states.get(cid) == stored:
            return True
        self.states[cid] = stored
        self.due_override.pop(cid, None)
        if card in self.review_queue and stored.state == REVIEW and \
                stored.due is not None and stored.due < ms(self.review_cutoff):
            return True  # (still due: its schedule changed, e.g. `prep cards reset`)
        self._drop(card)
        if stored.state in (LEARNING, RELEARNING):
            self.learning.add(cid)  # (asked when its step is due)
        return False

    def counts(self, now: datetime) -> tuple[int, int, int]:
        """(new, learning, review) still to do today."""
        learning = sum(1 for i in self.learning if (self.state(i).due or 0) < ms(self.day_end))
        return len(self.new_queue), learning, len(self.review_queue)

    def remaining(self, now: datetime) -> int:
        n, l, r = self.counts(now)
        total = n + l + r
        if self.limit is not None:
            total = min(total, self.limit - len(self.answered))
        return total

    def kind_of(self, card: Card) -> str:
        s = self.state(card.id).state
        return {NEW: "new", LEARNING: "learning", RELEARNING: "learning", REVIEW: "review"}[s]

    # --- actions --------------------------------------------------------------------------

    def answer(self, card: Card, rating: int, now: datetime, duration_ms: int) -> Answered:
        duration_ms = max(0, min(int(duration_ms), MAX_ANSWER_MS))
        when = answer_time(now)
        for _ in range(3):
            before = self.state(card.id)
            after = self.scheduler.review(card.id, before, rating, now)
            try:
                rid = self.store.record(card.id, before, after, rating, when, duration_ms)
                break
            except Conflict:  # another prep answered this card meanwhile: use its result
                self.states[card.id] = self.store.state(card.id)
        else:
            raise PrepError(f"card {card.id} keeps changing in another prep process")
        self.states[card.id] = after
        self._dequeue(card)
        if after.state in (LEARNING, RELEARNING):
            self.learning.add(card.id)
        else:
            self.learning.discard(card.id)
        self._bury_siblings(card)
        done = Answered(rid, card, rating, duration_ms)
        self.answered.append(done)
        self.history.append(("answer", done, before))
        return done

    def undo(self) -> Card | None:
        """Take back the last action (answer, suspend or bury); returns the card to show."""
        if not self.history:
            return None
        action = self.history.pop()
        kind = action[0]
        if kind == "answer":
            _, done, before = action
            try:
                self.store.undo(done.review_id)
            except Conflict as e:  # (its text says why, for the user)
                raise PrepError(f"cannot undo: {e}") from None
            self.answered.remove(done)
            card = done.card
            self.states[card.id] = before
        else:
            _, card, queues, prev = action
            if kind == "suspend":
                self.store.set_suspended(card.id, False)
            else:
                self.store.set_buried(card.id, prev)
        self._requeue(card)
        return card

    def suspend(self, card: Card) -> None:
        self.store.set_suspended(card.id, True)
        self.history.append(("suspend", card, None, None))
        self._drop(card)

    def bury(self, card: Card, now: datetime) -> None:
        """Hide the card until the next study day starts."""
        prev = self.store.flags()[1].get(card.id)
        tomorrow = day_start(now, self.day_starts_at) + timedelta(days=1)
        self.store.set_buried(card.id, ms(tomorrow))
        self.history.append(("bury", card, None, prev))
        self._drop(card)

    # --- queue bookkeeping ----------------------------------------------------------------

    def _dequeue(self, card: Card) -> None:
        self.review_queue = _without(self.review_queue, card.id)
        self.new_queue = _without(self.new_queue, card.id)

    def _drop(self, card: Card) -> None:
        self._dequeue(card)
        self.learning.discard(card.id)

    def _bury_siblings(self, card: Card) -> None:
        g = self.groups.get(card.id)
        if g is not None:
            keep = lambda c: self.groups.get(c.id) != g  # noqa: E731
            self.review_queue = [c for c in self.review_queue if keep(c)]
            self.new_queue = [c for c in self.new_queue if keep(c)]

    def _requeue(self, card: Card) -> None:
        """Put an undone card back at the front of the queue it came from."""
        self._drop(card)
        s = self.state(card.id)
        if s.state in (LEARNING, RELEARNING):
            self.learning.add(card.id)
        elif s.state == REVIEW:
            self.review_queue.insert(0, card)
        else:
            self.new_queue.insert(0, card)

    # --- the end --------------------------------------------------------------------------

    def summary(self, now: datetime) -> Summary:
        again = sum(1 for a in self.answered if a.rating == AGAIN)
        nxt = self.store.scope_next_due(ms(now))  # one indexed query, not a walk of every card
        planned = self._planned_next_due(now)
        if planned is not None and (nxt is None or planned < nxt):
            nxt = planned
        return Summary(len(self.answered), again, (now - self.started).total_seconds(),
                       from_ms(nxt) if nxt is not None else None)

    def _planned_next_due(self, now: datetime) -> int | None:
        """The earliest due time after `now` that the plan sets (it only ever brings a card
        forward, so FSRS's own next due time stands when this is later): the cards answered
        in this session under their new state."""
        if self.plan is None or not self.plan.active(now):
            return None
        answered = {a.card.id for a in self.answered}
        dues = [d for cid, d in self.due_override.items() if cid not in answered]
        dues += overrides(self.plan, {c: self.states[c] for c in answered if c in self.states},
                          self.scheduler, now).values()
        return min((d for d in dues if d is not None and d > ms(now)), default=None)

    def next_due(self, now: datetime) -> datetime | None:
        return self.summary(now).next_due


def _without(queue: list[Card], card_id: str) -> list[Card]:
    """The queue less the card. The card answered is nearly always the queue's first (`next`
    shows it): taken off the front, with no pass over thousands of due cards behind it. A
    queue holds a card once (built from distinct ids; `_requeue` drops before it inserts)."""
    if queue and queue[0].id == card_id:
        del queue[0]
        return queue
    return [c for c in queue if c.id != card_id]
