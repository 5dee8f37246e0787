"""The `prep` command line: parses arguments, reads the environment and the clock, dispatches.

This is the only module that reads environment variables or the clock, and the only place
that turns a `PrepError` into a message. Heavy modules (numpy, prompt-toolkit) are imported
inside the commands that need them, so `prep --help` stays fast.
"""

from __future__ import annotations

import copy
import errno
import math
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import NoReturn, Optional

import typer
from typer.core import TyperGroup
from typer.models import TyperPath

from prepcli import __version__
from prepcli.errors import (FAILED, INTERNAL, USAGE, PrepError, Stopped, is_utf8, safe_text,
                            shown_path, stop_on_signals)


_ORDER = ("study", "drill", "mock", "grade", "plan", "stats", "import", "check", "cards",
          "exercises", "reviews", "sync", "export", "import-anki", "optimize", "config", "db")


class _Group(TyperGroup):
    """Every command runs through here: a PrepError becomes `error: ...` and an exit code."""

    def list_commands(self, ctx):
        names = super().list_commands(ctx)  # the main jobs first in --help
        return sorted(names, key=lambda n: _ORDER.index(n) if n in _ORDER else len(_ORDER))

    def invoke(self, ctx):
        restore = stop_on_signals()
        try:
            return super().invoke(ctx)
        except PrepError as e:
            # (a file's name, or a deck's words, may carry escape sequences: shown, not obeyed)
            typer.echo(f"error: {safe_text(str(e))}{_after(e)}", err=True)
            ctx.exit(e.code)
        except Stopped as e:
            typer.echo(f"error: {e}{_saved(ctx)}", err=True)
            ctx.exit(e.code)
        except KeyboardInterrupt:
            typer.echo(f"\ninterrupted{_saved(ctx)}", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `prep stats | head`: the reader has what it wanted
            _quiet_stdout()
            ctx.exit(141)
        except OSError as e:
            # A path the system refuses (too long, a loop, a file where a folder should be,
            # no permission, a read-only or full disk) is the environment's fault, not prep's:
            # named, with the system's reason. Other OSErrors (a missing file prep expected)
            # stay bugs, below.
            if e.filename and e.errno in _ENVIRONMENT_ERRNOS:
                typer.echo(f"error: {safe_text(shown_path(os.fsdecode(e.filename)))}: "
                           f"{e.strerror}", err=True)
                ctx.exit(USAGE)
            if e.errno in _FULL and not e.filename:
                # output to a full disk (`prep stats > /dev/full`: a write to stdout names no
                # file); what prep saves itself is written, and named, elsewhere
                _quiet_stdout()
                try:
                    typer.echo(f"error: cannot write the output: {e.strerror} (free some "
                               "space, or send it elsewhere)", err=True)
                except OSError:
                    pass  # (stderr full too: the exit code says it)
                ctx.exit(USAGE)
            if e.errno == errno.EIO and not e.filename:
                # the terminal is gone (closed: SIGHUP, then writing to it fails), and with it
                # anyone to tell; everything answered is saved. As a hang-up ends prep.
                ctx.exit(129)
            self._bug(ctx, e)
        except Exception as e:  # a bug: one line for the user, the traceback in a log file
            if type(e).__module__.split(".")[0] in ("typer", "click"):
                raise  # exits, usage errors: the command line's own way of stopping
            self._bug(ctx, e)
        finally:
            restore()

    @staticmethod
    def _bug(ctx, e: Exception) -> NoReturn:
        log = _crash_log(e)
        typer.echo(f"prep: internal error ({type(e).__name__}: {e}). This is a bug in "
                   f"prep, not in your input; please report it with {log}", err=True)
        ctx.exit(INTERNAL)

    def get_command(self, ctx, name):
        # No path argument or option may be empty (`prep sync ""`: an unset shell variable);
        # the path type turns "" into "." (the current folder), so it is refused before that.
        cmd = super().get_command(ctx, name)
        for param in getattr(cmd, "params", ()):
            if type(param.type) is TyperPath:
                param.type = copy.copy(param.type)
                param.type.__class__ = _GivenPath
        return cmd


class _GivenPath(TyperPath):
    """A path parameter that refuses an empty string and `-` (see _Group.get_command)."""

    def convert(self, value, param, ctx):
        if isinstance(value, (str, bytes)) and not value:
            self.fail("an empty path: name a file or folder (is a shell variable unset?)",
                      param, ctx)
        if value in ("-", b"-"):  # (`prep export anki -` wrote a file named `-`)
            self.fail("`-` (standard input or output) is not read or written here: name a "
                      "file (./- for one named `-`)", param, ctx)
        return super().convert(value, param, ctx)


def _saved(ctx) -> str:
    """What a stop keeps, said where the command takes answers (elsewhere there is none)."""
    answering = ctx.invoked_subcommand in ("study", "mock", "drill")
    if answering:
        return " (everything answered so far is saved)"
    if ctx.invoked_subcommand in ("sync", "import-anki") or (
            ctx.info_name == "reviews" and ctx.invoked_subcommand == "import"):
        # (reviews are merged a batch of cards at a time, each batch committed: part of the
        # file may be in; it said nothing of it, fault hunt 43)
        return (" (the reviews merged before the stop are saved; run it again to finish: "
                "nothing is added twice)")
    return ""


def _after(e: PrepError) -> str:
    """What prep did about the error, if anything: a damaged deck index (where the commands
    that read it through prepcli/review/index.py rebuild it themselves, a command that reads
    it otherwise, `prep stats`, found it damaged) is deleted, and built again next time."""
    from prepcli.review.store import IndexDamaged, discard_index

    if not isinstance(e, IndexDamaged) or not e.file:
        return ""
    try:
        discard_index(Path(e.file))
    except PrepError:  # (it says why, and to delete it by hand)
        return "; it cannot be deleted: delete it yourself"
    return ": it is deleted now; run the command again"


def _quiet_stdout() -> None:
    """Stdout to /dev/null: what is left in its buffer raises no second error when Python
    flushes it at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_ENVIRONMENT_ERRNOS = {errno.ENAMETOOLONG, errno.ELOOP, errno.ENOTDIR, errno.EISDIR,
                       errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT,
                       errno.EFBIG, errno.EMLINK, errno.EIO, errno.ENXIO, errno.ENODEV}


_HELP = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    cls=_Group,
    context_settings=_HELP,
    help="Interview prep for ML/CV engineers: flashcards from your notes (FSRS reviews) and "
         "hand-written kernels graded against NumPy references.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"prep {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    pass


def _console(err: bool = False):
    from rich.console import Console

    # (no emoji codes: a note's `file:100: …` printed as `file💯 …`, fault hunt 42)
    return Console(stderr=err, highlight=False, emoji=False)


@app.command("import")
def import_(
    notes: list[Path] = typer.Argument(..., help="Markdown notes (.md or .txt; UTF-8 or GB18030)."),
    out: Path = typer.Option(Path("cards"), "--out", "-o", help="Directory of deck files."),
    deck: Optional[str] = typer.Option(None, "--deck", "-d",
                                       help="Put every note into one deck with this name "
                                            "(default: one deck per note, named after the file)."),
    json_out: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Turn Markdown notes into YAML decks, keeping the ids of cards already there."""
    from prepcli.cards.importer import import_notes
    from prepcli.screens import report

    try:
        rep = import_notes(notes, out, deck, _indexed_decks(out))
    except OSError as e:  # the deck folder cannot be created or written
        raise PrepError(f"cannot write the decks: {e.strerror} (choose another folder with "
                        "--out, or a shorter deck name with --deck); no deck was changed",
                        file=e.filename or str(out)) from None
    _index_written(rep)
    if json_out:
        import json

        typer.echo(json.dumps(report.import_json(rep), ensure_ascii=False, indent=2))
        return
    report.import_summary(_console(), rep)


def _indexed_decks(out: Path):
    """deck.load for the importer, from the deck index (brought up to date first): a deck
    that prep import wrote and indexed is not parsed again to be updated (1.4 s of
    re-importing 20,000 cards). A deck with any problem is read by deck.load itself (the
    index, checking exercise ids, may have left out a card the importer keeps). None where
    the index cannot be used."""
    from prepcli.cards import deck as deckmod
    from prepcli.catalog import EXERCISES
    from prepcli.review import index
    from prepcli.review.store import StoreError

    if not out.is_dir():
        return None
    try:
        with _store(backup=False) as store:
            decks, problems = index.load_dir(store, out, set(EXERCISES))
    except (StoreError, PrepError, OSError):
        return None
    troubled = {p.file for p in problems}
    indexed = {str(d.path): d for d in decks if str(d.path) not in troubled}

    def load(path: Path):
        d = indexed.get(str(path))
        return (d, []) if d is not None else deckmod.load(path)
    return load


def _index_written(rep) -> None:
    """Index the deck files just written, so that the next `prep study` finds them indexed
    (a deck indexed before has only its changed card entries parsed). A store that cannot be
    written is no reason to fail an import: the next command indexes them then."""
    from prepcli.catalog import EXERCISES
    from prepcli.review import index
    from prepcli.review.store import StoreError

    written = [d for d in rep.decks if d.written]
    if not written:
        return
    try:
        with _store(backup=False) as store:
            for d in written:
                index.update(store, d.file, set(EXERCISES), d.deck)
    except StoreError:
        pass


@app.command()
def check(
    directory: Optional[Path] = typer.Argument(
        None, help="Directory of deck files (default: ./cards, else the bundled decks)."),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    reindex: bool = typer.Option(False, "--reindex", help="Rebuild the deck index "
                                 "(prep.index.db, beside the review database) from the YAML "
                                 "decks."),
) -> None:
    """Validate decks (and your mistakes deck): YAML syntax, schema, empty answers, ids
    repeated across decks."""
    from prepcli.cards import deck as deckmod
    from prepcli.catalog import EXERCISES

    directory = directory or _decks_dir()
    if reindex:
        from prepcli.review import index

        with _store() as store:
            store.index_clear()  # the next command re-indexes the other folders
            index.load_dir(store, directory, set(EXERCISES), full=False)
        if not json_out:
            typer.echo("deck index rebuilt")
    decks, problems = deckmod.check(directory, set(EXERCISES))
    from prepcli.drills import mistakes

    extra = mistakes.path(_home())  # `prep study` reads your mistakes deck too
    if extra.exists() and not any(d.path.resolve() == extra.resolve() for d in decks):
        mdeck, mproblems = deckmod.load(extra, set(EXERCISES))
        if mdeck is not None:
            mproblems += deckmod.drop_repeated(decks + [mdeck])  # ids shared with a deck
            decks.append(mdeck)
        problems += mproblems
    n = sum(len(d.cards) for d in decks)
    if json_out:
        import json

        typer.echo(json.dumps({
            "schema": 1, "directory": str(directory), "ok": not problems,
            "decks": [{"file": str(d.path), "deck": d.name, "cards": len(d.cards)}
                      for d in decks],
            "problems": [{"file": p.file, "line": p.line, "message": p.message}
                         for p in problems]}, ensure_ascii=False, indent=2))
        raise typer.Exit(FAILED if problems else 0)
    for p in problems:
        typer.echo(str(p), err=True)
    if problems:
        files = {p.file for p in problems}
        places = ([str(directory)] if files - {str(extra)} else []) + (
            [f"your mistakes deck {extra}"] if str(extra) in files else [])
        raise PrepError(f"{len(problems)} problem(s) in {' and '.join(places)}; {n} cards in "
                        f"{len(decks)} deck(s) still load", code=FAILED)
    typer.echo(f"ok: {len(decks)} decks, {n} cards, no problems")


# --- the environment (read here only) -----------------------------------------------------

def _home() -> Path:
    """The data directory: $PREP_HOME, else the platform's user data directory."""
    env = _prep_home_env()
    if env is None:
        import platformdirs

        env = Path(platformdirs.user_data_dir("prep", appauthor=False))
    if not is_utf8(env):  # (SQLite takes no such name: the deck index is attached by it)
        raise PrepError("the data folder's path is not UTF-8 text: rename the folder, or set "
                        "PREP_HOME to one whose path is", file=str(env))
    return env


def _prep_home_env() -> Path | None:
    env = os.environ.get("PREP_HOME")
    if not env:
        return None
    try:
        return Path(env).expanduser()
    except RuntimeError:  # ~name of no user here, or no $HOME to take ~ from
        raise PrepError(f"PREP_HOME={env}: {env.split('/', 1)[0]} names no home folder here "
                        "(no such user, or $HOME unset): write the folder out in full") from None


def _config_file() -> Path:
    env = _prep_home_env()
    if env:
        return env / "config.toml"
    import platformdirs

    return Path(platformdirs.user_config_dir("prep", appauthor=False)) / "config.toml"


def _crash_log(exc: BaseException) -> Path:
    """Write the traceback of an unexpected error where the user can find and attach it: the
    data directory's logs/, else the system's temporary folder."""
    import tempfile
    import traceback

    text = (f"prep {__version__}, python {sys.version.split()[0]}, {sys.platform}\n"
            f"argv: {sys.argv}\n\n" + "".join(traceback.format_exception(exc)))
    name = f"crash-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    home = _home_or_none()
    # (in the temporary folder, a file of its own: not a `logs` folder made there for others)
    for path in ([home / "logs" / name] if home else []) + [
            Path(tempfile.gettempdir()) / f"prep-{name}"]:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return Path("(no log: nowhere writable)")


def _cache_dir() -> Path:
    """What can be measured again (the reference's timings): the platform's cache directory
    (safe to delete), or $PREP_HOME/cache."""
    env = _prep_home_env()
    if env:
        return env / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("prep", appauthor=False))


