"""Average precision, for ranked scores and for object detection.

Implement `average_precision` and `detection_ap`. Grade them with `prep grade exercises/ap.py`,
or work on them in `prep drill ap`. Both return a float.

Conventions of `average_precision(scores, labels)` (as sklearn.metrics.average_precision_score):
- `scores` (N,) float; `labels` (N,) 0/1 ints or bools, 1 (True) is positive.
- Walk the thresholds from the highest score down; tied scores form ONE threshold. At each,
  P_n = TP / (TP + FP) and R_n = TP / (number of positives). AP = sum of (R_n - R_{n-1}) * P_n,
  R_0 = 0: no interpolation.
- No positive label gives 0.0.

Conventions of `detection_ap(pred_boxes, pred_scores, pred_image_ids, gt_boxes, gt_image_ids,
iou_threshold=0.5)` (one class, COCO-style matching):
- Boxes are (x1, y1, x2, y2) in continuous coordinates (area (x2 - x1) * (y2 - y1), no +1);
  IoU is 0 when the union is 0. Image ids are ints.
- Predictions in decreasing score order, stable: equal scores keep their input order and are
  NOT merged into one threshold. Each takes the ground truth of its own image, among those not
  matched yet, with the highest IoU (equal IoU: the lower index), provided that
  IoU >= iou_threshold: a true positive. Otherwise it is a false positive (so is every
  prediction on an image without ground truth).
- AP is the all-point interpolated area under precision-recall (VOC 2010+): make precision
  monotone from the right (each point takes the best precision at any later rank), then sum
  (R_n - R_{n-1}) * P_n over the ranks.
- No ground truth at all gives NaN; ground truth but no predictions gives 0.0.
- Do not modify the inputs.

Examples:
>>> print(average_precision(np.array([0.9, 0.8, 0.7, 0.6]), np.array([1, 0, 1, 0])))
0.8333333333333333
>>> # thresholds 0.9: P=1, R=.5; 0.8: P=.5, R=.5; 0.7: P=2/3, R=1 -> .5 * 1 + .5 * 2/3
>>> print(average_precision(np.array([0.8, 0.8, 0.4]), np.array([1, 0, 1])))
0.5833333333333333
>>> # the two 0.8 are one threshold: P=.5, R=.5; then P=2/3, R=1 -> .25 + 1/3
>>> gt = np.array([[0, 0, 10, 10], [20, 20, 30, 30]], dtype=float)
>>> pred = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [20, 21, 30, 30]], dtype=float)
>>> print(detection_ap(pred, np.array([0.9, 0.8, 0.7]), np.zeros(3, int), gt, np.zeros(2, int)))
0.8333333333333333
>>> # hit, duplicate of a matched box (false positive), hit: P = 1, .5, 2/3; R = .5, .5, 1
>>> miss_first = np.array([[50, 50, 60, 60], [0, 0, 10, 10], [20, 20, 30, 31]], dtype=float)
>>> print(detection_ap(miss_first, np.array([0.9, 0.8, 0.7]), np.zeros(3, int), gt,
...                    np.zeros(2, int)))
0.6666666666666666
>>> # P = 0, .5, 2/3; the envelope lifts the .5 to 2/3: .5 * 2/3 + .5 * 2/3
>>> print(detection_ap(np.zeros((0, 4)), np.zeros(0), np.zeros(0, int), gt, np.zeros(2, int)))
0.0
"""

import numpy as np


def average_precision(scores: np.ndarray, labels: np.ndarray) -> float:
    raise NotImplementedError


def detection_ap(pred_boxes: np.ndarray, pred_scores: np.ndarray, pred_image_ids: np.ndarray,
                 gt_boxes: np.ndarray, gt_image_ids: np.ndarray,
                 iou_threshold: float = 0.5) -> float:
    raise NotImplementedError
