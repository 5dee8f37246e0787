"""Bilinear resizing and RoIAlign.

Implement `bilinear_resize` and `roi_align`. Grade them with `prep grade exercises/interp.py`,
or work on them in `prep drill interp`.

Conventions of `bilinear_resize` (as torch.nn.functional.interpolate(mode="bilinear",
antialias=False)):
- `x` is (N, C, H, W) float; `size` is (H_out, W_out); the result is (N, C, H_out, W_out).
- Each axis on its own: output index i reads the source coordinate
  align_corners=True:  src = i * (in - 1) / (out - 1), and 0 when out = 1;
  align_corners=False: src = (i + 0.5) * in / out - 0.5, clamped below at 0.
  Lower neighbour floor(src) (at most in - 1), upper neighbour one more, clamped to the last
  index; weights 1 - frac and frac.

Conventions of `roi_align` (as the compiled torchvision.ops.roi_align kernel):
- `x` is (N, C, H, W); `boxes` is (K, 5), rows (batch_index, x1, y1, x2, y2) in image
  coordinates (the batch index is a float: truncate it to int); `output_size` is an int or
  (h, w); the result is (K, C, h, w).
- Box coordinates are multiplied by `spatial_scale`. With `aligned=True` they are shifted by
  -0.5 pixel; with `aligned=False` a box smaller than 1 is stretched to size 1 on that axis.
- Each bin (box size / output size) averages grid_h x grid_w bilinear samples at
  start + p * bin + (g + 0.5) * bin / grid, where grid = sampling_ratio if > 0, else
  ceil(box size / output size) per axis; divide by max(grid_h * grid_w, 1).
- A sample with y < -1, y > H, x < -1 or x > W contributes 0 (and still counts in the
  divisor). Otherwise y, x below 0 are set to 0, and a sample at or beyond the last row
  (column) uses that row (column).
- Do not modify the inputs.

Examples (x[y, x] = 4y + x is linear, so each sample is 4y + x while inside the map):
>>> x = np.arange(4.0).reshape(1, 1, 2, 2)
>>> bilinear_resize(x, (3, 3), align_corners=True)[0, 0]   # the corners stay put
array([[0. , 0.5, 1. ],
       [1. , 1.5, 2. ],
       [2. , 2.5, 3. ]])
>>> bilinear_resize(x, (4, 4))[0, 0]   # src = (i + 0.5) / 2 - 0.5 = 0 (clamped), .25, .75, 1.25
array([[0.  , 0.25, 0.75, 1.  ],
       [0.5 , 0.75, 1.25, 1.5 ],
       [1.5 , 1.75, 2.25, 2.5 ],
       [2.  , 2.25, 2.75, 3.  ]])
>>> x16 = np.arange(16.0).reshape(1, 1, 4, 4)
>>> bilinear_resize(x16, (2, 2))[0, 0]   # src = 0.5 and 2.5: not every other pixel
array([[ 2.5,  4.5],
       [10.5, 12.5]])
>>> roi_align(x16, np.array([[0, 0, 0, 2, 2.0]]), 2)[0, 0]   # one sample per bin, at .5, 1.5
array([[2.5, 3.5],
       [6.5, 7.5]])
>>> roi_align(x16, np.array([[0, 0, 0, 2, 2.0]]), 2, aligned=True)[0, 0]   # shifted by -0.5
array([[0., 1.],
       [4., 5.]])
>>> roi_align(x16, np.array([[0, -4, -4, 2, 2.0]]), 1, sampling_ratio=2)  # samples at -2.5, .5:
array([[[[0.625]]]])
>>> # three of the four are beyond -1 and give 0; the one at (.5, .5) gives 2.5; 2.5 / 4
"""

import numpy as np


def bilinear_resize(x: np.ndarray, size: tuple[int, int], align_corners: bool = False) -> np.ndarray:
    raise NotImplementedError


def roi_align(x: np.ndarray, boxes: np.ndarray, output_size: int | tuple[int, int],
              spatial_scale: float = 1.0, sampling_ratio: int = -1,
              aligned: bool = False) -> np.ndarray:
    raise NotImplementedError
