"""A digest of what `prep import` makes of each corpus note (ids, kinds, questions, answers,
tags, exercises, source lines and paths): a golden that holds no text of the notes, so that a
change meant only to make the import faster can be shown to change nothing.

    python tests/import_digest.py > tests/gold/corpus_import_sha1.tsv   (from the repo root)
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


def digests() -> dict[str, tuple[int, str]]:
    """{note file name: (cards, SHA-1 of its cards)} for every note of the corpus."""
    from prepcli.cards import deck as deckmod
    from prepcli.cards.importer import import_notes

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, note in enumerate(sorted(CORPUS.glob("*.md"))):
            folder = Path(tmp) / str(i)
            import_notes([note], folder)
            cards = [c for f in sorted(folder.glob("*.yaml")) for c in deckmod.load(f)[0].cards]
            rows = [[c.id, c.kind, c.question, c.answer, c.tags, c.exercise,
                     (c.source or {}).get("line"), (c.source or {}).get("path")] for c in cards]
            blob = json.dumps(rows, ensure_ascii=False).encode()
            out[note.name] = (len(cards), hashlib.sha1(blob).hexdigest())
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    for name, (n, sha) in digests().items():
        print(f"{name}\t{n}\t{sha}")