def _home_or_none() -> Path | None:
    try:
        return _home()
    except Exception:
        return None


class _Progress:
    """`what: done of total cards` on one line of a terminal's stderr, from a second after the
    first report on (short work says nothing), rewritten in place and cleared at the end; on
    anything but a terminal, nothing (the summary says it all)."""

    def __init__(self, what: str, after_s: float = 1.0):
        self.what, self.after_s = what, after_s
        self.started: float | None = None
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if self.started is None:
            self.started = now
        if not _is_terminal(sys.stderr):
            return
        if done >= total:
            if self.shown:
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
            self.started, self.shown = None, False
            return
        if now - self.started >= self.after_s:
            sys.stderr.write(f"\r{self.what}: {done:,} of {total:,} cards…")
            sys.stderr.flush()
            self.shown = True


def _store(backup: bool = True, new_ok: bool = False):
    """Open the review store: says so on stderr while another prep holds the lock, and
    keeps a daily backup (before the day's first change, the database as it was) unless
    `backup` is False (reading the deck index only). A missing or empty database is not
    started anew while backups of a history are there, unless `new_ok`."""
    from prepcli.review.store import Store, StoreError, lost_history

    told = []

    def waiting(seconds: float) -> None:
        if not told:
            told.append(True)
            typer.echo("waiting for another prep process to finish writing…", err=True)

    home = _home()
    why = None if new_ok else lost_history(home / "prep.db", home / "backups")
    if why:
        raise StoreError(why, file=str(home / "prep.db"))
    store = Store(home / "prep.db", on_wait=waiting, on_progress=_Progress("merging histories"))
    try:
        if backup:
            store.backup_if_due(f"{_now():%Y-%m-%d}", home / "backups")
    except BaseException:
        store.close()
        raise
    return store


def _now() -> datetime:
    return datetime.now().astimezone()


def _color() -> bool:
    return not os.environ.get("NO_COLOR")


def _load_decks(cards: Optional[Path], full: bool = True):
    """The decks in use and the mistakes deck, through the deck index (prepcli/review/index.py):
    only deck files changed since the last command are parsed."""
    from prepcli.review import index
    from prepcli.catalog import EXERCISES

    directory = cards or _decks_dir()
    with _store(backup=False) as store:
        decks, problems = index.load_dir(store, directory, set(EXERCISES), full=full)
        _warn_problems(problems, directory)
        file = _mistakes_beside(directory)
        if file is not None:
            deck, problems = index.load_file(store, file, set(EXERCISES), full=full)
            _warn_problems(problems, file, "prep check")
            decks += [deck] if deck is not None else []
    return directory, decks


def _mistakes_beside(directory: Path) -> Path | None:
    """Your mistakes deck, read with the decks of `directory`: None where there is none, or
    where it is one of that folder's decks already (`--cards` naming its folder: each of its
    cards was shown twice, exported as two notes of one GUID)."""
    from prepcli.drills import mistakes

    if not mistakes.exists(_home()):
        return None
    file = mistakes.path(_home())
    try:
        if file.resolve().parent == directory.resolve():
            return None
    except (OSError, RuntimeError):
        pass
    return file


def _deck_files(cards: Optional[Path]) -> list[str]:
    """The deck files in use and the mistakes deck, as indexed (the index brought up to date
    first, as _load_decks does), in the order _load_decks gives their decks."""
    from prepcli.review import index
    from prepcli.catalog import EXERCISES

    directory = cards or _decks_dir()
    files = []
    with _store(backup=False) as store:
        scope, problems = index.scope(store, [directory], [], set(EXERCISES))
        _warn_problems(problems, directory)
        files += scope.files
        file = _mistakes_beside(directory)
        if file is not None:
            scope, problems = index.scope(store, [], [file], set(EXERCISES))
            _warn_problems(problems, file, "prep check")
            files += scope.files
    return files


def _warn_problems(problems: list, directory: Path, details: str | None = None) -> None:
    if problems:
        typer.echo(f"warning: {len(problems)} problem(s) in {directory}; those cards are left "
                   f"out (details: {details or f'prep check {directory}'})", err=True)


def _note_mistake(rep, quiet: bool = False) -> None:
    """A wrong convention the grader named becomes a card in the mistakes deck (`quiet`:
    nothing printed, under the drill's full screen)."""
    from prepcli.drills import mistakes
    from prepcli.catalog import EXERCISES

    ex = EXERCISES.get(rep.exercise)
    if ex is not None and mistakes.add(_home(), rep, ex.title) and not quiet:
        typer.echo(f"Added a card to your mistakes deck: {rep.first_failure.variant}",
                   err=True)


def _scheduler(cfg, store):
    """The scheduler in force: the config's settings, with fitted parameters if saved."""
    from prepcli.review.scheduler import Scheduler

    fitted = store.latest_parameters()
    if fitted:
        cfg.parameters = tuple(fitted["parameters"])
    return Scheduler(cfg.scheduler_settings())


def _sync_setting(cfg: dict) -> Path | None:
    """The `sync_dir` setting's folder, a relative one taken from the settings file's folder
    as `decks` is (it was taken from wherever prep was run: another folder each time)."""
    if not cfg["sync_dir"]:
        return None
    return _config_file().parent / Path(cfg["sync_dir"]).expanduser()


def _decks_dir(quiet: bool = False) -> Path:
    """The deck folder when none is named (paths.default_cards). When ./cards is used only
    because it exists, bundled decks it lacks are left out: say so (on stderr) rather than
    hide them; setting `decks` in config.toml is the explicit choice that silences this."""
    from prepcli import config as configmod
    from prepcli.paths import bundled_left_out, default_cards

    file = _config_file()
    setting = configmod.load(file)["decks"]
    # a relative folder is taken from the settings file's folder, wherever prep is run
    directory = default_cards(Path.cwd(), file.parent / Path(setting).expanduser()
                              if setting else None)
    if setting and directory.exists() and not directory.is_dir():
        # (it was "no such deck directory", naming neither the settings file nor its line)
        raise PrepError(f"`decks` = {setting!r}: {directory} is not a folder (name the folder "
                        "that holds your deck files)", file=str(file),
                        line=configmod.line_of(file, "decks"))
    if not setting and not quiet:
        left = bundled_left_out(directory)
        if left:
            typer.echo(f"note: using the decks in {directory}; {len(left)} bundled deck(s) "
                       "are not in it and are left out (prep cards copy-bundled copies them "
                       "in; `decks` in config.toml sets the folder)", err=True)
    return directory


def _when(t: datetime, now: datetime, short: bool = False) -> str:
    """`2026-12-05 17:27 (in 6 min)`; `short`: `12-05 17:27, in 6 min` (a table's column)."""
    delta = t - now
    secs = delta.total_seconds()
    if secs < 3600:
        rel = f"in {max(1, round(secs / 60))} min"
    elif secs < 86400:
        rel = f"in {secs / 3600:.0f} h"
    else:
        rel = f"in {secs / 86400:.0f} days"
    if short:
        return f"{t.astimezone(now.tzinfo):%m-%d %H:%M}, {rel}"
    return f"{t.astimezone(now.tzinfo):%Y-%m-%d %H:%M} ({rel})"


# --- shell completion (prep --install-completion) --------------------------------------------

