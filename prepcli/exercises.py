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

    @property
    def file(self) -> str:
        return f"{self.id}.py"


def _p(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


EXERCISES: dict[str, Exercise] = {
    e.id: e
    for e in (
        Exercise("nms", "Non-maximum suppression", ("nms",),
                 _p(r"(?<![a-z])(soft-?)?nms(?![a-z])|非极大值抑制|non-?maximum suppression")),
        Exercise("iou", "Box IoU and GIoU", ("box_iou", "generalized_box_iou"),
                 _p(r"(?<![a-z])g?iou(?![a-z])|交并比")),
        Exercise("conv", "2-D convolution", ("conv2d",),
                 _p(r"卷积|(?<![a-z])conv(olution|2d)?(?![a-z])")),
        Exercise("bn", "Batch normalisation", ("batchnorm",),
                 _p(r"(?<![a-z])bn(?![a-z])|batch ?norm|批(量)?归一化")),
        Exercise("pool", "Max and average pooling, forward and backward",
                 ("max_pool2d", "avg_pool2d", "max_pool2d_backward", "avg_pool2d_backward"),
                 # ROI pooling is a different operation from the exercise's pooling.
                 _p(r"(?<!roi )(?<!roi)(池化|pool(ing)?(?![a-z]))")),
    )
}


def exercise_for(question: str) -> str | None:
    """The exercise a card's question is about, if any (first match in table order)."""
    for ex in EXERCISES.values():
        if ex.card_pattern.search(question):
            return ex.id
    return None
