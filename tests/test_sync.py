"""prep sync: two machines (two data directories) share one synced folder; both end with the
same reviews and the same card states, whatever the order of syncs and a write cut short."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from studykit import load, make_decks, simple_cards

from prepcli.interop import sync as syncmod
from prepcli.review.scheduler import Scheduler, Settings
from prepcli.review.session import Session
from prepcli.review.store import Store

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def answer(home: Path, cards, ids: list[str], t: datetime, rating: int = 3) -> datetime:
    with Store(home / "prep.db") as st:
        sess = Session(cards, st, Scheduler(Settings(fuzz=False)), t, new_limit=100)
        by_id = {c.id: c for c in cards}
        for cid in ids:
            t += timedelta(seconds=7)
            sess.answer(by_id[cid], rating, t, 3000)
    return t


def do_sync(home: Path, folder: Path, device: str):
    with Store(home / "prep.db") as st:
        return syncmod.sync(folder, device, st, Scheduler(Settings(fuzz=False)))


def snapshot(home: Path):
    with sqlite3.connect(home / "prep.db") as c:
        reviews = sorted(c.execute("SELECT card_id, time, rating, duration_ms FROM reviews"))
        states = sorted(c.execute("SELECT id, state, step, stability, difficulty, due, "
                                  "last_review, reps, lapses FROM cards"))
    return reviews, states


def test_two_machines_end_with_the_same_history(tmp_path):
    cards = load(make_decks(tmp_path / "decks", {"k": simple_cards(12)}))
    a, b, folder = tmp_path / "a", tmp_path / "b", tmp_path / "Sync"
    folder.mkdir()
    t = answer(a, cards, ["c1", "c2", "c3"], T0)
    do_sync(a, folder, "laptop")
    t = answer(b, cards, ["c4", "c5"], t + timedelta(hours=1))
    r = do_sync(b, folder, "desktop")
    assert (r.merged, r.written, r.devices) == (3, 2, 1)
    # the same card answered on both machines, on different days
    t = answer(a, cards, ["c1", "c6"], t + timedelta(days=1))
    t = answer(b, cards, ["c1", "c2"], t + timedelta(days=1))
    # an interrupted write on the laptop: half a line at the end of its file
    with open(folder / "prep-reviews-laptop.csv", "a", encoding="utf-8") as f:
        f.write("c9,17")
    do_sync(b, folder, "desktop")  # reads the laptop's complete lines only
    do_sync(a, folder, "laptop")  # repairs its own file, then appends
    do_sync(b, folder, "desktop")
    do_sync(a, folder, "laptop")
    sa, sb = snapshot(a), snapshot(b)
    assert sa == sb
    assert len(sa[0]) == 3 + 2 + 2 + 2
    assert "c9,17" not in (folder / "prep-reviews-laptop.csv").read_text()
    # syncing again changes nothing and writes nothing
    assert do_sync(a, folder, "laptop").written == 0
    assert snapshot(a) == sa
    for f in folder.iterdir():
        assert f.read_text().endswith("\n")


def test_sync_cli_uses_the_setting_and_says_what_it_did(run, tmp_path, prep_home):
    folder = tmp_path / "S"
    r = run("sync", folder)
    assert r.exit_code == 2 and "does not exist" in r.stderr
    folder.mkdir()
    r = run("sync")
    assert r.exit_code == 2 and "sync_dir" in r.stderr
    (prep_home / "config.toml").write_text(f'sync_dir = "{folder}"\n')
    r = run("sync")
    assert r.exit_code == 0, r.stderr
    assert "0 review(s) from 0 other machine(s)" in r.stdout
    device = (prep_home / "device-id").read_text().strip()
    assert (folder / f"prep-reviews-{device}.csv").exists()


def test_a_bad_row_from_another_machine_is_named_and_nothing_merged(run, tmp_path, prep_home):
    folder = tmp_path / "S"
    folder.mkdir()
    (folder / "prep-reviews-other.csv").write_text(
        syncmod.HEADER + "c1,1700000000000,3,100,0\nc2,yesterday,3,100,0\n")
    r = run("sync", folder)
    assert r.exit_code == 1  # (a failed check of the file's rows, as `prep reviews import`)
    assert f"{folder / 'prep-reviews-other.csv'}:3: review_time" in r.stderr
    with sqlite3.connect(prep_home / "prep.db") as c:
        assert c.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0


def mistake(exercise: str, convention: str) -> dict:
    from prepcli.drills import mistakes

    return {"id": mistakes.card_id(exercise, convention), "question": f"{exercise}: {convention}?",
            "answer": "the right way", "tags": ["mistakes", exercise], "exercise": exercise}


def test_mistake_cards_travel_with_their_reviews(run, tmp_path, monkeypatch):
    """A mistake made on the laptop becomes a card on the desktop too (its reviews sync as
    any card's would; without the card they would be orphans there). The same mistake made
    on both machines stays one card."""
    from prepcli.drills import mistakes

    a, b, folder = tmp_path / "a", tmp_path / "b", tmp_path / "Sync"
    folder.mkdir()
    assert mistakes.merge(a, [mistake("nms", ">="), mistake("iou", "+1")]) == 2
    assert mistakes.merge(b, [mistake("nms", ">=")]) == 1
    monkeypatch.setenv("PREP_HOME", str(a))
    r = run("sync", folder)
    assert r.exit_code == 0 and "mistake card" not in r.stdout
    monkeypatch.setenv("PREP_HOME", str(b))
    r = run("sync", folder)
    assert r.exit_code == 0, r.stderr
    assert "1 mistake card(s) from them added to your mistakes deck" in r.stdout
    ids = lambda home: sorted(c.id for c in load_mistakes(home))  # noqa: E731
    assert ids(b) == ids(a) and len(ids(b)) == 2
    assert run("sync", folder).stdout.count("mistake card") == 0  # nothing new the second time
    assert len(ids(b)) == 2
    # the desktop's copy is in the folder; the laptop picks up nothing new from it
    assert (folder / f"prep-mistakes-{(b / 'device-id').read_text().strip()}.yaml").exists()
    monkeypatch.setenv("PREP_HOME", str(a))
    assert "mistake card" not in run("sync", folder).stdout and len(ids(a)) == 2


def load_mistakes(home: Path):
    from prepcli.cards import deck as deckmod
    from prepcli.drills import mistakes

    deck, problems = deckmod.load(mistakes.path(home))
    assert not problems
    return deck.cards


def test_a_bad_mistakes_deck_from_another_machine_is_named_and_nothing_added(run, tmp_path,
                                                                            prep_home):
    folder = tmp_path / "S"
    folder.mkdir()
    bad = folder / "prep-mistakes-other.yaml"
    bad.write_text("deck: Mistakes\ncards:\n  - id: m1\n    question: [not, text]\n")
    r = run("sync", folder)
    assert r.exit_code == 2
    assert f"{bad}:4" in r.stderr and "nothing was added" in r.stderr
    assert not (prep_home / "mistakes").exists()


def test_study_goes_on_when_its_sync_cannot_be_done(run, tmp_path, prep_home):
    """`prep study` syncs at its start and end; a folder that is not there (a drive not
    mounted) or holds a bad file from another machine is said, and the study goes on."""
    decks = tmp_path / "decks"
    decks.mkdir()
    folder = tmp_path / "S"
    (prep_home / "config.toml").write_text(f'sync_dir = "{folder}"\n')
    r = run("study", "--cards", decks)
    assert r.exit_code == 0, r.stderr
    assert "sync skipped" in r.stderr and "does not exist" in r.stderr
    assert "Nothing to study now" in r.stdout
    folder.mkdir()
    (folder / "prep-reviews-other.csv").write_text(syncmod.HEADER + "c2,yesterday,3,100,0\n")
    r = run("study", "--cards", decks)
    assert r.exit_code == 0, r.stderr
    assert "sync: 1 file(s) of other machines not merged" in r.stderr
    assert f"{folder / 'prep-reviews-other.csv'}:2: review_time" in r.stderr
    assert "Traceback" not in r.stderr and "Nothing to study now" in r.stdout


def test_a_named_pipe_in_the_sync_folder_is_named_not_read(run, tmp_path, prep_home):
    # a FIFO named like a machine's review file blocked `prep sync`, and `prep study` with
    # `sync_dir` set never showed a card (fault hunt, helper 82)
    import os
    import threading

    folder = tmp_path / "S"
    folder.mkdir()
    os.mkfifo(folder / "prep-reviews-other.csv")
    # (were it opened for reading, a writer opened here lets the test end, and fail)
    stop = threading.Timer(10, lambda: open(folder / "prep-reviews-other.csv", "w").close())
    stop.start()
    try:
        r = run("sync", folder)
        assert r.exit_code == 1
        assert r.stderr.endswith(f"\n  {folder / 'prep-reviews-other.csv'}: a named pipe "
                                 "(FIFO), not a review file: move it out of the sync folder\n")
        (prep_home / "config.toml").write_text(f'sync_dir = "{folder}"\n')
        r = run("study", "--cards", make_decks(tmp_path / "decks", {}))
        assert r.exit_code == 0 and "sync: 1 file(s) of other machines not merged" in r.stderr \
            and "FIFO" in r.stderr
    finally:
        stop.cancel()
    f = tmp_path / "a-file"
    f.write_text("x")
    r = run("sync", f)
    assert r.exit_code == 2 and "the sync folder is a file, not a folder" in r.stderr


def test_two_machines_with_the_same_device_id_still_share_their_reviews(tmp_path):
    # a data folder copied to a new laptop: both wrote one file, each reading only the
    # others, so neither ever saw the other's reviews (fault hunt 3, helper 90)
    cards = load(make_decks(tmp_path / "decks", {"k": simple_cards(6)}))
    a, b, folder = tmp_path / "a", tmp_path / "b", tmp_path / "Sync"
    folder.mkdir()
    for home in (a, b):
        home.mkdir()
        (home / "device-id").write_text("copied12\n")
    t = answer(a, cards, ["c1", "c2"], T0)
    answer(b, cards, ["c3"], t + timedelta(hours=1))

    def sync(home):
        with Store(home / "prep.db") as st:
            return syncmod.sync(folder, syncmod.device_id(home), st,
                                Scheduler(Settings(fuzz=False)), home)
    assert sync(a).renamed is None  # (the first to write the file)
    r = sync(b)
    assert r.renamed and r.renamed != "copied12" and (b / "device-id").read_text().strip() \
        == r.renamed and r.merged == 2
    for home in (a, b, a, b):
        sync(home)
    sa, sb = snapshot(a), snapshot(b)
    assert sa == sb and len(sa[0]) == 3


def test_a_synced_review_in_the_future_or_past_2100_is_named_not_merged(run, tmp_path,
                                                                        prep_home):
    # `prep reviews import` refused a review 2 days ahead, sync merged it (and the store's
    # own export then failed to import); one in year 9999 was an internal error, and
    # `prep study` with sync_dir set could not start (fault hunt 3, helper 90)
    import time

    folder = tmp_path / "S"
    folder.mkdir()
    ahead = int(time.time() * 1000) + 2 * 86_400_000
    for when in (str(ahead), "253402300799999", "9999999999999999999", "9999-12-31T00:00:00Z"):
        (folder / "prep-reviews-other.csv").write_text(syncmod.HEADER + f"c1,{when},3,100,0\n")
        r = run("sync", folder)
        assert r.exit_code == 1, r.stderr
        assert f"{folder / 'prep-reviews-other.csv'}:2: review_time '{when}' is in the future" \
            in r.stderr, r.stderr
        (prep_home / "config.toml").write_text(f'sync_dir = "{folder}"\n')
        r = run("study", "--cards", make_decks(tmp_path / "decks", {}))
        assert r.exit_code == 0 and "sync: 1 file(s)" in r.stderr, r.stderr
        (prep_home / "config.toml").unlink()
    with sqlite3.connect(prep_home / "prep.db") as c:
        assert c.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0


def test_a_broken_mistakes_deck_stops_sync_with_its_line_not_a_traceback(run, tmp_path,
                                                                         prep_home):
    # a hand-edited mistakes deck (a YAML error, a list, a card that is a string) was an
    # internal error in sync, and in study with sync_dir set (fault hunt 3, helper 90)
    folder = tmp_path / "S"
    folder.mkdir()
    (folder / "prep-mistakes-other.yaml").write_text(
        "deck: Mistakes\ncards:\n- id: mistake-0123456789\n  question: Q?\n  answer: A\n")
    own = prep_home / "mistakes" / "mistakes.yaml"
    own.parent.mkdir(parents=True)
    for text, line, said in (("deck: M\ncards: [x\n", 3, "YAML syntax"),
                             ("- a\n- b\n", 1, "a deck is a mapping"),
                             ("deck: M\ncards:\n- just text\n", 3, "a card is a mapping")):
        own.write_text(text)
        r = run("sync", folder)
        assert r.exit_code == 2 and "Traceback" not in r.stderr, r.stderr
        assert f"{own}:{line}: your mistakes deck has a problem: {said}" in r.stderr, r.stderr
        assert own.read_text() == text


def test_a_rating_edited_by_hand_is_one_review_and_the_machines_agree(tmp_path, run):
    # a row's rating changed in the sync folder: the other machine held two reviews of one
    # card at one millisecond, and the two never agreed again (fault hunt 3, helper 90)
    cards = load(make_decks(tmp_path / "decks", {"k": simple_cards(3)}))
    a, b, folder = tmp_path / "a", tmp_path / "b", tmp_path / "Sync"
    folder.mkdir()
    answer(a, cards, ["c1"], T0, rating=3)
    do_sync(a, folder, "laptop")
    do_sync(b, folder, "desktop")
    f = folder / "prep-reviews-laptop.csv"
    f.write_text(f.read_text().replace(",3,", ",1,"))
    for home, device in [(a, "laptop"), (b, "desktop")] * 3:
        do_sync(home, folder, device)
    sa, sb = snapshot(a), snapshot(b)
    assert sa == sb and [r[2] for r in sa[0]] == [1]  # one review, the lower rating
    # (and the laptop's file holds it once: the rating before the edit was written back,
    # another row at every sync, fault hunt 42)
    assert [ln.split(",")[2] for ln in f.read_text().splitlines()[1:]] == ["1"], f.read_text()
    # a review file with one card at one instant rated twice: one review, said
    two = tmp_path / "two.csv"
    two.write_text("card_id,review_time,review_rating\nx1,1700000000000,4\nx1,1700000000000,2\n")
    r = run("reviews", "import", two)
    assert r.exit_code == 0, r.stderr
    assert "added 1 review(s)" in r.stdout and "1 answer(s) found with two ratings" in r.stdout


def test_one_machines_syncs_run_one_after_the_other(tmp_path, prep_home):
    # three `prep sync` at once each appended every review to the machine's file: each row
    # there three times (fault hunt 3, helper 90). A sync waits for the one before it.
    import fcntl
    import os
    import subprocess
    import sys
    import time

    from faultkit import env_for

    folder = tmp_path / "S"
    folder.mkdir()
    csvf = tmp_path / "r.csv"
    csvf.write_text("card_id,review_time,review_rating\n" + "".join(
        f"c{i},{1700000000000 + i * 1000},3\n" for i in range(50)))
    assert subprocess.run([sys.executable, "-m", "prepcli", "reviews", "import", str(csvf)],
                          env=env_for(prep_home), capture_output=True).returncode == 0
    prep_home.mkdir(parents=True, exist_ok=True)
    fd = os.open(prep_home / "sync.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # (as a sync running now holds it)
    try:
        procs = [subprocess.Popen([sys.executable, "-m", "prepcli", "sync", str(folder)],
                                  env=env_for(prep_home), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
        time.sleep(1.5)
        assert [p.poll() for p in procs] == [None] * 3  # waiting
        assert list(folder.iterdir()) == []
    finally:
        os.close(fd)
    for p in procs:
        assert p.wait(timeout=60) == 0, p.stderr.read()
    (mine,) = folder.glob("prep-reviews-*.csv")
    assert len(mine.read_text().splitlines()) == 1 + 50  # the header and each review once


def test_a_synced_file_saved_with_a_byte_order_mark_is_read(run, tmp_path, prep_home):
    # an editor that saves UTF-8 with a BOM: "not a prep review file (no card_id column)"
    folder = tmp_path / "S"
    folder.mkdir()
    (folder / "prep-reviews-other.csv").write_bytes(
        b"\xef\xbb\xbf" + (syncmod.HEADER + "c1,1700000000000,3,100,0\n").encode())
    r = run("sync", folder)
    assert r.exit_code == 0, r.stderr
    assert "1 review(s) from 1 other machine(s)" in r.stdout


def test_an_answer_taken_back_after_a_sync_stays_taken_back(tmp_path):
    # answered, synced (from another terminal), then undone: the next sync took the machine's
    # own file for another machine's (a new device id) and merged the answer back (fault
    # hunt 5, helper 93)
    cards = load(make_decks(tmp_path / "decks", {"k": simple_cards(3)}))
    home, folder = tmp_path / "a", tmp_path / "Sync"
    folder.mkdir()
    home.mkdir()
    answer(home, cards, ["c1", "c2"], T0)

    def sync():
        with Store(home / "prep.db") as st:
            return syncmod.sync(folder, syncmod.device_id(home), st,
                                Scheduler(Settings(fuzz=False)), home)
    sync()
    device = syncmod.device_id(home)
    with Store(home / "prep.db") as st:
        last = st.reviews()[-1]
        st.undo(last.id)
    for _ in range(2):
        r = sync()
        assert r.renamed is None and r.merged == 0
    assert syncmod.device_id(home) == device
    reviews, _ = snapshot(home)
    assert [x[0] for x in reviews] == ["c1"]


def test_an_undone_answer_given_back_by_an_import_is_written_once(tmp_path, run, prep_home):
    # undone, then imported again from an export made before: every sync wrote it into the
    # machine's file once more (fault hunt 6, helper 94)
    folder = tmp_path / "S"
    folder.mkdir()
    csvf = tmp_path / "r.csv"
    csvf.write_text("card_id,review_time,review_rating\nc1,1700000000000,3\n")
    assert run("reviews", "import", csvf).exit_code == 0
    assert run("sync", folder).exit_code == 0
    with Store(prep_home / "prep.db") as st:
        st.undo(st.reviews()[-1].id)
    assert run("reviews", "import", csvf).exit_code == 0  # (given back)
    for _ in range(3):
        assert run("sync", folder).exit_code == 0
    (mine,) = folder.glob("prep-reviews-*.csv")
    assert mine.read_text().count("c1,") == 1


def test_a_card_reset_on_one_machine_is_reset_on_the_other_and_stays_so(tmp_path):
    """`prep cards reset` on the laptop, then a review of the card on the desktop: each
    sync replayed the whole history from its first review, and the reset was undone without a
    word; and the other machine never heard of it. Now a reset travels (prep-resets-*.csv)
    and a history replayed starts again after it, on both machines."""
    from prepcli.review.scheduler import CardState, ms

    cards = load(make_decks(tmp_path / "decks", {"k": simple_cards(4)}))
    a, b, folder = tmp_path / "a", tmp_path / "b", tmp_path / "Sync"
    folder.mkdir()
    t = answer(a, cards, ["c1"], T0)
    t = answer(a, cards, ["c1"], t + timedelta(days=3))
    do_sync(a, folder, "laptop")
    do_sync(b, folder, "desktop")
    t += timedelta(days=5)
    with Store(a / "prep.db") as st:
        st.reset("c1", ms(t))
        assert st.state("c1") == CardState()
    t = answer(b, cards, ["c1"], t + timedelta(hours=1))  # (the desktop answers it after)
    do_sync(a, folder, "laptop")
    do_sync(b, folder, "desktop")
    do_sync(a, folder, "laptop")
    assert (folder / "prep-resets-laptop.csv").read_text() == f"card_id,reset_time\nc1,{ms(t - timedelta(hours=1, seconds=7))}\n"
    states = []
    for home in (a, b):
        with Store(home / "prep.db") as st:
            revs = st.reviews(card_id="c1")
            states.append(st.state("c1"))
        assert len(revs) == 3 and revs[-1].before == CardState()  # (answered as new)
        assert revs[1].before != CardState()
    assert states[0] == states[1] and states[0].reps == 1
    assert snapshot(a) == snapshot(b)


def test_a_resets_file_with_a_bad_row_is_named_at_its_line(run, tmp_path, prep_home):
    folder = tmp_path / "Sync"
    folder.mkdir()
    (folder / "prep-resets-other.csv").write_text("card_id,reset_time\nc1,yesterday\n")
    r = run("sync", folder)
    assert r.exit_code == 1 and f"{folder / 'prep-resets-other.csv'}:2: reset_time" in r.stderr


def test_a_synced_file_with_a_nul_byte_or_not_utf8_is_named_and_nothing_merged(
        run, tmp_path, prep_home):
    """A damaged copy (`c\\0` in a resets file, a byte 0xff in a review file) was read with
    replacement characters and its garbled card ids stored, exit 0 (fault hunt 11)."""
    from prepcli.review.store import Store

    folder = tmp_path / "Sync"
    folder.mkdir()
    cases = [("prep-resets-zz.csv", b"card_id,reset_time\nc1,1700000000000\nc\x00,1700000000000\n",
              3, "contains a NUL byte"),
             ("prep-reviews-zz.csv", syncmod.HEADER.encode() + b"c1,1700000000000,3,100,0\n"
              b"\xff\xfe,1700000000000,3,100,0\n", 3, "not UTF-8 text (byte 0xff)")]
    for name, data, line, said in cases:
        (folder / name).write_bytes(data)
        r = run("sync", folder)
        assert r.exit_code == 1 and f"{folder / name}:{line}: {said}" in r.stderr, r.stderr
        assert "Delete it" in r.stderr
        (folder / name).unlink()
    with Store(prep_home / "prep.db") as st:
        assert st.reviews() == [] and st.resets() == []


def test_a_synced_field_of_200000_characters_or_a_blank_line_is_no_bug(run, tmp_path, prep_home):
    """A field past the CSV module's limit in another machine's file was exit 70 (fault hunt
    9): named at its line, as `prep reviews import` names it. A blank line in a resets file
    (an editor's) is skipped, as in a review file; it stopped every sync."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    for name, header in (("prep-resets-zz.csv", "card_id,reset_time"),
                         ("prep-reviews-zz.csv", syncmod.HEADER.strip())):
        f = folder / name
        f.write_text(f"{header}\n{'x' * 200_000},1700000000000\n")
        r = run("sync", folder)
        assert r.exit_code == 1 and f"{f}:2: a field longer than 4096" in r.stderr, r.stderr
        f.unlink()
    (folder / "prep-resets-zz.csv").write_text("card_id,reset_time\nc1,1700000000000\n\n")
    assert run("sync", folder).exit_code == 0


def test_clocks_hours_apart_still_sync_and_one_bad_file_stops_no_other(run, tmp_path,
                                                                        prep_home):
    """A machine 2 h fast wrote reviews `in the future` for the others: at 10 minutes of
    leeway every sync of theirs stopped, and one 2 h slow never wrote its own file (fault
    hunt 12). A review 2 h ahead is merged; a file with a bad row is named and left out, the
    others merged and this machine's file written, exit 1."""
    import time

    from prepcli.review.store import Store

    folder = tmp_path / "S"
    folder.mkdir()
    now = int(time.time() * 1000)
    (folder / "prep-reviews-fast.csv").write_text(syncmod.HEADER + f"c1,{now + 7_200_000},3,1,0\n")
    (folder / "prep-reviews-bad.csv").write_text(syncmod.HEADER + f"c2,{now},3,1,0\nc2,soon,3,1,0\n")
    (folder / "prep-resets-slow.csv").write_text(f"card_id,reset_time\nc3,{now - 7_200_000}\n")
    with Store(prep_home / "prep.db") as st:  # an answer of this machine's own
        from prepcli.review.scheduler import CardState, Scheduler, from_ms

        st.record("c4", CardState(), Scheduler().review("c4", CardState(), 3, from_ms(now - 60_000)),
                  3, now - 60_000, 1)
    r = run("sync", folder)
    assert r.exit_code == 1, r.stderr
    assert "1 review(s) from 2 other machine(s) merged" in r.stdout and "1 of yours written" \
        in r.stdout, r.stdout
    assert f"{folder / 'prep-reviews-bad.csv'}:3: review_time 'soon'" in r.stderr
    with Store(prep_home / "prep.db") as st:
        assert sorted(x.card_id for x in st.reviews()) == ["c1", "c4"]
        assert [c for c, _ in st.resets()] == ["c3"]
    mine = [p.name for p in folder.glob("prep-reviews-*.csv")
            if p.name not in ("prep-reviews-fast.csv", "prep-reviews-bad.csv")]
    assert len(mine) == 1 and ",".join(["c4", str(now - 60_000)]) in (folder / mine[0]).read_text()
    (folder / "prep-reviews-bad.csv").unlink()  # (fixed: the next sync is clean)
    assert run("sync", folder).exit_code == 0


def test_a_utf16_synced_file_is_read_as_reviews_import_reads_it(run, tmp_path, prep_home):
    """A file saved as UTF-16 by a Windows editor was refused as `a NUL byte: a damaged
    copy?` while `prep reviews import` read it (fault hunt 12 #5); its last line, cut short
    in the middle of a character, waits for the next sync as in UTF-8."""
    from prepcli.review.store import Store

    folder = tmp_path / "S"
    folder.mkdir()
    text = syncmod.HEADER + "c1,1700000000000,3,100,0\nc2,1700000000000,3,100,0\n"
    for codec, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        data = bom + text.encode(codec)
        (folder / "prep-reviews-w.csv").write_bytes(data[:-3])  # (c2's line cut short)
        r = run("sync", folder)
        assert r.exit_code == 0, r.stderr
        with Store(prep_home / "prep.db") as st:
            assert [x.card_id for x in st.reviews()] == ["c1"]
    (folder / "prep-reviews-w.csv").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert run("sync", folder).exit_code == 0
    with Store(prep_home / "prep.db") as st:
        assert sorted(x.card_id for x in st.reviews()) == ["c1", "c2"]


def test_this_machines_file_saved_as_utf16_is_written_again_in_utf8(run, tmp_path, prep_home):
    """This machine's file opened and saved as UTF-16 by an editor, its last line cut short:
    UTF-8 rows were appended after the UTF-16 ones, read by no machine, and the file grew at
    every sync (fault hunt 13 #1)."""
    from prepcli.review.scheduler import CardState, Scheduler, from_ms
    from prepcli.review.store import Store

    folder = tmp_path / "S"
    folder.mkdir()
    with Store(prep_home / "prep.db") as st:
        for i, cid in enumerate(("c1", "c2")):
            t = 1_700_000_000_000 + i
            st.record(cid, CardState(), Scheduler().review(cid, CardState(), 3, from_ms(t)), 3, t, 1)
    assert run("sync", folder).exit_code == 0
    (mine,) = folder.glob("prep-reviews-*.csv")
    text = mine.read_text(encoding="utf-8")
    mine.write_bytes(b"\xff\xfe" + text.encode("utf-16-le")[:-5])  # (c2's line cut short)
    for _ in range(2):
        assert run("sync", folder).exit_code == 0
        assert mine.read_bytes() == text.encode("utf-8")  # (c2 written again, once)


def test_this_machines_own_damaged_file_is_set_aside_and_written_anew(run, tmp_path, prep_home):
    """This machine's own file with a NUL byte, or a bad row typed in: every sync refused it
    (exit 2, or 1), and its answers never left it (fault hunt 17). It is set aside under a
    name no machine reads, and written anew from the store."""
    from prepcli.review.scheduler import CardState, Scheduler, from_ms
    from prepcli.review.store import Store

    folder = tmp_path / "S"
    folder.mkdir()
    t = 1_700_000_000_000
    with Store(prep_home / "prep.db") as st:
        st.record("c1", CardState(), Scheduler().review("c1", CardState(), 3, from_ms(t)), 3, t, 1)
    assert run("sync", folder).exit_code == 0
    (mine,) = folder.glob("prep-reviews-*.csv")
    good = mine.read_bytes()
    for damage in (good[:-3] + b"\0" + good[-2:], good + b"zz,notatime,9\n"):
        mine.write_bytes(damage)
        r = run("sync", folder)
        assert r.exit_code == 0, r.stderr
        assert "set aside as" in r.stderr and "written anew" in r.stderr
        assert mine.read_bytes() == good
    kept = sorted(p.name for p in folder.iterdir() if ".damaged-" in p.name)
    assert len(kept) == 2 and not any(p.endswith(".csv") for p in kept)  # (read by no machine)
    assert run("sync", folder).exit_code == 0


def test_a_review_dated_ahead_in_this_stores_own_file_is_not_set_aside(tmp_path):
    # fault hunt 42: a review answered while the clock ran fast (3 days), since put right:
    # every sync held this machine's own file to the clock, set it aside as damaged and wrote
    # the same rows again, a file more each time
    home, folder = tmp_path / "a", tmp_path / "sync"
    home.mkdir()
    folder.mkdir()
    cards = load(make_decks(tmp_path / "decks", {"k": simple_cards(2)}))
    now = datetime.now(timezone.utc)
    answer(home, cards, [cards[0].id], now + timedelta(days=2))
    now_ms = int(now.timestamp() * 1000)
    for _ in range(3):
        with Store(home / "prep.db") as st:
            res = syncmod.sync(folder, "dev-a", st, Scheduler(Settings(fuzz=False)),
                               now_ms=now_ms + 86_400_000)
        assert res.notes == [], res.notes
    assert sorted(p.name for p in folder.iterdir()) == ["prep-resets-dev-a.csv",
                                                        "prep-reviews-dev-a.csv"]
    assert (folder / "prep-reviews-dev-a.csv").read_text().count(cards[0].id) == 1


def test_first_syncs_at_once_agree_on_one_device_id(tmp_path):
    # (CI) two first `prep sync` at once each wrote an id of its own and used it: the machine
    # had two files in the sync folder, every review in both
    import subprocess
    import sys
    import time

    home = tmp_path / "home"
    go = tmp_path / "go"
    # (each waits for the go, 30 s at most: none is left polling if this test fails early)
    code = ("import os, sys, time\nfrom pathlib import Path\n"
            "from prepcli.interop.sync import device_id\n"
            "end = time.monotonic() + 30\n"
            "while not os.path.exists(sys.argv[2]) and time.monotonic() < end:\n"
            "    time.sleep(0.005)\n"
            "print(device_id(Path(sys.argv[1])))\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(home), str(go)],
                              stdout=subprocess.PIPE, text=True) for _ in range(8)]
    try:
        time.sleep(1.0)  # (every one started, waiting)
        go.write_text("")
        ids = {p.communicate(timeout=60)[0].strip() for p in procs}
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert len(ids) == 1 and ids == {(home / "device-id").read_text().strip()}, ids
    assert sorted(p.name for p in home.iterdir()) == ["device-id"]  # (nothing left aside)
