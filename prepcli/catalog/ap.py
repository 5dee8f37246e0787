"""Average precision: scikit-learn's `average_precision_score` for scores and 0/1 labels, and
single-class detection AP with COCO-style matching and the all-point interpolated area
(VOC 2010+)."""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern
from prepcli.catalog.common import _area, _safe_div

SEED = 20240615  # the random sweeps are the same on every run, so a failure can be replayed


# --- average_precision ------------------------------------------------------------------

def _pr_points(scores, labels, merge_ties=True):
    """Precision and recall at each threshold, highest score first. Tied scores form one
    threshold (scikit-learn), unless merge_ties is False (a known wrong variant)."""
    scores = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(labels) == 1
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(positive[order])
    last = np.arange(scores.size)
    if merge_ties:  # the last index of each run of equal scores
        s = scores[order]
        last = np.flatnonzero(np.append(s[1:] != s[:-1], True)) if s.size else last
    tp = tp[last]
    precision = tp / (last + 1.0)
    recall = tp / positive.sum() if positive.any() else np.zeros(tp.size)
    return precision, recall


def average_precision(scores, labels):
    """As sklearn.metrics.average_precision_score: sum of (R_n - R_{n-1}) * P_n."""
    precision, recall = _pr_points(scores, labels)
    return float(np.sum(np.diff(recall, prepend=0.0) * precision))


# --- detection_ap -----------------------------------------------------------------------

def _pair_iou(a, b):
    """IoU of a[i] with b[i], continuous coordinates, 0 where the union is 0."""
    wh = np.clip(np.minimum(a[:, 2:], b[:, 2:]) - np.maximum(a[:, :2], b[:, :2]), 0.0, None)
    inter = wh[:, 0] * wh[:, 1]
    return _safe_div(inter, _area(a) + _area(b) - inter)


def _segments(count):
    """For segments of the given lengths laid end to end: each one's start, and each
    element's offset inside its segment."""
    start = np.cumsum(count) - count
    return start, np.arange(int(count.sum())) - np.repeat(start, count)


def _matches(pred_boxes, pred_scores, pred_image_ids, gt_boxes, gt_image_ids,
             iou_threshold=0.5, voc=False, strict=False):
    """Whether each prediction, in decreasing score order, is a true positive; and the number
    of ground truths."""
    pb = np.asarray(pred_boxes, dtype=np.float64).reshape(-1, 4)
    gb = np.asarray(gt_boxes, dtype=np.float64).reshape(-1, 4)
    pid, gid = np.asarray(pred_image_ids).ravel(), np.asarray(gt_image_ids).ravel()
    n = pid.size
    order = np.argsort(-np.asarray(pred_scores, dtype=np.float64), kind="stable")
    # Every (prediction, ground truth of its image) pair, ground truths in index order, and
    # all their IoUs at once: prediction p's pairs are start[p] : start[p] + count[p].
    by_image = np.argsort(gid, kind="stable")
    lo = np.searchsorted(gid[by_image], pid, "left")
    count = np.searchsorted(gid[by_image], pid, "right") - lo
    start, within = _segments(count)
    pair_gt = by_image[np.repeat(lo, count) + within]
    iou = _pair_iou(np.repeat(pb, count, axis=0), gb[pair_gt])
    # Round r holds each image's r-th prediction in score order.
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    grouped = np.lexsort((rank, pid))
    first = np.ones(n, dtype=bool)
    first[1:] = pid[grouped][1:] != pid[grouped][:-1]
    round_of = np.empty(n, dtype=np.int64)
    round_of[grouped] = np.arange(n) - np.maximum.accumulate(np.where(first, np.arange(n), 0))
    by_round = np.argsort(round_of, kind="stable")
    bounds = np.searchsorted(round_of[by_round], np.arange(round_of.max(initial=-1) + 2))
    matched = np.zeros(gb.shape[0], dtype=bool)
    hit = np.zeros(n, dtype=bool)
    # Sequential by nature: a match takes its ground truth away from every later prediction
    # of the same image. Images are independent, so one round matches one prediction per
    # image, all images at once: the loop runs over ranks within an image, not predictions.
    for r in range(bounds.size - 1):
        ps = by_round[bounds[r]:bounds[r + 1]]
        ps = ps[count[ps] > 0]
        if ps.size == 0:
            continue
        seg, off = _segments(count[ps])
        idx = np.repeat(start[ps], count[ps]) + off
        vals = iou[idx] if voc else np.where(matched[pair_gt[idx]], -1.0, iou[idx])
        best = np.maximum.reduceat(vals, seg)
        # equal IoU: the first in the segment, i.e. the lower ground-truth index
        at = np.minimum.reduceat(np.where(vals == np.repeat(best, count[ps]),
                                          np.arange(vals.size), vals.size), seg)
        g = pair_gt[idx[at]]
        ok = (best > iou_threshold if strict else best >= iou_threshold) & ~matched[g]
        matched[g[ok]] = True
        hit[ps[ok]] = True
    return hit[order], gb.shape[0]