def _completion_decks(ctx) -> list:
    """The decks a command would use (its --cards if given): quietly, none on any error, since
    a completion must never print or fail."""
    from prepcli.review import index
    from prepcli.catalog import EXERCISES
    from prepcli.review.store import Store, lost_history

    try:
        cards = (ctx.params or {}).get("cards") if ctx is not None else None
        directory = Path(cards) if cards else _decks_dir(quiet=True)
        if lost_history(_home() / "prep.db", _home() / "backups"):
            return []  # (a completion must not start a new database in its place)
        with Store(_home() / "prep.db") as store:
            return index.load_dir(store, directory, set(EXERCISES))[0]
    except Exception:
        return []


def _matching(pairs, incomplete: str) -> list[tuple[str, str]]:
    """(value, help) pairs whose value starts with what was typed (any case), once each."""
    low = incomplete.casefold()
    return list({v: h for v, h in pairs if v.casefold().startswith(low)}.items())


def complete_exercise(incomplete: str) -> list[tuple[str, str]]:
    from prepcli.catalog import EXERCISES

    return _matching(((k, e.title) for k, e in EXERCISES.items()), incomplete)


def complete_deck(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _matching(((d.slug, f"{d.name}, {len(d.cards)} cards")
                      for d in _completion_decks(ctx)), incomplete)


def complete_tag(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from collections import Counter

    counts = Counter(t for d in _completion_decks(ctx) for c in d.cards for t in c.tags)
    return _matching(((t, f"{n} cards") for t, n in sorted(counts.items())), incomplete)


# --- review ---------------------------------------------------------------------------------

@app.command()
def study(
    deck: Optional[str] = typer.Option(None, "--deck", "-d", help="Only this deck (file name or display name).",
                                       autocompletion=complete_deck),
    tag: Optional[str] = typer.Option(None, "--tag", "-t", help="Only cards with this tag.",
                                      autocompletion=complete_tag),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="Stop after N answers."),
    # (at most a million, more taken as that: 2**63 overflowed SQLite's integers, exit 70)
    new: Optional[int] = typer.Option(None, "--new", min=0, max=1_000_000, clamp=True,
                                      help="New cards for this session (default: what is left "
                                           "of the daily limit)."),
    ahead: int = typer.Option(0, "--ahead", min=0, max=3650,
                              help="Also review cards due in the next N days (at most 3650)."),
    prompts: bool = typer.Option(False, "--prompts", help="Include prompt cards (questions "
                                                         "the notes do not answer yet)."),
    cards: Optional[Path] = typer.Option(None, "--cards", help="Deck directory (default: "
                                                               "./cards, else the bundled decks)."),
    type_answer: bool = typer.Option(False, "--type", help="Type each answer before it is "
                                     "shown; it is then compared with the card's answer."),
) -> None:
    """Review the cards that are due, in an interactive terminal session."""
    from prepcli import config as configmod
    from prepcli.review import index
    from prepcli.catalog import EXERCISES
    from prepcli.review.session import Session

    directory = cards or _decks_dir()
    cfg = configmod.load(_config_file())
    sync_dir = _sync_setting(cfg)
    if sync_dir is not None:
        _sync_or_warn(sync_dir, cfg)  # the other machines' reviews first
    now = _now()
    # (closing says what was saved of a database deleted while the session ran: Store.close)
    with _store() as store:
        # the session asks the deck index for its cards: no deck is read whole
        mistakes_file = _mistakes_beside(directory)
        scope, problems = index.scope(store, [directory], [mistakes_file] if mistakes_file
                                      else [], set(EXERCISES), deck, tag, prompts)
        _warn_problems(problems, directory)
        session = Session(scope, store, _scheduler(cfg, store), now,
                          new_limit=cfg["new_per_day"], day_starts_at=cfg["day_starts_at"],
                          learn_ahead_minutes=cfg["learn_ahead_minutes"], limit=limit,
                          new_override=new, ahead_days=ahead, plan=_plan())
        if session.next(now) is None:
            nxt = session.next_due(now)
            typer.echo("Nothing to study now." + (f" The next card is due {_when(nxt, now)}."
                                                  if nxt else ""))
            # (the days that reach the next card: `--ahead 1` was said after `--ahead 10`)
            need = 1 if nxt is None else max(1, math.ceil(
                (nxt - session.day_end) / timedelta(days=1)))
            typer.echo((f"To study ahead: prep study --ahead {need}   " if need > ahead else "")
                       + "To add new cards: prep study --new 10")
            return
        _need_terminal("prep study")
        import shlex

        from prepcli.screens import ui

        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        summary = ui.run(session, _now, color=_color(),
                         editor_cmd=shlex.split(editor) if editor else None, typed=type_answer)
        _print_summary(summary, _now())
        if sync_dir is not None and summary.reviewed:
            _sync_or_warn(sync_dir, cfg)  # and this session's answers out


def _print_summary(summary, now: datetime) -> None:
    mins, secs = divmod(int(summary.seconds), 60)
    line = (f"Reviewed {summary.reviewed} card(s), again {summary.again_rate:.0%}, "
            f"{mins}m {secs:02d}s.")
    if summary.next_due:
        line += f" Next card due {_when(summary.next_due, now)}."
    typer.echo(line)


@app.command()
def config(
    json_out: bool = typer.Option(False, "--json", help="Print the settings as JSON."),
) -> None:
    """Show the settings in force and where each comes from."""
    from prepcli import config as configmod
    from prepcli.review.scheduler import DEFAULT_PARAMETERS

    cfg = configmod.load(_config_file())
    with _store() as store:
        fitted = store.latest_parameters()
    if json_out:
        import json

        typer.echo(json.dumps({
            "schema": 1, "file": str(cfg.file), "file_exists": cfg.file.exists(),
            "data": str(_home() / "prep.db"),
            "settings": {k: {"value": v, "source": cfg.sources[k]} for k, v in cfg.values.items()},
            "parameters": {"fitted": fitted, "in_force": list(
                fitted["parameters"] if fitted else DEFAULT_PARAMETERS)}},
            ensure_ascii=False, indent=2))
        return
    typer.echo(f"config file: {cfg.file}" + ("" if cfg.file.exists() else " (not present)"))
    typer.echo(f"data:        {_home() / 'prep.db'}")
    typer.echo(f"decks:       {_decks_dir(quiet=True)} (in use)")
    width = max(map(len, cfg.values))
    for key, value in cfg.values.items():
        typer.echo(f"{key:<{width}}  {value!s:<12}  ({cfg.sources[key]})")
    if fitted:
        from prepcli.review.scheduler import from_ms

        when = from_ms(fitted["fitted_at"]).astimezone(_now().tzinfo)
        which = (f"fitted {when:%Y-%m-%d %H:%M} by prep optimize (log loss on the later "
                 f"{fitted['test']} items {fitted['log_loss_before']:.4f} -> "
                 f"{fitted['log_loss_after']:.4f})")
        params = fitted["parameters"]
    else:
        which, params = "FSRS-6 defaults", DEFAULT_PARAMETERS
    typer.echo(f"{'parameters':<{width}}  {which}:")
    typer.echo("  " + ", ".join(f"{p:.4g}" for p in params))


@app.command()
def stats(
    deck: Optional[str] = typer.Option(None, "--deck", "-d", help="Only this deck.",
                                       autocompletion=complete_deck),
    json_out: bool = typer.Option(False, "--json", help="Print the figures as one JSON document."),
    prompts: bool = typer.Option(False, "--prompts", help="List the prompt cards (questions "
                                                          "the notes do not answer yet)."),
    cards: Optional[Path] = typer.Option(None, "--cards", help="Deck directory."),
) -> None:
    """Progress at a glance: today, streak, retention, forecast, decks, exercises, leeches."""
    import gc

    # what is loaded so far (the CLI, its modules) lives until the process exits: exempt
    # from the collections to come, the one at exit included (3 % of the command's time)
    gc.freeze()
    from prepcli import config as configmod
    from prepcli.progress import stats as statsmod

    if prompts:  # the prompt list shows each one's source: read from the decks
        _, decks = _load_decks(cards, full=True)
        chosen = [d for d in decks if not deck or deck.casefold() in (d.slug.casefold(),
                                                                      d.name.casefold())]
        for slug, where, question in statsmod.prompts(chosen):
            typer.echo(safe_text(f"{slug}\t{where}\t{question}"))
        return
    cfg = configmod.load(_config_file())

    def figures() -> dict:
        files = _deck_files(cards)  # the figures are asked of the deck index: no deck is read
        with _store() as store:
            data = statsmod.compute(store, _scheduler(cfg, store), _now(), files,
                                    day_starts_at=cfg["day_starts_at"],
                                    new_per_day=cfg["new_per_day"], deck=deck, plan=_plan())
            from prepcli.drills import mistakes

            made = store.stats_ids([f for f in files if Path(f).stem == mistakes.SLUG])
            # the states of those cards only (every card's state is 100,000 objects at 100k)
            data["mistakes"] = mistakes.counts(made, {i: store.state(i) for i in made})
        return data

    from prepcli.review.store import IndexDamaged, discard_index

    try:
        data = figures()
    except IndexDamaged as e:  # (read only: asked again of an index built again)
        discard_index(Path(e.file))
        data = figures()
    if json_out:
        import json

        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from prepcli.screens import report

        report.stats_screen(_console(), data)
        if data["mistakes"]["made"]:
            typer.echo(f"Mistakes: {data['mistakes']['made']} made, "
                       f"{data['mistakes']['mastered']} since mastered.")


# --- exercises ------------------------------------------------------------------------------

@app.command()
def grade(
    file: Path = typer.Argument(..., help="Your exercise file, e.g. exercises/conv.py."),
    json_out: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    seed: Optional[int] = typer.Option(None, "--seed",
                                       help="Replay only the cases with this seed (printed "
                                            "with a failure); not recorded as a grade."),
) -> None:
    """Grade your exercise file against the reference kernels (run in a sandbox)."""
    _need_linux()
    from prepcli.drills import grader, sandbox
    from prepcli.screens import report as reportmod

    exercise = grader.identify(file)
    console = _console()
    limits = _sandbox_limits()
    with sandbox.stopped_with_prep():  # (Ctrl-Z stops the grade's processes with prep)
        rep, shown = _graded(file, limits, exercise, seed, json_out, console)
    if seed is None:  # a replay of some cases is not a grade of the exercise
        _record_grade(rep)
    if json_out:
        import json

        typer.echo(json.dumps(rep.to_dict(), ensure_ascii=False, indent=2))
    elif shown:
        reportmod.timing_line(console, rep)
    else:
        reportmod.grade_report(console, rep)
    raise typer.Exit(rep.exit_code)


def _graded(file: Path, limits, exercise: str, seed: int | None, json_out: bool, console):
    """`prep grade`'s grade of the file, its progress shown unless `json_out`; and whether
    its report was shown already (all but the reference's timing)."""
    from prepcli.drills import grader, sandbox
    from prepcli.screens import report as reportmod

    if json_out:
        rep = grader.grade(file, limits, exercise=exercise, cache_dir=_cache_dir(), seed=seed)
    else:
        from rich.markup import escape

        total = len(grader.replayed(exercise, seed))
        console.print(f"Grading {escape(safe_text(str(file)))} ({exercise}): {total} cases "
                      "in a sandbox: "
                      f"{sandbox.LEVEL_TEXT[sandbox.choose(limits)]}")
        shown = []
        with console.status("starting…") as status:
            def progress(i, event):
                if event == "start":
                    status.update(f"case {i + 1}/{total} running…")

            def verdict(rep):  # the reference's time is measured next: show the rest first
                reportmod.grade_report(console, rep)
                shown.append(rep)
                status.update("timing the reference on this machine (once: it is kept)…")
            rep = grader.grade(file, limits, progress=progress, exercise=exercise,
                              cache_dir=_cache_dir(), seed=seed, on_verdict=verdict)
        return rep, bool(shown)
    return rep, False


def _need_terminal(command: str, then: str = "") -> None:
    """A usage error unless stdin and stdout are both a terminal that can show a full screen
    (`command`'s screen; `then`: what else to say). (A dumb terminal, Emacs's shell: the
    screen's escapes were shown as text, fault hunt 19.)"""
    not_one = [name for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout))
               if not _is_terminal(stream)]
    if not_one:
        raise PrepError(f"{command} is interactive: run it in a terminal ("
                        f"{' and '.join(not_one)} {'is' if len(not_one) == 1 else 'are'} not a "
                        f"terminal here{then})")
    if os.environ.get("TERM", "").strip().lower() == "dumb":
        raise PrepError(f"{command} draws a full screen, which this terminal cannot show "
                        f"(TERM=dumb): run it in a terminal emulator, or set TERM, e.g. "
                        f"TERM=xterm-256color{then}")


