"""Non-maximum suppression (NMS).

Implement `nms`. Grade it with `prep grade exercises/nms.py`, or work on it in `prep drill nms`.

Conventions (as torchvision.ops.nms):
- `boxes` is (N, 4) float, each row (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2, in
  continuous coordinates: area = (x2 - x1) * (y2 - y1), no "+1".
- Greedy: take the highest remaining score, keep it, and discard every remaining box whose
  IoU with it is strictly greater than `iou_threshold`. Repeat until no box remains.
- IoU is 0 when the union is 0 (two zero-area boxes never suppress each other).
- Return an int64 array of the kept indices into the original arrays, in decreasing score
  order; equal scores: the lower index first. N = 0 gives an empty int64 array.
- Do not modify `boxes` or `scores`.

Examples:
>>> boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], dtype=float)
>>> scores = np.array([0.9, 0.8, 0.7])
>>> nms(boxes, scores, 0.5)    # IoU(0, 1) = 81 / 119 = 0.68 > 0.5: box 1 is suppressed
array([0, 2])
>>> nms(boxes, scores, 0.7)    # 0.68 <= 0.7: nothing is suppressed
array([0, 1, 2])
>>> nms(np.zeros((0, 4)), np.zeros(0), 0.5)
array([], dtype=int64)
"""

import numpy as np


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    raise NotImplementedError
