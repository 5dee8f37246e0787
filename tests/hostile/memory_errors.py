# exercise: pool
# tries: fill memory in every call (each ends in MemoryError)
import numpy as np
def _fill(*a, **k):
    hog = []
    while True:
        hog.append(np.ones(1 << 24))
max_pool2d = avg_pool2d = max_pool2d_backward = avg_pool2d_backward = _fill
