"""Own decks and bundled decks: the folder is a setting shown by `prep config`, the bundled
decks are copied in one command, and none are left out without a word."""

import shutil

from prepcli import paths


def test_a_cards_folder_never_hides_bundled_decks_silently(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bundled = sorted(paths.bundled("cards").glob("*.yaml"))
    (tmp_path / "cards").mkdir()
    shutil.copy(bundled[0], tmp_path / "cards")
    r = run("cards", "list")
    assert f"{len(bundled) - 1} bundled deck(s) are not in it and are left out" in r.stderr
    r = run("cards", "copy-bundled")
    assert r.exit_code == 0, r.output
    assert "1 already there, left as they were" in r.stdout
    assert sorted(p.name for p in (tmp_path / "cards").glob("*.yaml")) == [p.name for p in bundled]
    assert (tmp_path / "cards" / "notes").is_dir()  # the notes behind them come too
    r = run("cards", "list")
    assert "left out" not in r.stderr
    total = sum(1 for _ in r.stdout.splitlines()) - 1
    r2 = run("cards", "list", "--cards", paths.bundled("cards"))
    assert f"{total} card(s)." in r2.stdout


def test_the_decks_setting_chooses_the_folder_and_config_shows_it(run, tmp_path, prep_home,
                                                                   monkeypatch):
    monkeypatch.chdir(tmp_path)
    (prep_home / "config.toml").write_text('decks = "mine"\n')
    r = run("config")
    assert f"decks:       {prep_home / 'mine'} (in use)" in r.stdout
    assert "decks" in r.stdout and str(prep_home / "config.toml") in r.stdout
    r = run("cards", "list")
    assert r.exit_code == 2 and "no such deck directory" in r.output
    r = run("cards", "copy-bundled")
    assert f"into {prep_home / 'mine'}" in r.stdout
    r = run("cards", "list")
    assert r.exit_code == 0 and "left out" not in r.stderr  # chosen explicitly: no note


def test_a_bad_decks_setting_names_the_file_and_line(run, prep_home):
    (prep_home / "config.toml").write_text("fuzz = true\ndecks = 3\n")
    r = run("config")
    assert r.exit_code == 2 and "config.toml:2" in r.output and "`decks` must be a folder" in r.output


def test_copy_bundled_leaves_a_link_to_nothing_alone(run, tmp_path):
    # a dangling link was replaced by a file: files already there are left as they are
    bundled = sorted(paths.bundled("cards").glob("*.yaml"))
    dest = tmp_path / "cards"
    dest.mkdir()
    (dest / bundled[0].name).symlink_to(tmp_path / "nowhere.yaml")
    r = run("cards", "copy-bundled", dest)
    assert r.exit_code == 0, r.output
    assert "1 already there, left as they were" in r.stdout
    assert (dest / bundled[0].name).is_symlink() and not (tmp_path / "nowhere.yaml").exists()


def test_copy_bundled_gives_a_decks_setting_that_names_the_folder(run, tmp_path, prep_home,
                                                                   monkeypatch):
    # `decks = "cb"` was suggested for `copy-bundled cb`: a relative setting is read from the
    # config file's folder, so prep then looked for $PREP_HOME/cb (fault hunt 2, helper 87)
    monkeypatch.chdir(tmp_path)
    r = run("cards", "copy-bundled", "cb")
    assert r.exit_code == 0
    setting = r.stdout.split("decks = ", 1)[1].split(" in ", 1)[0]
    (prep_home / "config.toml").write_text(f"decks = {setting}\n")
    monkeypatch.chdir(prep_home)
    r = run("cards", "list")
    assert r.exit_code == 0 and f"{tmp_path / 'cb'}" in run("config").stdout