def _is_terminal(stream) -> bool:
    # (a closed stdin, `prep study <&-`, is None to Python; a stream closed since, an error)
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False


def _need_linux() -> None:
    """Grading's sandbox uses Linux's process controls (prctl, seccomp, namespaces): say so
    elsewhere, before anything imports it (it does not even import on Windows)."""
    if not sys.platform.startswith("linux"):
        raise PrepError(f"grading runs on Linux only (this is {sys.platform}): the sandbox "
                        "needs Linux's process controls; on Windows, run prep in WSL")


def _sandbox_limits():
    """The grader's limits; PREP_SANDBOX=bwrap|unshare|rlimits forces an isolation level."""
    _need_linux()
    from prepcli.drills import sandbox

    level = os.environ.get("PREP_SANDBOX", "")
    if level and level not in sandbox.LEVELS:
        raise PrepError(f"PREP_SANDBOX={level!r}: use one of {', '.join(sandbox.LEVELS)}, "
                        "or unset it for the strongest available")
    if level and not sandbox.available(level):
        raise PrepError(f"PREP_SANDBOX={level}: that isolation does not work on this machine; "
                        "unset it for the strongest available")
    return sandbox.Limits(level=level)


def _record_grade(rep) -> None:
    from prepcli import config as configmod
    from prepcli.drills import attempts as drills

    cfg = configmod.load(_config_file())
    with _store() as store:
        drills.record(store, _scheduler(cfg, store), rep, _now(), cfg["day_starts_at"])
    _note_mistake(rep)


@app.command()
def exercises(
    json_out: bool = typer.Option(False, "--json", help="Print the list as JSON."),
) -> None:
    """List the exercises, their parts, your results and when each is due."""
    from rich.table import Table

    from prepcli import config as configmod
    from prepcli.drills import attempts as drills
    from prepcli.review.scheduler import from_ms

    cfg = configmod.load(_config_file())
    now = _now()
    with _store() as store:
        scheduler = _scheduler(cfg, store)
        rows = drills.statuses(store, scheduler, now, _due_of(scheduler))  # as prep drill picks
    if json_out:
        import json

        from prepcli.screens import report

        typer.echo(json.dumps(report.exercises_json(rows, now), ensure_ascii=False, indent=2))
        return
    console = _console()
    # the part names only where they fit on one line each: at 80 columns they wrapped every
    # row into five; `best` already says how many parts there are
    wide = console.width >= 150
    # (and below 72 columns no titles, below 56 no tries: the id names the exercise, and the
    # rest was cut off, `next due` first)
    shown = {"parts": wide, "exercise": console.width >= 72, "tries": console.width >= 56}
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for col in ("id", "exercise", "parts", "tries", "last grade", "best", "next due"):
        if not shown.get(col, True):
            continue
        # (text wraps, the title keeping a width of its own: shrunk to fit the others, it
        # was none at all once a grade filled `last grade`, and `next due` was cut off)
        table.add_column(col, no_wrap=col in ("id", "tries", "best"),
                         min_width=12 if col == "exercise" else None,
                         justify="right" if col in ("tries", "best") else "left")
    for s in rows:
        last = "—"
        if s.last is not None:
            when = from_ms(s.last.time).astimezone(now.tzinfo)
            last = f"{s.last.cases_passed}/{s.last.cases_total} cases, {when:%m-%d %H:%M}"
        due = "now (new)" if s.due is None else ("now" if s.due <= now else
                                                 _when(s.due, now, short=True))
        cells = {"id": s.exercise, "exercise": s.title, "parts": ", ".join(s.parts),
                 "tries": str(s.attempts), "last grade": last,
                 "best": f"{s.best_parts}/{len(s.parts)}", "next due": due}
        table.add_row(*(v for k, v in cells.items() if shown.get(k, True)))
    console.print(table)
    typer.echo("Work on one: prep drill <id>   Grade a file: prep grade exercises/<id>.py")


@app.command()
def drill(
    exercise: Optional[str] = typer.Argument(None, help="An exercise id, as `prep exercises` "
                                                        "lists them (default: the most "
                                                        "overdue, then a new one).",
                                    autocompletion=complete_exercise),
    fresh: bool = typer.Option(False, "--fresh", "--reset",
                               help="Start from the pristine stub even if not due (your "
                                    "file is kept under exercises/.attempts/)."),
    keep: bool = typer.Option(False, "--continue",
                              help="Open your file as it is, even if due: practice, not a "
                                   "review."),
    directory: Path = typer.Option(Path("exercises"), "--dir",
                                   help="Where your exercise files are."),
) -> None:
    """Recall an exercise: from the stub when due, hints, a re-grade on every save."""
    _need_linux()
    import shlex

    from prepcli import config as configmod
    from prepcli.drills import attempts as drills
    from prepcli.drills import grader, reftiming
    from prepcli.catalog import EXERCISES

    if fresh and keep:
        raise PrepError("--fresh and --continue exclude each other: choose one")
    cfg = configmod.load(_config_file())
    store = _store()
    scheduler = _scheduler(cfg, store)
    ahead = None
    try:
        if exercise is None:
            exercise = drills.most_due(store, scheduler, _now(), _due_of(scheduler))
            if exercise is None:
                typer.echo("No exercise is due. Pick one anyway: "
                           f"prep drill <id> ({', '.join(EXERCISES)}); see prep exercises.")
                return
        if exercise not in EXERCISES:
            raise PrepError(f"unknown exercise {exercise!r} (known: {', '.join(EXERCISES)})")
        now = _now()
        attempt = drills.start(directory, exercise, now, due=drills.is_due(store, exercise, now,
                                                                _due_of(scheduler)),
                               fresh=fresh, keep=keep)
        file = attempt.file
        if attempt.kind == drills.REVIEW:
            kept = f"; your previous attempt is {attempt.previous}" if attempt.previous else ""
            typer.echo(f"{file}: written from the stub (a review: write it from memory){kept}"
                       if attempt.wrote_stub else f"{file}: the stub (a review)")
        else:
            typer.echo(f"{file}: your file as it is (practice: grades do not count as "
                       f"reviews; prep drill {exercise} --fresh starts from the stub)")
        # (without a terminal, the drill's file is made ready as above, its previous one kept
        # under .attempts/, and graded by hand)
        _need_terminal("prep drill", f"; your file is {file}; grade it with: prep grade {file}")
        limits = _sandbox_limits()
        # The reference's time, measured while the user writes: their grades find it cached.
        reftiming.prefetch(EXERCISES[exercise], limits, _cache_dir())
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        editor_cmd = shlex.split(editor) if editor else None
        if editor_cmd:
            from prepcli.screens import editor as editormod

            failed = editormod.open_at(editor_cmd, file, 1)
            if failed:
                typer.echo(failed, err=True)

        ahead = grader.Ahead(file.name, limits)  # a grade's sandbox started before the save

        def grade_now(progress):
            try:
                return grader.grade(file, limits, progress=progress, exercise=exercise,
                                    cache_dir=_cache_dir(), box=ahead.take())
            finally:
                ahead.refill()  # for the next save, while the user writes
        session = drills.Drill.of(attempt, grade_now)
        record = drills.recorder(session, store, scheduler, _now, cfg["day_starts_at"])
        session.on_report = lambda rep: (record(rep), _note_mistake(rep, quiet=True))
        from prepcli.screens import ui

        stub = EXERCISES[exercise].stub_path
        text = drills.description(exercise, stub.read_text(encoding="utf-8"))
        if (p := _plan()) is not None:
            text = p.titled(text, now)
        ui.run_drill(session, text, color=_color(), editor_cmd=editor_cmd)
        if session.report is not None:
            r = session.report
            counted = ("recorded as a review" if session.reviews else
                       "practice" if attempt.kind == drills.PRACTICE else "not a new review")
            typer.echo(f"{exercise}: {'PASS' if r.passed else 'not yet'} — {r.parts_passed}/"
                       f"{len(r.parts)} parts, {r.cases_passed}/{len(r.cases)} cases "
                       f"({session.grades} grade(s) this drill; {counted}).")
    finally:
        reftiming.stop_background()
        if ahead is not None:
            ahead.close()
        store.close()


# --- preparing for a date (prep plan) --------------------------------------------------------

def _plan():
    """The interview plan in force (prepcli/review/plan.py), or None."""
    from prepcli import config as configmod
    from prepcli.review import plan as planmod

    return planmod.load(_home(), configmod.load(_config_file())["day_starts_at"], _now().date())


