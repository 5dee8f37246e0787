# exercise: nms
# tries: modify an input and hide it: the shared pages under `scores` moved aside (mremap) or
# covered by a private copy (mmap MAP_FIXED), which is then zeroed; the reads of the shared
# memory would see the pages untouched
import ctypes

import numpy as np

libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_long]
libc.mremap.restype = ctypes.c_void_p
libc.mremap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_int,
                        ctypes.c_void_p]
MAP_FAILED = ctypes.c_void_p(-1).value
said = set()


def say(what):
    if what not in said:
        said.add(what)
        print(what, flush=True)


def _nms(boxes, scores, iou_threshold):
    """A correct NMS: by score, ties by index; IoU above the threshold suppresses."""
    n = len(scores)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.arange(n), -np.asarray(scores, dtype=float)))
    x1, y1, x2, y2 = (np.asarray(c, dtype=float) for c in np.asarray(boxes).T)
    area = (x2 - x1) * (y2 - y1)
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


def _private_copy(p0, size):
    """The pages [p0, p0 + size) made a private copy of themselves: by mremap first (the shared
    pages parked elsewhere), else by mmap MAP_FIXED over them."""
    saved = ctypes.string_at(p0, size)
    park = libc.mmap(None, size, 0, 0x22, -1, 0)  # PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS
    moved = park not in (None, MAP_FAILED) and \
        libc.mremap(p0, size, size, 3, park) == park  # MREMAP_MAYMOVE | MREMAP_FIXED
    say("mremap: " + ("moved" if moved else "refused"))
    r = libc.mmap(p0, size, 3, 0x32, -1, 0)  # RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED
    say("mmap fixed: " + ("mapped" if r == p0 else "refused"))
    if r == p0:
        ctypes.memmove(p0, saved, size)


def nms(boxes, scores, iou_threshold):
    out = _nms(boxes, scores, iou_threshold)
    if scores.nbytes:
        a = scores.ctypes.data
        p0, p1 = a & ~4095, (a + scores.nbytes + 4095) & ~4095
        _private_copy(p0, p1 - p0)
        scores[:] = 0
    return out