def _detection_pr(tp, n_gt):
    hits = np.cumsum(tp)
    return hits / np.arange(1.0, tp.size + 1), hits / n_gt


def _all_point(tp, n_gt, envelope=True):
    if n_gt == 0:
        return float("nan")
    precision, recall = _detection_pr(tp, n_gt)
    if envelope:  # precision made monotone from the right
        precision = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall, prepend=0.0) * precision))


def detection_ap(pred_boxes, pred_scores, pred_image_ids, gt_boxes, gt_image_ids,
                 iou_threshold=0.5):
    """One class, COCO-style matching, all-point interpolated AP; NaN without ground truth."""
    return _all_point(*_matches(pred_boxes, pred_scores, pred_image_ids, gt_boxes,
                                gt_image_ids, iou_threshold))


# --- cases ------------------------------------------------------------------------------

AP_ARGS = ("scores", "labels")
DET_ARGS = ("pred_boxes", "pred_scores", "pred_image_ids", "gt_boxes", "gt_image_ids")


def _ap_case(name, cat, scores, labels, seed=None, dtype=None):
    labels = np.asarray(labels, dtype=dtype or np.int64)
    return Case(name, "average_precision", "average_precision", cat,
                (np.asarray(scores, dtype=np.float64), labels), {}, AP_ARGS, seed=seed)


def _det_case(name, cat, pb, ps, pi, gb, gi, seed=None, **kw):
    args = (np.asarray(pb, dtype=np.float64).reshape(-1, 4), np.asarray(ps, dtype=np.float64),
            np.asarray(pi, dtype=np.int64), np.asarray(gb, dtype=np.float64).reshape(-1, 4),
            np.asarray(gi, dtype=np.int64))
    return Case(name, "detection_ap", "detection_ap", cat, args, kw, DET_ARGS, seed=seed)


def _ap_cases():
    rng = np.random.default_rng(SEED)
    out = [
        _ap_case("example 1", "example", [0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]),
        _ap_case("example 2: tied scores are one threshold", "example", [0.8, 0.8, 0.4],
                 [1, 0, 1]),
        _ap_case("example 3: no positive label gives 0.0", "example", [0.5, 0.2], [0, 0]),
        _ap_case("all positives", "edge", [0.3, 0.9, 0.1, 0.5], [1, 1, 1, 1]),
        _ap_case("bool labels", "edge", [0.1, 0.4, 0.35, 0.8], [False, False, True, True],
                 dtype=bool),
        _ap_case("every score equal (AP = share of positives)", "edge", [0.5] * 6,
                 [1, 0, 0, 1, 0, 0]),
        _ap_case("ties inside the ranking", "edge", [3, 3, 2, 2, 2, 1, 1, 0],
                 [0, 1, 1, 0, 0, 1, 0, 1]),
        _ap_case("perfect ranking", "edge", [0.9, 0.8, 0.3, 0.2], [1, 1, 0, 0]),
        _ap_case("worst ranking", "edge", [0.9, 0.8, 0.3, 0.2], [0, 0, 1, 1]),
        _ap_case("one sample, positive", "edge", [0.7], [1]),
        _ap_case("negative and large scores", "edge", [-1e3, 5.0, -2.5, 1e6, 0.0],
                 [1, 0, 1, 0, 1]),
        _ap_case("scores not sorted, one positive", "edge", [0.2, 0.9, 0.5, 0.7, 0.1],
                 [0, 0, 1, 0, 0]),
    ]
    for i in range(8):
        n = int(rng.integers(5, 300))
        scores = rng.uniform(size=n)
        if i % 2:
            scores = np.round(scores * int(rng.integers(3, 20)))  # many ties
        labels = (rng.uniform(size=n) < rng.uniform(0.1, 0.7)).astype(np.int64)
        out.append(_ap_case(f"random {i + 1} (N={n})", "random", scores, labels,
                            seed=SEED + i))
    n = 200_000
    out.append(_ap_case(f"timing: N={n}, scores with ties", "timing",
                        np.round(rng.uniform(size=n), 3), rng.integers(0, 2, size=n),
                        seed=SEED + 99))
    return out


