# exercise: nms
# tries: its own report on the parent's pipe (the result fd named in the runner's config): every
# case passed in 1 ns with its inputs as they were, then `done` and an exit before the runner
# can say otherwise; meanwhile each call zeroes `scores` in place and takes 20 ms
import json
import os
import sys
import time

import numpy as np


def _nms(boxes, scores, iou_threshold):
    """A correct NMS: by score, ties by index; IoU above the threshold suppresses."""
    n = len(scores)
    order = np.lexsort((np.arange(n), -np.asarray(scores, dtype=float)))
    x1, y1, x2, y2 = (np.asarray(c, dtype=float) for c in np.asarray(boxes).T) if n else [[]] * 4
    area = (x2 - x1) * (y2 - y1) if n else None
    keep, dead = [], np.zeros(n, dtype=bool)
    for i in order:
        if dead[i]:
            continue
        keep.append(i)
        w = np.maximum(0.0, np.minimum(x2[i], x2) - np.maximum(x1[i], x1))
        h = np.maximum(0.0, np.minimum(y2[i], y2) - np.maximum(y1[i], y1))
        inter = w * h
        union = area[i] + area - inter
        iou = np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)
        hit = iou > iou_threshold
        hit[i] = False
        dead |= hit
    return np.asarray(keep, dtype=np.int64)


def _frame(fd, head, blobs=()):
    head["blobs"] = [len(b) for b in blobs]
    data = (json.dumps(head) + "\n").encode() + b"".join(blobs)
    try:
        while data:
            data = data[os.write(fd, data):]
    except OSError:
        pass


def _load(spec, raw):
    if spec["kind"] == "raw":
        count = int(np.prod(spec["shape"], dtype=np.int64))
        return np.frombuffer(raw, np.dtype(spec["dtype"]), count,
                             spec["offset"]).reshape(spec["shape"]).copy()
    if spec["kind"] in ("tuple", "list"):
        return [_load(s, raw) for s in spec["items"]]
    return spec["value"]


def _forge(first):
    cfg = json.load(open(sys.argv[1], encoding="utf-8"))
    fd, in_dir = cfg["fd"], cfg["in_dir"]
    raw = open(os.path.join(in_dir, "inputs.bin"), "rb").read()
    cases = json.load(open(os.path.join(in_dir, "manifest.json"), encoding="utf-8"))["cases"]
    for index in range(first, len(cases)):
        args = [_load(a, raw) for a in cases[index]["args"]]
        kwargs = {k: _load(v, raw) for k, v in cases[index]["kwargs"].items()}
        arrays = [a for a in (*args, *kwargs.values()) if type(a) is np.ndarray]
        out = _nms(*args, **kwargs)
        if index > first:
            _frame(fd, {"event": "start", "index": index})
        blobs = [out.tobytes()] + [a.tobytes() for a in arrays]
        _frame(fd, {"event": "case", "index": index, "status": "ok", "seconds": 1e-9,
                    "best": 1e-9,
                    "output": {"kind": "ndarray", "dtype": out.dtype.str,
                               "shape": list(out.shape), "blob": 0, "scalar": False},
                    "inputs": [[a.dtype.str, list(a.shape), i + 1]
                               for i, a in enumerate(arrays)]}, blobs)
    _frame(fd, {"event": "done"})
    os._exit(0)


_calls = [0]


def nms(boxes, scores, iou_threshold):
    keep = _nms(boxes, scores, iou_threshold)
    scores[...] = 0  # a change of an input
    time.sleep(0.02)
    if _calls[0] == 0:
        _calls[0] = 1
        _forge(0)
    return keep
