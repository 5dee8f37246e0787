"""The `prep` command (and `python -m prepcli`)."""

import sys


def main() -> None:
    """Ctrl-C before the command line is read (while Python imports prep's modules, a tenth
    of a second) ends prep as it does later, not with a traceback."""
    try:
        from prepcli.cli import main as run

        run()
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