def _due_of(scheduler):
    """Each exercise's due time under the plan, for the drills; None without a plan."""
    p = _plan()
    if p is None:
        return None
    now = _now()
    return lambda cid, s: p.due(cid, s, scheduler, now)


@app.command("plan")
def plan_cmd(
    interview: Optional[str] = typer.Option(None, "--interview", help="The interview's date, "
                                            "YYYY-MM-DD: study and drill follow the plan to it."),
    new: Optional[int] = typer.Option(None, "--new", min=0, max=1_000_000, clamp=True,
                                      help="At most N new cards a day "
                                      "to the date (the rest stay new until after it)."),
    clear: bool = typer.Option(False, "--clear", help="Drop the plan: normal scheduling."),
    minutes: int = typer.Option(60, "--minutes", min=1, help="Minutes a day you can give "
                                "(for the feasibility warning)."),
    prompts: bool = typer.Option(False, "--prompts", help="Count prompt cards in, as prep "
                                 "study --prompts does."),
    cards: Optional[Path] = typer.Option(None, "--cards", help="Deck directory."),
) -> None:
    """Ready by the interview: set, clear or show the plan (new and reviews per day, the
    predicted recall on the day with and without it, what to drop when it does not fit)."""
    from prepcli import config as configmod
    from prepcli.drills import attempts as drills
    from prepcli.review import plan as planmod
    from prepcli.review import planfit
    from prepcli.catalog import EXERCISES
    from prepcli.review.scheduler import NEW, CardState
    from prepcli.review.session import select

    if clear and (interview is not None or new is not None):
        raise PrepError("--clear excludes --interview and --new: choose one")
    now = _now()
    if clear:
        typer.echo("Plan cleared: normal scheduling." if planmod.clear(_home())
                   else "No plan to clear.")
        return
    loaded = None
    if interview is not None or new is not None:
        day = planmod.parse_date(interview, now.date()) if interview is not None else None
        changed = planmod.updated(planmod.load(_home(), today=now.date()), now.date(), day, new)
        loaded = _load_decks(cards)  # (decks that cannot be read: said before the plan changes)
        planmod.save(_home(), changed)
    p = _plan()
    if p is None:
        typer.echo("No plan. Set one: prep plan --interview YYYY-MM-DD")
        return
    if not p.active(now):
        typer.echo(f"The interview ({p.interview}) is past: normal scheduling. "
                   "prep plan --clear removes the plan.")
        return
    _, decks = loaded or _load_decks(cards)
    chosen = select(decks, prompts=prompts)
    cfg = configmod.load(_config_file())
    store = _store()
    try:
        scheduler = _scheduler(cfg, store)
        states = store.states()
        suspended, _ = store.flags()
        items = {c.id: states.get(c.id, CardState()) for c in chosen if c.id not in suspended}
        items.update({drills.card_id(e): states.get(drills.card_id(e), CardState())
                      for e in EXERCISES})
        pace = planfit.Pace(
            planmod.seconds_per_card([r.duration_ms for r in store.reviews()
                                      if not r.card_id.startswith(drills.PREFIX)]),
            planmod.seconds_per_card([(g.seconds or 0) * 1000 for g in store.grades()],
                                     default=900.0))
    finally:
        store.close()
    with_plan = planmod.simulate(items, scheduler, now, p, planned=True,
                                 new_limit=cfg["new_per_day"])
    without = planmod.simulate(items, scheduler, now, p, planned=False,
                               new_limit=cfg["new_per_day"])
    card_ids = [i for i in items if not i.startswith(drills.PREFIX)]
    ex_ids = [i for i in items if i.startswith(drills.PREFIX)]
    n_new = sum(items[i].state == NEW for i in card_ids)
    target = scheduler.settings.desired_retention
    days = p.days_left(now)
    typer.echo(f"Interview {p.interview}: {days} day(s) left. Target recall on the day "
               f"{target:.0%}.")
    if not with_plan.reviews:
        at = f"{planmod.INTERVIEW_HOUR:02d}:00"
        typer.echo(f"The interview was today at {at}: nothing left to plan (prep plan --clear "
                   "ends the plan)." if now.hour >= planmod.INTERVIEW_HOUR else
                   f"The interview is today at {at}: nothing left to plan.")
        return
    typer.echo(f"New cards: {n_new}, {max(with_plan.new, default=0)} a day "
               + (f"(at most {p.new_cap}: prep plan --new)." if p.new_cap is not None
                  else f"(all in {planmod.MARGIN_DAYS} days before the date)."
                  if days > planmod.MARGIN_DAYS
                  else f"(all now: {planmod.MARGIN_DAYS} days or fewer left)."))
    loads = pace.minutes(with_plan)
    typer.echo(f"{'day':<12}{'cards':>6}{'new':>5}{'exercises':>10}{'minutes':>8}")
    for i, (r, n, x, m) in enumerate(zip(with_plan.reviews, with_plan.new, with_plan.exercises,
                                         loads)):
        day = (now + timedelta(days=i)).date()
        typer.echo(f"{day!s:<12}{r:>6}{n:>5}{x:>10}{m:>8.0f} {'█' * min(40, round(m / 5))}")
    _once_more(p, items, now, with_plan, card_ids, ex_ids)
    typer.echo(f"Predicted average recall on the day (simulated): with the plan "
               f"{with_plan.mean(card_ids):.0%} ({with_plan.share_at_least(target, card_ids):.0%} "
               f"of cards at or above {target:.0%}); without it "
               f"{without.mean(card_ids):.0%} ({without.share_at_least(target, card_ids):.0%}).")
    typer.echo(f"At your pace: {pace.card_secs:.0f} s a card, {pace.ex_secs / 60:.0f} min an "
               "exercise.")
    peak = max(loads, default=0.0)
    if peak > minutes:
        load = planfit.Load(items, {c.id: c.deck for c in chosen if c.id in items},
                            {c.id for c in chosen if c.kind == "prompt" and c.id in items},
                            scheduler, now, p, cfg["new_per_day"], pace)
        _what_to_drop(load, with_plan, minutes, peak)


def _once_more(p, items: dict, now: datetime, f, card_ids: list[str], ex_ids: list[str]
               ) -> None:
    """prep plan: the check that everything is due at least once before the margin."""
    from prepcli.review import plan as planmod

    end = p.once_more_by()
    cards_done, _ = planmod.once_more(p, items, f, now, card_ids)
    ex_done, _ = planmod.once_more(p, items, f, now, ex_ids)
    if cards_done == len(card_ids) and ex_done == len(ex_ids):
        typer.echo(f"Every one of {len(card_ids)} cards and {len(ex_ids)} exercises is due at "
                   f"least once before {end} (simulated; what is not due by then on its own "
                   "is spread over the days to it).")
    else:
        typer.echo(f"{cards_done} of {len(card_ids)} cards and {ex_done} of {len(ex_ids)} "
                   f"exercises are due at least once before {end}"
                   + (f"; {len(f.still_new)} new cards stay new until after the date "
                      f"(at most {p.new_cap} a day: prep plan --new)."
                      if f.still_new and p.new_cap is not None else " (simulated)."))


def _what_to_drop(load, f, minutes: int, peak: float) -> None:
    """prep plan: the warning when a day needs more than --minutes, and what to drop."""
    from prepcli.review import plan as planmod
    from prepcli.review import planfit

    loads = load.pace.minutes(f)
    busiest = (load.now + timedelta(days=loads.index(max(loads)))).date()
    typer.echo(f"warning: not feasible in {minutes} min a day: {busiest} needs {peak:.0f} min. "
               "What you could drop (the busiest day after it):")
    # (a choice that leaves the busiest day as it is, two prompt cards of 195 minutes of
    # exercises, is no choice: not listed)
    helpful = [o for o in planfit.options(load, f, minutes) if o.peak < peak - 0.5]
    for o in helpful:
        typer.echo(f"  - {o.what}: {o.peak:.0f} min")
    if not helpful:
        typer.echo("  (no one choice lowers the busiest day)")
    if not load.prompts:
        typer.echo("  (prompt cards are left out already: prep plan --prompts counts them in)")
    fit = planfit.fit(load, minutes)
    if fit is None:
        return
    if fit.fits:
        left = ""
        if fit.still_new:
            per_deck: dict[str, int] = {}
            for cid in fit.still_new:
                per_deck[load.deck_of[cid]] = per_deck.get(load.deck_of[cid], 0) + 1
            left = (f"; {len(fit.still_new)} new cards stay new until after the date, the last "
                    "in deck order (" + ", ".join(f"{d} {n}" for d, n in per_deck.items()) + ")")
        typer.echo(f"To fit in {minutes} min: " + ", then ".join(fit.steps)
                   + f" — busiest day {fit.peak:.0f} min (simulated){left}.")
        done, total = planmod.once_more(load.plan, fit.items, fit.forecast, load.now)
        typer.echo(f"With it, {done} of the {total} cards and exercises left are due at least "
                   f"once before {load.plan.once_more_by()}.")
    else:
        typer.echo(f"Nothing here makes it fit in {minutes} min: without any card the "
                   f"exercises alone need up to {fit.peak:.0f} min on a day (drill fewer, or give "
                   "more minutes: --minutes).")