def _jitter(rng, boxes, amount):
    wh = np.repeat(boxes[:, 2:] - boxes[:, :2], 2, axis=0).reshape(-1, 4)
    return boxes + rng.normal(scale=amount, size=boxes.shape) * wh


def _random_detections(rng, images, max_gt, extra, ties=False):
    """Ground truth per image, and predictions: jittered copies (some twice) and clutter."""
    gts, gids, preds, pids, boost = [], [], [], [], []
    for img in range(images):  # generating the data, not the kernel
        k = int(rng.integers(0, max_gt + 1))
        xy = rng.uniform(0, 80, size=(k, 2))
        g = np.hstack([xy, xy + rng.uniform(5, 40, size=(k, 2))])
        copies = g[rng.uniform(size=k) < 0.8]
        copies = np.vstack([copies, copies[rng.uniform(size=len(copies)) < 0.3]])
        m = int(rng.integers(0, extra + 1))
        xy = rng.uniform(0, 80, size=(m, 2))
        clutter = np.hstack([xy, xy + rng.uniform(5, 40, size=(m, 2))])
        p = np.vstack([_jitter(rng, copies, 0.1), clutter])
        gts.append(g)
        preds.append(p)
        boost.append(np.arange(len(p)) < len(copies))
        gids += [img * 7 + 3] * k
        pids += [img * 7 + 3] * len(p)
    pb = np.vstack(preds)
    pb = np.hstack([np.minimum(pb[:, :2], pb[:, 2:]), np.maximum(pb[:, :2], pb[:, 2:])])
    scores = rng.uniform(size=len(pb)) + 0.5 * np.concatenate(boost)  # copies rank higher
    if ties:
        scores = np.round(scores * 5) / 5
    return pb, scores, np.array(pids), np.vstack(gts), np.array(gids)


def _crowded(rng, images, n_gt, n_pred):
    """Small integer boxes on a small grid, scores in steps of 0.25."""
    def boxes(k):
        xy = rng.integers(0, 6, size=(k, 2))
        return np.hstack([xy, xy + rng.integers(1, 4, size=(k, 2))])
    return (boxes(n_pred), rng.integers(0, 4, size=n_pred) / 4,
            rng.integers(0, images, size=n_pred), boxes(n_gt), rng.integers(0, images, size=n_gt))


