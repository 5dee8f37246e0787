# exercise: nms
# tries: read the installed reference source from disk and run it (no import needed)
import glob
import os
import sys
import types
sys.modules["stolen"] = types.ModuleType("stolen")  # (dataclasses look their module up)
ns = sys.modules["stolen"].__dict__
files = sorted(glob.glob("@@PKG_DIR@@/**/*.py", recursive=True),
               key=lambda p: (os.path.basename(p) not in ("base.py", "common.py"), p))
for path in files:
    src = "\n".join(l for l in open(path).read().splitlines() if not l.startswith("from prepcli"))
    try:
        exec(compile(src, path, "exec"), ns)
    except Exception:
        continue
    if "def nms(" in src:
        nms = ns["nms"]
        break