@app.command()
def mock(
    minutes: int = typer.Option(45, "--minutes", "-m", min=5, max=240,
                                help="Length of the interview."),
    deck: Optional[str] = typer.Option(None, "--deck", "-d", help="Cards from this deck only.",
                                       autocompletion=complete_deck),
    tag: Optional[str] = typer.Option(None, "--tag", "-t", help="Cards with this tag only.",
                                      autocompletion=complete_tag),
    n_exercises: int = typer.Option(1, "--exercises", "-x", min=0, max=2,
                                    help="Coding questions (each up to 25 minutes)."),
    cards: Optional[Path] = typer.Option(None, "--cards", help="Deck directory."),
    directory: Path = typer.Option(Path("exercises"), "--dir",
                                   help="Where your exercise files are."),
) -> None:
    """A timed mock interview: due and weak cards, then coding from scratch; a scorecard."""
    import shlex

    from prepcli import config as configmod
    from prepcli.drills import attempts as drills
    from prepcli.drills import mock as mockmod
    from prepcli.screens import report as reportmod
    from prepcli.catalog import EXERCISES
    from prepcli.review.session import Session, select

    _, decks = _load_decks(cards)
    chosen = select(decks, deck, tag)
    cfg = configmod.load(_config_file())
    now = _now()
    store = _store()
    limits = None  # set when the mock has coding questions
    try:
        scheduler = _scheduler(cfg, store)
        # an interview plan's due dates, as study and drill follow them
        session = Session(chosen, store, scheduler, now, new_limit=cfg["new_per_day"],
                          day_starts_at=cfg["day_starts_at"],
                          learn_ahead_minutes=cfg["learn_ahead_minutes"], plan=_plan())
        plan = mockmod.plan(session, store, scheduler, now, minutes=minutes,
                            exercises=n_exercises, due_of=_due_of(scheduler))
        if not plan.cards and not plan.exercises:
            typer.echo("Nothing to ask: no card is due, weak or new in that selection, and "
                       "no exercise was asked for (--exercises 1).")
            return
        # the same sandbox as `prep grade` (PREP_SANDBOX, Linux only), checked before the
        # screen opens; a cards-only mock runs anywhere
        limits = _sandbox_limits() if plan.exercises else None
        _need_terminal("prep mock")
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        from prepcli.screens import ui_mock

        day_starts_at = cfg["day_starts_at"]
        card = ui_mock.run(
            mockmod.Mock(store, now, minutes), plan, session, _now,
            lambda ex, t: mockmod.exercise_drill(directory, ex, t, store, scheduler, _now,
                                                 day_starts_at, limits, _cache_dir()),
            lambda ex: drills.description(
                ex, EXERCISES[ex].stub_path.read_text(encoding="utf-8")),
            color=_color(), editor_cmd=shlex.split(editor) if editor else None)
        reportmod.mock_scorecard(_console(), card)
    finally:
        if limits is not None:  # a coding question may still measure its reference
            from prepcli.drills import reftiming

            reftiming.stop_background()
        store.close()


# --- review history and fitting -----------------------------------------------------------

reviews_app = typer.Typer(cls=_Group, context_settings=_HELP,
                          help="Review history in and out (FSRS optimizer CSV).",
                          no_args_is_help=True)
app.add_typer(reviews_app, name="reviews")


@reviews_app.command("import")
def reviews_import(
    file: Path = typer.Argument(..., help="CSV: card_id, review_time, review_rating, "
                                          "review_duration[, review_state]."),
) -> None:
    """Add reviews from a CSV file (importing the same file twice adds nothing)."""
    from prepcli import config as configmod
    from prepcli.interop import history

    from prepcli.review.scheduler import ms

    rows = history.read_csv(file, now_ms=ms(_now()))
    cfg = configmod.load(_config_file())
    with _store() as store:
        store.ensure_sound()
        merge = history.Merge(rows, _scheduler(cfg, store))
        # in batches, each card's stored history re-read inside the batch's transaction
        cards = store.merge_histories(merge.by_card, merge, resets=merge.resets_by_card)
    typer.echo(f"{file}: {len(rows)} rows; added {merge.added} review(s) to "
               f"{cards} card(s), {merge.already} already there{_conflicts(merge.conflicts)}.")
    _say_ids_in_no_deck(set(merge.by_card))


def _conflicts(n: int) -> str:
    return (f"; {n} answer(s) found with two ratings at one instant (a row edited by hand?): "
            "the lower rating kept, one review each") if n else ""


def _say_ids_in_no_deck(ids: set[str]) -> None:
    """How many imported card ids match no card of the decks in use (their reviews are kept,
    but no deck card is scheduled by them)."""
    try:
        directory, decks = _load_decks(None, full=False)
    except PrepError:
        return  # no decks to compare with: nothing useful to say
    from prepcli.catalog import EXERCISES

    # (an exercise's reviews schedule it: `exercise:nms` is in no deck, and was said to
    # schedule nothing, fault hunt 42)
    known = {c.id for d in decks for c in d.cards} | {f"exercise:{x}" for x in EXERCISES}
    orphans = ids - known
    if orphans:
        typer.echo(f"{len(orphans)} of {len(ids)} card id(s) in the file are in no deck in "
                   f"{directory}: their reviews are kept, but schedule nothing until a deck "
                   "has cards with those ids.")


@reviews_app.command("export")
def reviews_export(
    file: Path = typer.Argument(..., help="CSV file to write."),
) -> None:
    """Write every review to a CSV file, in the FSRS optimizer's column layout."""
    from prepcli.interop import history

    with _store() as store:
        n = history.write_csv(file, store.reviews())
        resets = len(store.resets())
    typer.echo(f"{file}: {n} review(s) written.")
    if resets:
        # (imported on another machine, a card reset to new came back in review, its reviews
        # before the reset counted again: fault hunt 43)
        typer.echo(f"note: {resets} card reset(s) (prep cards reset) are not in it: the "
                   "optimizer's layout has no place for them, and an import elsewhere "
                   "schedules those cards from all their reviews. prep sync carries them.")


@app.command()
def sync(
    folder: Optional[Path] = typer.Argument(None, help="A folder kept in sync between your "
                                                      "machines (default: sync_dir in the "
                                                      "settings)."),
) -> None:
    """Share review history with your other machines through a synced folder."""
    from prepcli import config as configmod

    cfg = configmod.load(_config_file())
    folder = folder or _sync_setting(cfg)
    if folder is None:
        raise PrepError("no folder: prep sync DIR, or set sync_dir in the settings "
                        f"({cfg.file})")
    _sync(folder, cfg, announce=True)


def _sync_or_warn(folder: Path, cfg) -> None:
    """`prep study`'s sync: one that cannot be done (the folder's drive not mounted, a full
    disk, a bad file from another machine) is said and skipped, and the study goes on: every
    answer is in the store whatever the folder holds, and the next sync catches up."""
    from prepcli.interop.sync import PartlySynced

    try:
        _sync(folder, cfg, announce=False)
    except Stopped:
        raise
    except PrepError as e:
        typer.echo(f"sync{'' if isinstance(e, PartlySynced) else ' skipped'}: "
                   f"{safe_text(str(e))}\n(`prep sync` says it again; your reviews are kept "
                   "here and go out with the next sync)", err=True)


def _sync(folder: Path, cfg, announce: bool) -> None:
    from prepcli.interop import sync as syncmod
    from prepcli.catalog import EXERCISES

    from prepcli.review.scheduler import ms

    home = _home()
    with _store() as store:
        res = syncmod.sync(folder, syncmod.device_id(home), store, _scheduler(cfg, store),
                           home, set(EXERCISES), now_ms=ms(_now()))
    for note in res.notes:
        typer.echo(f"sync {folder}: {safe_text(note)}", err=True)
    if res.renamed:
        typer.echo(f"sync {folder}: this machine's file there held reviews it never made: "
                   "another machine has the same device id (a copied data folder?). This "
                   f"machine's id is now {res.renamed}; the other's file is read as its "
                   "own from now on.", err=True)
    if announce or res.merged or res.written or res.mistakes or res.conflicts:
        mistakes = (f"; {res.mistakes} mistake card(s) from them added to your mistakes deck"
                    if res.mistakes else "")
        typer.echo(f"sync {folder}: {res.merged} review(s) from {res.devices} other "
                   f"machine(s) merged into {res.cards} card(s); {res.written} of yours "
                   f"written{mistakes}{_conflicts(res.conflicts)}.", err=not announce)
    if res.bad:
        raise syncmod.PartlySynced(
            f"{len(res.bad)} file(s) of other machines not merged (the others were, and "
            "yours written; the next sync tries them again):\n  " + "\n  ".join(res.bad),
            code=FAILED)


