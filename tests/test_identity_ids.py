"""New card ids: the same ids as one at a time, for cards alike too, in linear time.

identity.assign gives a card with no old card the id sha1(deck, path, stem, n)[:10] for the
first n whose id is free. Many cards alike (same deck, path and stem) used to try every n
again for each of them: 20,000 alike took 300 s."""

import hashlib
import subprocess
import sys

from prepcli.cards import identity, textnorm


def _one_at_a_time(fresh, taken):
    """The ids as the first free n gives them, tried from 0 for every card (the old loop)."""
    ids, out = set(taken), []
    for f in fresh:
        base = [f.deck, textnorm.path_key(f.path), textnorm.key(f.stem or f.question)]
        n = 0
        while True:
            cid = hashlib.sha1("\x1f".join(base + [str(n)]).encode()).hexdigest()[:10]
            if cid not in ids:
                break
            n += 1
        ids.add(cid)
        out.append(cid)
    return out


def test_ids_of_cards_alike_are_those_one_at_a_time_gives():
    fresh = [identity.Fresh("d", q, ["H"], q) for q in ["Why?"] * 50 + ["What?"] * 20 + ["Why?"]]
    # ids another deck holds already, among the ones the alike would take
    taken = set(_one_at_a_time(fresh[:3], set()) + _one_at_a_time(fresh[50:52], set())[1:])
    got = [cid for cid, old in identity.assign(fresh, [], taken)]
    assert got == _one_at_a_time(fresh, taken)
    assert len(set(got)) == len(got) and not set(got) & taken


def test_twenty_thousand_cards_alike_get_ids_in_linear_time():
    code = ("from prepcli.cards import identity\n"
            "f = [identity.Fresh('d', 'why does it work?', ['H'], 'why does it work?')] * 20000\n"
            "assert len({c for c, _ in identity.assign(f, [], set())}) == 20000\n")
    # (one at a time: 2 * 10^8 hashes, minutes; in turn: 20,000, well under a second)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_first_ids_hold_only_where_assign_gives_them():
    """prep import makes each card with its first id while the note is parsed (importer
    _make_cards) and keeps them when first_ids_hold says assign would give them: no old
    cards, none alike, none taken."""
    fresh = [identity.Fresh("d", q, ["H"], q) for q in ["Why?", "How?", "When?", "Why?"]]
    first = [identity.first_id(f) for f in fresh]
    plain = identity.assign(fresh, [], set())
    assert [c for c, _ in plain] == _one_at_a_time(fresh, set())
    assert first[0] == first[3] and plain[3][0] != first[3]  # alike: the second takes n = 1
    assert not identity.first_ids_hold(first, [], set())
    assert identity.first_ids_hold(first[:3], [], set())
    assert identity.assign(fresh[:3], [], set()) == [(c, None) for c in first[:3]]
    assert not identity.first_ids_hold(first[:3], [], {first[1]})
    assert identity.assign(fresh[:3], [], {first[1]})[1][0] != first[1]
    old = [identity.Old("old1", "How?", ["H"])]
    assert not identity.first_ids_hold(first[:3], old, set())
    assert identity.assign(fresh[:3], old, set())[1][0] == "old1"
    assert not identity.first_ids_hold([first[0], None, first[2]], [], set())
    many = [identity.Fresh("d", f"Question {i}: why?", ["H", "I"], "") for i in range(2000)]
    ids = [identity.first_id(f) for f in many]
    assert identity.first_ids_hold(ids, [], set())
    assert identity.assign(many, [], set()) == [(c, None) for c in ids]


def test_a_fixed_question_keeps_its_id_though_a_new_one_like_it_comes_first():
    # "… at train time" fixed to "… at training time", with a new "… at test time" added
    # above it: the new question took the old card's history (fault hunt 4, helper 91)
    old = [identity.Old("old1", "How does dropout work at train time?", ["Dropout"])]
    fresh = [identity.Fresh("d", "How does dropout work at test time?", ["Dropout"]),
             identity.Fresh("d", "How does dropout work at training time?", ["Dropout"])]
    got = identity.assign(fresh, old, set())
    assert got[1] == ("old1", old[0]) and got[0][1] is None


def test_one_question_in_two_sections_keeps_each_history_when_they_are_renamed_and_swapped():
    # `介绍一下你的项目` in two rounds of a diary, the headings given dates and the rounds put
    # in order: each card took the other's history (fault hunt 4, helper 91)
    old = [identity.Old("bytedance", "介绍一下你的项目", ["面经", "字节一面"]),
           identity.Old("tencent", "介绍一下你的项目", ["面经", "腾讯一面"])]
    fresh = [identity.Fresh("d", "介绍一下你的项目", ["面经", "腾讯一面 (3月)"]),
             identity.Fresh("d", "介绍一下你的项目", ["面经", "字节一面 (4月)"])]
    assert [cid for cid, _ in identity.assign(fresh, old, set())] == ["tencent", "bytedance"]


def _reworded(n: int, inserted: int = 0):
    """n old questions alike but for a word each, all reworded (a search and replace over the
    notes), with `inserted` new ones among them: fresh and old as assign sees them."""
    import random

    words = [f"w{i}x{i * 7919 % 10007}" for i in range(n)]
    old = [identity.Old(f"id{i}", f"Question {w}: why does it work?", ["H"])
           for i, w in enumerate(words)]
    fresh = [identity.Fresh("d", f"Question {w}: how does it work?", ["H"]) for w in words]
    rng = random.Random(1)
    for k in range(inserted):
        fresh.insert(rng.randrange(len(fresh) + 1),
                     identity.Fresh("d", f"Brand new topic zq{k}: what is it?", ["H"]))
    return fresh, old


def test_every_question_of_a_big_note_reworded_keeps_its_id_comparing_few_pairs(monkeypatch):
    # every question of a 4,000-card note reworded took 356 s and 1.5 GB (each fresh question
    # compared with each old one: 20,000 would take hours); now each with the old ones that
    # share its rarest pieces or stand at its place, and still each keeps its own id, also
    # with new questions put in among them
    seen = {"pairs": 0}

    class Counting(identity.SequenceMatcher):
        def ratio(self):
            seen["pairs"] += 1
            return super().ratio()
    monkeypatch.setattr(identity, "SequenceMatcher", Counting)
    fresh, old = _reworded(1500, inserted=100)
    got = identity.assign(fresh, old, set())
    by_id = {o.id: o.question for o in old}
    kept = [(f.question, prev) for f, (_, prev) in zip(fresh, got) if prev is not None]
    assert len(kept) == 1500
    assert all(q == p.question.replace("why", "how") for q, p in kept)
    assert all(by_id[p.id] == p.question for _, p in kept)
    assert seen["pairs"] <= 15 * len(fresh)  # (each with each: 2,400,000)


def test_a_few_reworded_questions_are_compared_with_every_old_one():
    # (under the limit, every pair is compared, as before: the closest pairs taken first)
    fresh, old = _reworded(200)
    got = identity.assign(fresh, old, set())
    assert [prev.id for _, prev in got] == [o.id for o in old]