def _det_cases():
    rng = np.random.default_rng(SEED + 1000)
    g2 = [[0, 0, 10, 10], [20, 20, 30, 30]]
    out = [
        _det_case("example 1: a duplicate is a false positive", "example",
                  [[0, 0, 10, 10], [1, 1, 10, 10], [20, 21, 30, 30]], [0.9, 0.8, 0.7],
                  [0, 0, 0], g2, [0, 0]),
        _det_case("example 2: a miss ranked first (the envelope lifts it)", "example",
                  [[50, 50, 60, 60], [0, 0, 10, 10], [20, 20, 30, 31]], [0.9, 0.8, 0.7],
                  [0, 0, 0], g2, [0, 0]),
        _det_case("example 3: ground truth but no predictions gives 0.0", "example",
                  np.zeros((0, 4)), [], [], g2, [0, 0]),
        _det_case("predictions on an image without ground truth are false positives", "edge",
                  [[0, 0, 10, 10], [0, 0, 10, 10], [20, 20, 30, 30]], [0.9, 0.95, 0.5],
                  [1, 2, 1], g2, [1, 1]),
        _det_case("no ground truth at all gives NaN", "edge", [[0, 0, 1, 1]], [0.5], [0],
                  np.zeros((0, 4)), []),
        _det_case("nothing at all gives NaN", "edge", np.zeros((0, 4)), [], [],
                  np.zeros((0, 4)), []),
        # Two predictions with the same score: the first in input order is ranked first (a
        # miss), then the hit. Not one threshold.
        _det_case("equal scores keep input order", "edge",
                  [[50, 50, 60, 60], [0, 0, 10, 10], [20, 20, 30, 30]], [0.6, 0.6, 0.5],
                  [0, 0, 0], g2, [0, 0]),
        # The first prediction is as close to ground truth 0 as to 1 and takes 0 (the lower
        # index); the second overlaps only 1 and still finds it free.
        _det_case("equal IoU: the lower ground-truth index", "edge",
                  [[5, 0, 15, 10], [10, 0, 20, 10]], [0.9, 0.8], [0, 0],
                  [[0, 0, 10, 10], [10, 0, 20, 10]], [0, 0], iou_threshold=0.3),
        # IoU exactly 0.5 = 2 / 4: a match with >=.
        _det_case("IoU exactly at the threshold matches", "edge",
                  [[0, 0, 2, 1], [5, 5, 9, 6]], [0.9, 0.8], [0, 0],
                  [[0, 0, 4, 1], [5, 5, 7, 6]], [0, 0]),
        # The second prediction overlaps ground truth 0 most, but 0 is taken: it matches 1.
        _det_case("a taken ground truth: the next best free one matches", "edge",
                  [[0, 0, 10, 10], [0, 0, 11, 10]], [0.9, 0.8], [0, 0],
                  [[0, 0, 10, 10], [2, 0, 12, 10]], [0, 0]),
        _det_case("a precision dip before a rise", "edge",
                  [[0, 0, 10, 10], [40, 40, 50, 50], [60, 60, 70, 70], [20, 20, 30, 30],
                   [80, 80, 90, 90]], [0.9, 0.8, 0.7, 0.6, 0.5], [0, 0, 0, 0, 0],
                  g2 + [[80, 80, 90, 90]], [0, 0, 0]),
        _det_case("image ids that are not 0..n-1", "edge",
                  [[0, 0, 10, 10], [0, 0, 10, 10], [20, 20, 30, 30]], [0.3, 0.9, 0.5],
                  [42, 7, 7], [[0, 0, 10, 10], [0, 0, 10, 10], [20, 20, 30, 30]], [7, 42, 42]),
        _det_case("threshold 0.75", "edge",
                  [[0, 0, 10, 10], [20, 22, 30, 30], [21, 20, 30, 30]], [0.9, 0.8, 0.7],
                  [0, 0, 0], g2, [0, 0], iou_threshold=0.75),
        _det_case("threshold 1: only an exact box matches", "edge",
                  [[0, 0, 10, 10], [20, 20, 30, 30.5]], [0.9, 0.8], [0, 0], g2, [0, 0],
                  iou_threshold=1.0),
        _det_case("a zero-area ground truth is never matched", "edge",
                  [[0, 0, 10, 10], [5, 5, 5, 5]], [0.9, 0.8], [0, 0],
                  [[0, 0, 10, 10], [5, 5, 5, 5]], [0, 0]),
    ]
    for i in range(8):
        images, max_gt = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        thr = float(rng.choice([0.5, 0.75, round(float(rng.uniform(0.3, 0.8)), 3)]))
        pb, ps, pi, gb, gi = _random_detections(rng, images, max_gt, 4, ties=i % 3 == 0)
        out.append(_det_case(f"random {i + 1} ({len(ps)} predictions, {len(gi)} ground truth)",
                             "random", pb, ps, pi, gb, gi, seed=SEED + 1000 + i,
                             iou_threshold=thr))
    for i in range(3):  # crowded: equal scores, equal IoUs, IoUs at the threshold
        pb, ps, pi, gb, gi = _crowded(rng, 2, 8, 12)
        out.append(_det_case(f"random crowded {i + 1} ({len(ps)} predictions on a 6x6 grid)",
                             "random", pb, ps, pi, gb, gi, seed=SEED + 1010 + i))
    pb, ps, pi, gb, gi = _random_detections(rng, 300, 12, 10)
    out.append(_det_case(f"timing: {len(ps)} predictions on 300 images", "timing", pb, ps, pi,
                         gb, gi, seed=SEED + 1099))
    return out