export_app = typer.Typer(cls=_Group, context_settings=_HELP,
                         help="Your decks for other tools.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("anki")
def export_anki(
    file: Path = typer.Argument(..., help="The Anki package to write, e.g. prep.apkg."),
    deck: Optional[str] = typer.Option(None, "--deck", "-d", help="Only this deck.",
                                       autocompletion=complete_deck),
    prompts: bool = typer.Option(False, "--prompts", help="Include prompt cards (tagged "
                                                         "prep_prompt); left out by default."),
    cards: Optional[Path] = typer.Option(None, "--cards", help="Deck directory."),
) -> None:
    """Write the decks as an Anki package; exporting again updates the same notes in Anki."""
    from prepcli.interop import anki_export

    _, decks = _load_decks(cards)
    if deck:
        decks = [d for d in decks if deck.casefold() in (d.slug.casefold(), d.name.casefold())]
        if not decks:
            raise PrepError(f"no deck named {deck!r}")
    rep = anki_export.export(decks, file, include_prompts=prompts)
    typer.echo(f"{file}: {rep.notes} note(s) in {rep.decks} deck(s)"
               + (f"; {rep.prompts_left_out} prompt card(s) left out (--prompts to include "
                  "them)" if rep.prompts_left_out else "") + ". Import it in Anki: File → Import.")


@app.command("import-anki")
def import_anki(
    file: Path = typer.Argument(..., help="An Anki package: deck (.apkg, exported with "
                                          "scheduling) or whole collection (.colpkg)."),
    out: Path = typer.Option(Path("cards"), "--out", "-o", help="Directory of deck files."),
) -> None:
    """Anki decks into YAML decks, and their review history into your store (needs the
    optional extra: pip install 'prepcli[anki]')."""
    from prepcli.interop import anki_import
    from prepcli import config as configmod
    from prepcli.interop import history
    from prepcli.review.scheduler import ms

    if out.exists() and not out.is_dir():
        raise PrepError("--out must be a directory", file=str(out))
    pkg = anki_import.read_package(file)
    got = anki_import.convert(pkg, out)
    decks, rows, left = got.decks, got.rows, got.left
    # (a review dated in the future: a device's clock ran fast where it was given; its time
    # is not known, and the package cannot be mended as a CSV file can: left out, and said)
    later = ms(_now()) + history.CLOCK_SKEW_MS
    future = pkg.future + sum(r.time > later for r in rows)
    rows = [r for r in rows if r.time <= later]
    suspended = anki_import.suspended_ids(pkg)
    cfg = configmod.load(_config_file())
    with _store() as store:  # a store that cannot take the history: no deck written either
        store.ensure_sound()
        merge = history.Merge(rows, _scheduler(cfg, store), resets=got.resets)
        moved = anki_import.write_decks(decks)
        try:
            store.suspend(suspended)
            cards = store.merge_histories(merge.by_card, merge, resets=merge.resets_by_card)
        except PrepError as e:
            if not decks:
                raise
            raise PrepError(f"{e.message}. The deck file(s) were written, but the review "
                            "history was not (or not all of it): run the same command again "
                            "to add it (reviews already there are not added twice)",
                            code=e.code, file=e.file, line=e.line) from None
    for d in decks:
        kept = sum(anki_import.added_by_hand(c) for c in d.cards)
        gone = got.removed.get(d.path)
        typer.echo(f"{d.path}: {len(d.cards)} card(s) (Anki deck {d.name})"
                   + (f", {kept} of them added to it by hand and kept" if kept else "")
                   + (f"; {gone} card(s) no longer in the package taken out (their reviews "
                      "are kept)" if gone else "")
                   + ("; the deck is empty in Anki: the file was removed" if not d.cards
                      else ""))
    for m in moved:
        typer.echo(f"{m.path}: {m.cards} card(s) moved out to the file(s) above (their notes "
                   "are in another Anki deck now)" + (f", {m.left} left" if m.left else
                                                      "; the file, left empty, was removed"))
    own = sum(n.prep_id is not None for n in pkg.notes)
    typer.echo(f"{file}: {len(pkg.notes)} note(s)"
               + (f" ({own} exported by prep: their reviews go to your cards of the same id, "
                  "no new cards)" if own else "")
               + f"; added {merge.added} review(s) to {cards} "
               f"card(s), {merge.already} already there"
               + (f"; {left} log entr(ies) left out (manual reschedules, cram answers, "
                  "what came before a reset, or reviews of a note's other cards)" if left
                  else "")
               + (f"; {future} review(s) dated in the future left out (the clock of the "
                  "device they were given on ran fast?)" if future else "")
               + (f"; {len(suspended)} suspended as in Anki" if suspended else "")
               + (f"; {occluded} Image Occlusion note(s) left out (prep has no image cards)"
                  if (occluded := sum(n.occlusion for n in pkg.notes)) else "") + ".")
    if decks and out.resolve() != _decks_dir(quiet=True).resolve():
        typer.echo(f"Study them: prep study --cards {out}")
    if own:
        _say_ids_in_no_deck({n.prep_id for n in pkg.notes if n.prep_id})


cards_app = typer.Typer(cls=_Group, context_settings=_HELP,
                        help="Find cards; show one in full; suspend, unsuspend, "
                                         "bury, unbury or reset cards.", no_args_is_help=True)
app.add_typer(cards_app, name="cards")
_CARDS_OPT = typer.Option(None, "--cards", help="Deck directory (default: as for prep study).")
_JSON_OPT = typer.Option(False, "--json", help="Print JSON instead of text.")


@cards_app.command("list")
def cards_list(
    text: Optional[str] = typer.Argument(None, help="Only cards whose question, answer or id "
                                                    "holds this text (any case)."),
    deck: Optional[str] = typer.Option(None, "--deck", "-d", help="Only this deck.",
                                       autocompletion=complete_deck),
    tag: Optional[str] = typer.Option(None, "--tag", "-t", help="Only cards with this tag.",
                                      autocompletion=complete_tag),
    state: Optional[str] = typer.Option(None, "--state", "-s", help="Only cards that are: due, "
                                        "new, learning, review, suspended, buried or leech."),
    as_json: bool = _JSON_OPT,
    cards: Optional[Path] = _CARDS_OPT,
) -> None:
    """List or search cards, with their state."""
    import json

    from prepcli.progress import manage

    _, decks = _load_decks(cards)
    now = _now()
    with _store() as store:
        found = manage.search(manage.rows(decks, store), now, text, deck, tag, state)
    if as_json:
        typer.echo(json.dumps([manage.summary(r, now) for r in found], ensure_ascii=False,
                              indent=1))
        return
    for r in found:
        question = " ".join(r.card.question.split())
        # (a deck's words are shown, not obeyed: a note's `ESC ]0;…` set the terminal's title)
        typer.echo(safe_text(f"{r.card.id}  {r.card.deck:<20.20}  "
                             f"{'/'.join(r.labels(now)):<18} {question[:80]}"))
    typer.echo(f"{len(found)} card(s).")


@cards_app.command("show")
def cards_show(
    card_id: str = typer.Argument(..., help="Card id (or its unique start)."),
    as_json: bool = _JSON_OPT,
    cards: Optional[Path] = _CARDS_OPT,
) -> None:
    """One card in full: question, answer, source, FSRS state and every review."""
    import json

    from prepcli import config as configmod
    from prepcli.progress import manage

    _, decks = _load_decks(cards)
    now = _now()
    with _store() as store:
        row = manage.find(manage.rows(decks, store), card_id)
        info = manage.detail(row, store.reviews(card_id=row.card.id),
                             _scheduler(configmod.load(_config_file()), store), now,
                             store.resets_of(row.card.id))
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False, indent=1))
        return
    src = info["source"] or {}
    f = info["fsrs"]
    echo = lambda text: typer.echo(safe_text(text))  # noqa: E731 (words shown, not obeyed)
    echo(f"{info['id']}  ({info['deck_name'] or info['deck']}: {info['deck_file']}:"
         f"{info['deck_line']})  {'/'.join(info['state'])}")
    if src:
        echo(f"source: {src.get('file')}:{src.get('line')}  "
             f"{' › '.join(src.get('path') or [])}")
    echo(f"tags: {', '.join(info['tags']) or '-'}")
    echo(f"\nQ: {info['question']}\n\nA: {info['answer'] or '(no answer yet)'}\n")
    echo(f"FSRS: {f['state']}, stability {_num(f['stability'])} d, difficulty "
         f"{_num(f['difficulty'])}, recall now {f['retrievability']:.0%}, "
         f"{f['reps']} review(s), {f['lapses']} lapse(s); due {info['due'] or '-'}")
    if info["suspended"] or info["buried_until"]:
        echo("suspended" if info["suspended"] else f"buried until {info['buried_until']}")
    resets = info["resets"]
    echo(f"{len(info['reviews'])} review(s)" +
         (f", {len(resets)} reset(s) (the card started again as new)" if resets else "") + ":")
    lines = [(r["time"], f"  {r['time']}  {r['rating']:<5}  before: {r['state_before']:<10} "
                         f"next in {_num(r['interval_days'])} d") for r in info["reviews"]]
    lines += [(t, f"  {t}  reset") for t in resets]
    for _, line in sorted(lines, key=lambda x: datetime.fromisoformat(x[0])):
        echo(line)


@cards_app.command("copy-bundled")
def cards_copy_bundled(
    to: Optional[Path] = typer.Argument(None, help="Folder to copy into (default: the deck "
                                                   "folder in use, else ./cards)."),
) -> None:
    """Copy the bundled decks and their notes into your own deck folder, so that your own
    decks and these are used together; files already there are left as they are."""
    from prepcli.progress import manage
    from prepcli.paths import bundled

    dest = to or _decks_dir(quiet=True)
    if dest.resolve() == bundled("cards").resolve():
        dest = Path.cwd() / "cards"
    copied, kept = manage.copy_bundled(bundled("cards"), dest)
    typer.echo(f"copied {copied} file(s) into {dest}" +
               (f"; {kept} already there, left as they were" if kept else "") + ".")
    # (absolute: a relative `decks` is read from the config file's folder, not this one)
    typer.echo(f'To use this folder from anywhere: decks = "{dest.absolute()}" in '
               f'{_config_file()}.')


def _num(x) -> str:
    return "-" if x is None else f"{x:.2f}"


def _cards_change(ids: list[str], cards: Optional[Path], verb: str, change,
                  not_so=None) -> None:
    """Apply `change(store, card_id, now)` to each card named; say what was done. `not_so`:
    (row, now) -> the words for a card the change does nothing to (`not suspended`)."""
    from prepcli.progress import manage

    _, decks = _load_decks(cards)
    now = _now()
    with _store() as store:
        rows = manage.rows(decks, store)
        chosen = [manage.find(rows, i) for i in ids]  # every id checked before any change
        chosen = list({r.card.id: r for r in chosen}.values())  # (one card named twice: once)
        idle = [r for r in chosen if not_so and not_so(r, now)]
        done = [r for r in chosen if r not in idle]
        for r in done:
            change(store, r.card.id, now)
    if done or not idle:
        typer.echo(f"{verb} {len(done)} card(s): {', '.join(r.card.id for r in done)}")
    if idle:  # (it said "unsuspended" of cards that never were suspended)
        typer.echo(f"{not_so(idle[0], now)}, left as {'it is' if len(idle) == 1 else 'they are'}"
                   f": {', '.join(r.card.id for r in idle)}")


_IDS_ARG = typer.Argument(..., help="Card ids (or their unique starts).")


@cards_app.command("suspend")
def cards_suspend(ids: list[str] = _IDS_ARG, cards: Optional[Path] = _CARDS_OPT) -> None:
    """Never show these cards until unsuspended."""
    _cards_change(ids, cards, "suspended", lambda st, cid, now: st.set_suspended(cid, True))


@cards_app.command("unsuspend")
def cards_unsuspend(ids: list[str] = _IDS_ARG, cards: Optional[Path] = _CARDS_OPT) -> None:
    """Schedule these suspended cards again."""
    _cards_change(ids, cards, "unsuspended", lambda st, cid, now: st.set_suspended(cid, False),
                  lambda r, now: "not suspended" if not r.suspended else None)


@cards_app.command("bury")
def cards_bury(ids: list[str] = _IDS_ARG, cards: Optional[Path] = _CARDS_OPT) -> None:
    """Hide these cards until the next study day."""
    from datetime import timedelta

    from prepcli import config as configmod
    from prepcli.review.scheduler import ms
    from prepcli.review.session import day_start

    hour = configmod.load(_config_file())["day_starts_at"]
    _cards_change(ids, cards, "buried", lambda st, cid, now: st.set_buried(
        cid, ms(day_start(now, hour) + timedelta(days=1))))


@cards_app.command("unbury")
def cards_unbury(ids: list[str] = _IDS_ARG, cards: Optional[Path] = _CARDS_OPT) -> None:
    """Show these buried cards again today."""
    _cards_change(ids, cards, "unburied", lambda st, cid, now: st.set_buried(cid, None),
                  lambda r, now: "not buried" if "buried" not in r.labels(now) else None)


@cards_app.command("reset")
def cards_reset(ids: list[str] = _IDS_ARG, cards: Optional[Path] = _CARDS_OPT) -> None:
    """Make these cards new again (their review history is kept in the log)."""
    from prepcli.review.scheduler import ms

    _cards_change(ids, cards, "reset", lambda st, cid, now: st.reset(cid, ms(now)))


