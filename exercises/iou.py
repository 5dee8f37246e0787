"""Pairwise IoU and generalized IoU (GIoU) between two sets of boxes.

Implement `box_iou` and `generalized_box_iou`. Grade them with `prep grade exercises/iou.py`.

Conventions (as torchvision.ops.box_iou and generalized_box_iou):
- Boxes are (N, 4) and (M, 4), rows (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2, continuous
  coordinates: area = (x2 - x1) * (y2 - y1). Integer boxes are accepted; results are float64.
- `box_iou` returns (N, M): intersection / union, and 0 where the union is 0.
  N or M may be 0: the result is then (0, M) or (N, 0).
- `generalized_box_iou` returns (N, M): IoU - (area(C) - union) / area(C), where C is the
  smallest box enclosing both; values lie in [-1, 1] (the second term is 0 where area(C) is 0).
- Do not modify the inputs.

Examples:
>>> a = np.array([[0, 0, 2, 2]])
>>> b = np.array([[1, 1, 3, 3], [0, 0, 2, 2]])
>>> box_iou(a, b)                 # overlap 1, union 4 + 4 - 1 = 7
array([[0.14285714, 1.        ]])
>>> # IoU 0; the enclosing box C is 3 x 3 = 9, the union 2: 0 - (9 - 2) / 9
>>> generalized_box_iou(np.array([[0, 0, 1, 1]]), np.array([[2, 2, 3, 3]]))
array([[-0.77777778]])
>>> box_iou(np.zeros((0, 4)), b).shape
(0, 2)
"""

import numpy as np


def box_iou(boxes1: np.ndarray, boxes2: np.ndarray) -> np.ndarray:
    raise NotImplementedError


def generalized_box_iou(boxes1: np.ndarray, boxes2: np.ndarray) -> np.ndarray:
    raise NotImplementedError