def make_cases():
    return _ap_cases() + _det_cases()


# --- known wrong conventions ------------------------------------------------------------

def _eleven_point(precision, recall):
    if recall.size and np.isnan(recall).any():
        return float("nan")
    # np.arange(0., 1.1, 0.1), as the VOC devkit writes it
    levels = np.arange(0.0, 1.1, 0.1)
    reach = recall[None, :] >= levels[:, None]
    best = np.where(reach, precision[None, :], 0.0).max(axis=1, initial=0.0)
    return float(best.mean())


def _eleven(case):
    if case.fn == "average_precision":
        return _eleven_point(*_pr_points(*case.args))
    tp, n_gt = _matches(*case.args, case.kwargs.get("iou_threshold", 0.5))
    return float("nan") if n_gt == 0 else _eleven_point(*_detection_pr(tp, n_gt))


def _det_variant(**flags):
    def compute(case):
        if case.fn != "detection_ap":
            return None
        tp, n_gt = _matches(*case.args, case.kwargs.get("iou_threshold", 0.5),
                            voc=flags.get("voc", False), strict=flags.get("strict", False))
        return _all_point(tp, n_gt, envelope=flags.get("envelope", True))
    return compute


def _ties_split(case):
    if case.fn != "average_precision":
        return None
    precision, recall = _pr_points(*case.args, merge_ties=False)
    return float(np.sum(np.diff(recall, prepend=0.0) * precision))


EXERCISE = Exercise(
    id="ap",
    title="Average precision and detection AP",
    parts=("average_precision", "detection_ap"),
    card_pattern=pattern(r"(?-i:(?<![A-Za-z])m?AP(?![A-Za-z]))|average precision|平均精度"
                         r"|AP ?计算|目标检测评价|precision[- ]recall|PR ?曲线"),
    hints=(
        "Sort once by decreasing score; cumulative sums of hits give precision and recall at "
        "every rank without a loop. Detection matching is the one place a loop is natural: "
        "each match takes a ground truth away from the predictions after it.",
        "average_precision: tied scores are one threshold, so keep only the last rank of each "
        "run of equal sorted scores; AP = sum of (R_n - R_{n-1}) * P_n, with no interpolation. "
        "detection_ap: np.argsort(-scores, kind='stable') and no merging of ties.",
        "detection_ap: a prediction takes the free ground truth of its image with the highest "
        "IoU if that IoU >= threshold, else it is a false positive; then make precision "
        "monotone with np.maximum.accumulate(precision[::-1])[::-1] and sum over the recall "
        "steps. No ground truth: NaN.",
    ),
    references={"average_precision": average_precision, "detection_ap": detection_ap},
    make_cases=make_cases,
    variants=(
        Variant("11-point interpolation (VOC 2007)",
                "average over every recall step, not over recall levels 0, 0.1, ..., 1: "
                "AP = sum of (R_n - R_{n-1}) * P_n (detection: with the precision envelope)",
                _eleven),
        Variant("a ground truth matched twice (VOC-style greedy)",
                "take the best ground truth among those not matched yet; VOC's devkit takes the "
                "best of all and then counts a false positive if it was already matched",
                _det_variant(voc=True)),
        Variant("IoU strictly greater than the threshold",
                "a prediction matches when IoU >= iou_threshold", _det_variant(strict=True)),
        Variant("no monotone precision envelope",
                "make precision monotone from the right before summing: "
                "np.maximum.accumulate(precision[::-1])[::-1]",
                _det_variant(envelope=False)),
        Variant("tied scores taken one at a time",
                "scores that are equal form one threshold: keep only the last rank of each run "
                "of equal sorted scores", _ties_split),
    ),
)