db_app = typer.Typer(cls=_Group, context_settings=_HELP,
                     help="The review database: check it, restore it.",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("check")
def db_check() -> None:
    """Check the review database for damage (SQLite's quick_check) and list the backups."""
    from prepcli.review.store import Store, backups, lost_history

    home = _home()
    path = home / "prep.db"
    why = lost_history(path, home / "backups")
    if why:
        raise PrepError(why, code=FAILED, file=str(path))
    with Store(path) as store:
        problems = store.quick_check()
        n = store.review_count() if not problems else None
    for p in problems[:20]:
        typer.echo(f"{path}: {p}", err=True)
    saved = backups(home / "backups")
    typer.echo(f"backups: {len(saved)}" + (f", newest {saved[-1].name}" if saved else ""))
    if problems:
        raise PrepError(f"the database is damaged ({len(problems)} problem(s)); run "
                        "prep db restore", code=FAILED, file=str(path))
    typer.echo(f"{path}: ok, {n} review(s)")


@db_app.command("restore")
def db_restore(
    backup: Optional[Path] = typer.Option(None, "--from", help="A backup file (default: the "
                                                               "newest daily backup)."),
    force: bool = typer.Option(False, "--force", help="Restore even though the database is "
                               "in good order (or from a newer prep)."),
) -> None:
    """Put back a backup of the review database and recover every review still readable
    from the current (damaged) file; the current file is kept beside it."""
    from prepcli.interop import history
    from prepcli.review.scheduler import ms
    from prepcli.review.store import (NOT_READ_NOW, InUse, StoreError, backups,
                                      database_problem, discard, kept_files, restoring,
                                      salvage_extras, salvage_marks, salvage_reviews, swap_in,
                                      unusable_backup)

    home = _home()
    path = home / "prep.db"
    if backup is not None:
        if not backup.is_file():
            raise PrepError("no such backup file", file=str(backup))
        why = unusable_backup(backup, path)
        if why:
            raise PrepError(f"cannot restore from this file: {why}", file=str(backup))
    with InUse(path, exclusive=True) as lock:  # (no prep may have the file open meanwhile)
        # A sound file is not replaced unasked (a restore run by mistake moved it aside as
        # "damaged"), nor one from a newer prep (rebuilt, it lost what the newer prep keeps).
        why = database_problem(path) if path.is_file() else ""
        was = "replaced" if why is None else "damaged"  # (forced over a sound file)
        if why is None and not force:
            raise PrepError("the review database is in good order (SQLite's quick check "
                            "passes): nothing to restore. `prep db restore --force` restores "
                            "anyway (the current file is kept beside it)", file=str(path))
        if why and "newer prep" in why and not force:
            raise PrepError(f"{why} rather than restore it (`--force` restores it as this "
                            "prep's, losing what the newer one keeps)", file=str(path))
        if backup is None:  # the newest daily backup in good order
            unread = None
            for b in reversed(backups(home / "backups")):
                why = unusable_backup(b, path)
                if not why:
                    backup = b
                    break
                typer.echo(f"{b}: skipped: {why}", err=True)
                unread = unread or (b if why.startswith(NOT_READ_NOW) else None)
            if backup is None and unread is not None:
                # (not a new database from the damaged file alone, the backup's history left
                # out of it, when a backup there may be sound: fault hunt 42)
                raise PrepError(f"a backup could not be read ({unread}): make it readable, "
                                "or give one with --from; nothing was changed", file=str(path))
        # Every review readable from the live file and from the files earlier restores kept:
        # one interrupted, or a second within the same second, loses nothing they hold.
        rows, lost = salvage_reviews(path) if os.path.lexists(path) else ([], 0)
        # (answers taken back stay so, not synced back; cards reset stay so, their histories
        # replayed from the reset)
        undone, resets = salvage_marks(path, "undone"), salvage_marks(path, "resets")
        # (and its grades, mocks, fitted parameters and cards suspended: the live file's)
        extras = salvage_extras(path) if os.path.lexists(path) else {}
        earlier = kept_files(path)
        for kept in earlier:
            rows += salvage_reviews(kept)[0]
            undone |= salvage_marks(kept, "undone")
            resets |= salvage_marks(kept, "resets")
        rows = list(dict.fromkeys(rows))  # (a review in several kept files was counted in each)
        # (an answer taken back stays so: read from a page it had been on, it came back)
        rows = [r for r in rows if (r[0], r[1]) not in undone] if undone else rows
        # (a time no review can have, read from a damaged byte: a review in 2096 kept its
        # card from coming up for 70 years, fault hunt 42; as `prep reviews import` says)
        latest = ms(_now()) + history.CLOCK_SKEW_MS
        dated = [r for r in rows if history.EARLIEST_MS <= r[1] <= latest]
        odd, rows = len(rows) - len(dated), dated
        # The new database is built aside and swapped in whole: until then nothing changes
        # (a full disk, no permission, Ctrl-C leave the live file as it was).
        tmp = restoring(path)
        try:
            added = _rebuild(tmp, backup, rows, undone, resets, extras)
            keep = swap_in(path, tmp, f"{path.name}.{was}-{_now():%Y%m%d-%H%M%S}")
        except (OSError, StoreError) as e:
            raise PrepError(f"could not restore, nothing was changed: {e}",
                            file=str(path)) from None
        finally:
            discard(tmp)  # (after the swap, only its lock file is left)
        lock.share()
    typer.echo(f"{path}: " + (f"restored from {backup}" if backup else
                              "no backup: a new database from what could be read"))
    typer.echo(f"recovered {added[0]} review(s) of {added[1]} card(s) from the {was} "
               f"file{'s' if len(earlier) + (keep is not None) > 1 else ''}"
               + (f" ({added[2]} were in the backup)" if backup else "")
               + (f"; {lost} damaged block(s) of reviews could not be read" if lost else "")
               + (f"; {odd} review(s) dated before 2000 or in the future left out" if odd
                  else ""))
    if keep is not None:
        typer.echo(f"the {was} file is kept as {keep}")


def _rebuild(tmp: Path, backup: Path | None, rows: list, undone: set, resets: set,
             extras: dict | None = None) -> tuple[int, int, int]:
    """The restored database at `tmp`: a copy of `backup` (or a new one) with `rows` merged
    in, the answers taken back (`undone`) and the cards reset (`resets`) recorded, and what
    else the replaced file held (`extras`: store.salvage_extras); (reviews added, cards they
    touched, reviews the backup had already)."""
    import shutil

    from prepcli import config as configmod
    from prepcli.interop import history
    from prepcli.review.store import Store

    if backup is not None:
        shutil.copyfile(backup, tmp)
    cfg = configmod.load(_config_file())
    with Store(tmp, on_progress=_Progress("merging histories")) as store:
        merge = history.Merge([history.Row(c, t, r, d) for c, t, r, d in rows],
                              _scheduler(cfg, store), resets=sorted(resets))
        cards = store.merge_histories(merge.by_card, merge, resets=merge.resets_by_card)
        store.remember_undone(undone)
        store.restore_extras(extras or {})
        store.settle()
    return merge.added, cards, merge.already


@app.command()
def optimize(
    dry_run: bool = typer.Option(False, "--dry-run", help="Fit and report; save nothing."),
) -> None:
    """Fit FSRS parameters to your review history; keep them only if they predict better."""
    from prepcli import config as configmod
    from prepcli.interop import history
    from prepcli.review import optimizer
    from prepcli.review.scheduler import ms

    cfg = configmod.load(_config_file())
    now = _now()
    with _store() as store:
        scheduler = _scheduler(cfg, store)
        reviews = [r for r in store.reviews() if not r.card_id.startswith("exercise:")]
        items = history.training_items(reviews, now.tzinfo, cfg["day_starts_at"],
                                       store.resets())
        missing = optimizer.needed(len(items))
        if missing:
            typer.echo(f"Not enough history to fit: {len(items)} usable reviews (a review of "
                       f"a card on a later day than its previous one); {missing} more needed. "
                       "The FSRS parameters in force stay.")
            return
        res = optimizer.optimize(items, scheduler.settings.parameters)
        typer.echo(f"{res.items} training items: fitted on the earlier {res.train}, "
                   f"evaluated on the later {res.test}.")
        # the plain log loss decides; fsrs-rs's recency-weighted one is shown beside it
        typer.echo(f"{'':<12}{'log loss':>10}{'fsrs-rs log loss':>18}{'RMSE(bins)':>12}")
        for name, (loss, rmse), weighted in (("in force", res.current, res.current_fsrs_rs),
                                             ("fitted", res.fitted, res.fitted_fsrs_rs)):
            typer.echo(f"{name:<12}{loss:>10.4f}{weighted:>18.4f}{rmse:>12.4f}")
        typer.echo("log loss: plain, on the later reviews; it decides. fsrs-rs log loss: "
                   "weighted towards recent reviews, for comparison.")
        if dry_run:
            typer.echo("Dry run: nothing saved.")
        elif res.better:
            store.save_parameters(ms(now), res.parameters, res.train, res.test, res.current,
                                  res.fitted)
            typer.echo("Saved: scheduling uses the fitted parameters from now on "
                       "(prep config shows them).")
        else:
            typer.echo("Not saved: the fitted parameters do not predict the later reviews "
                       "better than those in force.")


def main() -> None:
    # A terminal or pipe whose encoding cannot show every character (a redirect on Windows, a
    # C locale) gets replacement characters, never a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    if os.environ.get("_PREP_COMPLETE") == "complete_bash" and not (
            "COMP_WORDS" in os.environ and os.environ.get("COMP_CWORD", "").isdigit()):
        # (bash's completion variable left exported, without the words bash gives with it:
        # the command runs as typed; it was a traceback, KeyError: 'COMP_WORDS')
        del os.environ["_PREP_COMPLETE"]
    _only(sys.argv[1:])(prog_name="prep")


def _only(argv: list[str]) -> typer.Typer:
    """The app with only the command that `argv` names. Typer makes every command's options
    from its signature on each start (35 ms for the 31 commands and sub-commands, a tenth of
    `prep stats`); a run needs one. The whole app for anything else: `prep`, `prep --help`,
    an unknown name (click's own error and suggestions), shell completion."""
    if not argv or argv[0].startswith("-") or any(k.startswith("_PREP_COMPLETE")
                                                   for k in os.environ):
        return app
    from typer.main import get_command_name

    commands = [c for c in app.registered_commands
                if (c.name or get_command_name(c.callback.__name__)) == argv[0]]
    groups = [g for g in app.registered_groups if g.name == argv[0]]
    if len(commands) + len(groups) != 1:
        return app
    one = copy.copy(app)
    one.registered_commands, one.registered_groups = commands, groups
    return one


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
