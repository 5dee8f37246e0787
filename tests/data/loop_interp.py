# exercise: interp
"""A correct solution written the way one writes it by hand in an interview: loops over output
pixels, bins and samples, NumPy only across channels. Test data: it must pass every case.
Variant tests derive wrong files from it by replacing one marked line."""

import math

import numpy as np


def _source(i, n_in, n_out, align_corners):
    if align_corners:
        return i * (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    return max((i + 0.5) * n_in / n_out - 0.5, 0.0)  # half-pixel


def _neighbours(src, n):
    lo = min(int(math.floor(src)), n - 1)
    hi = min(lo + 1, n - 1)
    return lo, hi, min(max(src - lo, 0.0), 1.0)


def bilinear_resize(x, size, align_corners=False):
    n, c, h, w = x.shape
    h_out, w_out = size
    out = np.zeros((n, c, h_out, w_out))
    for i in range(h_out):
        y0, y1, fy = _neighbours(_source(i, h, h_out, align_corners), h)
        for j in range(w_out):
            x0, x1, fx = _neighbours(_source(j, w, w_out, align_corners), w)
            top = (1 - fx) * x[:, :, y0, x0] + fx * x[:, :, y0, x1]
            bottom = (1 - fx) * x[:, :, y1, x0] + fx * x[:, :, y1, x1]
            out[:, :, i, j] = (1 - fy) * top + fy * bottom
    return out


def _sample(img, y, x):
    """Bilinear sample of img (C, H, W) at (y, x), torchvision's border rules."""
    h, w = img.shape[1:]
    if y < -1.0 or y > h or x < -1.0 or x > w:
        return 0.0  # zero outside
    y, x = max(y, 0.0), max(x, 0.0)
    y0, x0 = int(y), int(x)
    if y0 >= h - 1:
        y0 = y1 = h - 1
        y = float(y0)
    else:
        y1 = y0 + 1
    if x0 >= w - 1:
        x0 = x1 = w - 1
        x = float(x0)
    else:
        x1 = x0 + 1
    ly, lx = y - y0, x - x0
    return ((1 - ly) * (1 - lx) * img[:, y0, x0] + (1 - ly) * lx * img[:, y0, x1]
            + ly * (1 - lx) * img[:, y1, x0] + ly * lx * img[:, y1, x1])


def roi_align(x, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False):
    ph, pw = (output_size, output_size) if isinstance(output_size, int) else output_size
    k, c = boxes.shape[0], x.shape[1]
    out = np.zeros((k, c, ph, pw))
    offset = 0.5 if aligned else 0.0  # half-pixel
    for r in range(k):
        img = x[int(boxes[r, 0])]
        x1, y1, x2, y2 = (float(v) * spatial_scale - offset for v in boxes[r, 1:])
        roi_w, roi_h = x2 - x1, y2 - y1
        if not aligned:
            roi_w, roi_h = max(roi_w, 1.0), max(roi_h, 1.0)
        bin_h, bin_w = roi_h / ph, roi_w / pw
        grid_h = sampling_ratio if sampling_ratio > 0 else math.ceil(roi_h / ph)
        grid_w = sampling_ratio if sampling_ratio > 0 else math.ceil(roi_w / pw)
        count = max(grid_h * grid_w, 1)
        for i in range(ph):
            for j in range(pw):
                total = np.zeros(c)
                for iy in range(grid_h):
                    yy = y1 + i * bin_h + (iy + 0.5) * bin_h / grid_h
                    for ix in range(grid_w):
                        xx = x1 + j * bin_w + (ix + 0.5) * bin_w / grid_w
                        total = total + _sample(img, yy, xx)
                out[r, :, i, j] = total / count  # average
    return out
