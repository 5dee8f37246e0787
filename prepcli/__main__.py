"""The `prep` command (and `python -m prepcli`)."""

import signal
import sys


def main() -> None:
    """Ctrl-C before the command line is read (while Python imports prep's modules, a tenth
    of a second) ends prep as it does later, not with a traceback; one after the command is
    done (pressed again as the study screen gives the terminal back) is ignored: it killed
    prep by SIGINT as it exited, its exit code lost."""
    try:
        from prepcli.cli import main as run

        run()
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    main()
