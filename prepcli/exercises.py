"""One table for every exercise: ids, files, parts, and which cards relate to each.

The grader, `prep drill`, `prep exercises` and the notes importer all read this table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    parts: tuple[str, ...]
    # A card whose question matches this pattern is about this exercise (`exercise: <id>`).
    card_pattern: re.Pattern
    hints: tuple[str, ...] = ()  # from gentle to specific

    @property
    def file(self) -> str:
        return f"{self.id}.py"

    @property
    def functions(self) -> tuple[str, ...]:
        """The functions to write (a part may be a level of one function, like conv's)."""
        return tuple(dict.fromkeys(p.split(" (")[0] for p in self.parts))


def _p(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


EXERCISES: dict[str, Exercise] = {
    e.id: e
    for e in (
        Exercise("nms", "Non-maximum suppression", ("nms",),
                 _p(r"(?<![a-z])(soft-?)?nms(?![a-z])|非极大值抑制|non-?maximum suppression"), (
                     "Sort once by score (stably, so equal scores keep index order), then loop "
                     "over the boxes you keep — never over pairs of boxes.",
                     "For the kept box, compute its IoU with all remaining boxes at once with "
                     "np.maximum/np.minimum on the coordinate columns; keep only those with "
                     "IoU <= threshold.",
                     "order = np.argsort(-scores, kind='stable'); while order.size: i = order[0]; "
                     "...; order = order[1:][iou <= iou_threshold]. Areas without +1; guard "
                     "union == 0.",
                 )),
        Exercise("iou", "Box IoU and GIoU", ("box_iou", "generalized_box_iou"),
                 _p(r"(?<![a-z])g?iou(?![a-z])|交并比"), (
                     "Broadcast: boxes1[:, None, :] against boxes2[None, :, :] gives every pair "
                     "without a loop.",
                     "Intersection: max of the top-left corners, min of the bottom-right, "
                     "clipped at 0. Union: area1[:, None] + area2[None, :] - inter.",
                     "GIoU: the enclosing box uses min of the top-left corners and max of the "
                     "bottom-right; use np.divide(..., where=denominator > 0) for zero areas.",
                 )),
        Exercise("conv", "2-D convolution", ("conv2d", "conv2d (dilation, groups)"),
                 _p(r"卷积|(?<![a-z])conv(olution|2d)?(?![a-z])"), (
                     "Pad once with np.pad, compute the output size with floor division, and "
                     "do not flip the kernel.",
                     "numpy.lib.stride_tricks.sliding_window_view(x_padded, (R, S), axis=(2, 3)) "
                     "gives every window; take [..., ::stride_h, ::stride_w, :, :].",
                     "Contract windows (N, C, Ho, Wo, R, S) with weight (K, C, R, S) in one "
                     "np.einsum('nchwrs,kcrs->nkhw', ...). Dilation: a window of span "
                     "d*(R-1)+1 sliced ::d. Groups: reshape C and K into (groups, ...).",
                 )),
        Exercise("bn", "Batch normalisation", ("batchnorm",),
                 _p(r"(?<![a-z])bn(?![a-z])|batch ?norm|批(量)?归一化"), (
                     "Statistics are per channel: reduce over axis 0 for (N, C), over "
                     "(0, 2, 3) for (N, C, H, W), and reshape them to broadcast back.",
                     "Normalise with the biased variance (x.var()), but store the unbiased one "
                     "(times n / (n - 1)) in the running estimate.",
                     "PyTorch momentum: new = (1 - momentum) * old + momentum * batch. eps goes "
                     "inside the square root. Return new arrays; eval returns copies.",
                 )),
        Exercise("pool", "Max and average pooling, forward and backward",
                 ("max_pool2d", "avg_pool2d", "max_pool2d_backward", "avg_pool2d_backward"),
                 # ROI pooling is a different operation from the exercise's pooling.
                 _p(r"(?<!roi )(?<!roi)(池化|pool(ing)?(?![a-z]))"), (
                     "stride=None means stride = kernel_size. Pad max pooling with -np.inf and "
                     "average pooling with 0.",
                     "sliding_window_view over the padded input, strided, then .max() or "
                     ".sum() over the last two axes. np.max propagates NaN; np.nanmax does not.",
                     "Backward: find each window's first argmax on the flattened window; loop "
                     "over the kernel's kh*kw offsets (not the pixels) adding dout into a "
                     "padded gradient, then crop the padding.",
                 )),
    )
}


def exercise_for(question: str) -> str | None:
    """The exercise a card's question is about, if any (first match in table order)."""
    for ex in EXERCISES.values():
        if ex.card_pattern.search(question):
            return ex.id
    return None
