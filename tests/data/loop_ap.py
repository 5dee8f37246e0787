# exercise: ap
"""A correct solution written with plain loops, as one writes it by hand in an interview.
Test data: it must pass every case. Variant tests derive wrong files from it by replacing one
marked line."""

import math


def average_precision(scores, labels):
    ranked = sorted(zip(scores.tolist(), labels.tolist()), key=lambda t: -t[0])
    positives = sum(1 for _, label in ranked if label == 1)
    if positives == 0:
        return 0.0
    ap, tp, prev_recall = 0.0, 0, 0.0
    for i, (score, label) in enumerate(ranked):
        tp += label == 1
        if i + 1 < len(ranked) and ranked[i + 1][0] == score:
            continue  # tied scores: one threshold
        recall = tp / positives
        ap += (recall - prev_recall) * tp / (i + 1)
        prev_recall = recall
    return ap


def _iou(a, b):
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def detection_ap(pred_boxes, pred_scores, pred_image_ids, gt_boxes, gt_image_ids,
                 iou_threshold=0.5):
    n_gt = len(gt_boxes)
    if n_gt == 0:
        return math.nan
    by_image = {}
    for g, image in enumerate(gt_image_ids.tolist()):
        by_image.setdefault(image, []).append(g)
    boxes, gts = pred_boxes.tolist(), gt_boxes.tolist()
    scores, images = pred_scores.tolist(), pred_image_ids.tolist()
    taken = [False] * n_gt
    hits = []
    for p in sorted(range(len(scores)), key=lambda i: -scores[i]):  # stable
        best, best_iou = -1, -1.0
        for g in by_image.get(images[p], []):
            if taken[g]:  # matched already
                continue
            iou = _iou(boxes[p], gts[g])
            if iou > best_iou:
                best, best_iou = g, iou
        if best >= 0 and best_iou >= iou_threshold:  # threshold
            taken[best] = True
            hits.append(True)
        else:
            hits.append(False)
    precision, recall, tp = [], [], 0
    for i, hit in enumerate(hits):
        tp += hit
        precision.append(tp / (i + 1))
        recall.append(tp / n_gt)
    for i in range(len(precision) - 2, -1, -1):
        precision[i] = max(precision[i], precision[i + 1])  # envelope
    ap, prev = 0.0, 0.0
    for p, r in zip(precision, recall):
        ap += (r - prev) * p  # all-point
        prev = r
    return ap
