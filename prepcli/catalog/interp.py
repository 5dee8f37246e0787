"""Bilinear resizing and RoIAlign, as torch.nn.functional.interpolate(mode="bilinear") and
the compiled torchvision.ops.roi_align kernel.

Both are separable: a bilinear sample is a weighted sum over rows times a weighted sum over
columns, and so is an average of samples on a grid. So each axis gets its own small weight
matrix and the image is contracted with them (matrix products), never visited pixel by pixel.
Sample positions are computed with the same operations in the same order as the kernels they
follow, so the discontinuous rules (RoIAlign zeroes samples beyond -1 and H) agree exactly.

The inputs are finite (the contract's cases are): a weight matrix has zeros that would
spread a NaN or an infinity across a whole row of the result, where the kernels keep it local.
"""

from __future__ import annotations

from prepcli.catalog.base import Case, Exercise, Variant, np, pattern

SEED = 20240614  # the random sweeps are the same on every run, so a failure can be replayed


# --- bilinear_resize --------------------------------------------------------------------

def _resize_axis(n_in, n_out, align_corners, half_pixel=True):
    """Lower and upper source indices and the upper weight of each output index on one axis."""
    i = np.arange(n_out, dtype=np.float64)
    if align_corners:
        scale = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        src = scale * i
    elif half_pixel:
        src = np.maximum(n_in / n_out * (i + 0.5) - 0.5, 0.0)
    else:  # the legacy convention without pixel centres (a known wrong variant)
        src = n_in / n_out * i
    lo = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    hi = np.minimum(lo + 1, n_in - 1)
    frac = np.clip(src - lo, 0.0, 1.0)
    return lo, hi, frac


def _resize_matrix(n_in, n_out, align_corners, half_pixel=True):
    """(n_out, n_in): row i holds output i's two bilinear weights on one axis."""
    lo, hi, frac = _resize_axis(n_in, n_out, align_corners, half_pixel)
    m = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    m[rows, lo] += 1.0 - frac
    m[rows, hi] += frac  # a separate statement: lo == hi at the last index adds up
    return m


def _resize(x, size, align_corners=False, half_pixel=True):
    x = np.asarray(x)
    h, w = x.shape[2:]
    h_out, w_out = (size, size) if np.ndim(size) == 0 else (int(size[0]), int(size[1]))
    wy = _resize_matrix(h, h_out, align_corners, half_pixel)
    wx = _resize_matrix(w, w_out, align_corners, half_pixel)
    # Two matrix products (BLAS) beat gathering rows and columns 3x on (8, 64, 128, 128) ->
    # 256x256; columns or rows first, whichever needs less arithmetic.
    if h * w_out * (w + h_out) <= h_out * w * (h + w_out):
        return wy @ (x @ wx.T)
    return (wy @ x) @ wx.T


def bilinear_resize(x, size, align_corners=False):
    """(N, C, H, W) -> (N, C, H_out, W_out), as interpolate(mode="bilinear", antialias=False)."""
    return _resize(x, size, align_corners)


# --- roi_align --------------------------------------------------------------------------

def _roi_axis(start, length, bins, grid, extent, zero_outside=True):
    """(K, bins, extent): for each box and bin, the summed bilinear weight every row (or
    column) gets from the bin's samples along this axis. Positions as torchvision computes
    them: start + p * bin + (g + .5) * bin / grid."""
    k = start.shape[0]
    gmax = int(grid.max(initial=1))
    bin_size = (length / bins)[:, None, None]
    p = np.arange(bins, dtype=np.float64)[None, :, None]
    g = np.arange(gmax, dtype=np.float64)[None, None, :]
    grid3 = grid[:, None, None]
    pos = (start[:, None, None] + p * bin_size) + (g + 0.5) * bin_size / np.maximum(grid3, 1)
    used = np.broadcast_to(g < grid3, pos.shape)
    valid = used & (pos >= -1.0) & (pos <= extent) if zero_outside else used
    pos = np.maximum(pos, 0.0)
    lo = np.floor(pos).astype(np.int64)
    at_end = lo >= extent - 1
    lo = np.where(at_end, extent - 1, lo)
    hi = np.where(at_end, extent - 1, lo + 1)
    frac = np.where(at_end, 0.0, pos - lo)
    base = (np.arange(k)[:, None, None] * bins + np.arange(bins)[None, :, None]) * extent
    weights = np.concatenate([np.where(valid, 1.0 - frac, 0.0).ravel(),
                              np.where(valid, frac, 0.0).ravel()])
    index = np.concatenate([(base + lo).ravel(), (base + hi).ravel()])
    return np.bincount(index, weights, minlength=k * bins * extent).reshape(k, bins, extent)


def _roi_align(x, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False,
               average=True, zero_outside=True, shift=None):
    x = np.asarray(x)
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 5)
    n, c, h, w = x.shape
    ph, pw = ((output_size, output_size) if np.ndim(output_size) == 0
              else (int(output_size[0]), int(output_size[1])))
    k = boxes.shape[0]
    offset = (0.5 if aligned else 0.0) if shift is None else shift
    x1, y1, x2, y2 = (boxes[:, i] * spatial_scale - offset for i in range(1, 5))
    roi_w, roi_h = x2 - x1, y2 - y1
    if not aligned:  # torchvision stretches boxes smaller than a pixel to one pixel
        roi_w, roi_h = np.maximum(roi_w, 1.0), np.maximum(roi_h, 1.0)
    if sampling_ratio > 0:
        grid_h = np.full(k, int(sampling_ratio))
        grid_w = np.full(k, int(sampling_ratio))
    else:
        grid_h = np.ceil(roi_h / ph).astype(np.int64)
        grid_w = np.ceil(roi_w / pw).astype(np.int64)
    wy = _roi_axis(y1, roi_h, ph, grid_h, h, zero_outside)  # (K, ph, H)
    wx = _roi_axis(x1, roi_w, pw, grid_w, w, zero_outside)  # (K, pw, W)
    # Rows first, for every box at once: a block matrix that puts each box's row weights on
    # its own image's rows, times the whole batch laid out as (N*H, C*W). This costs N times
    # the arithmetic of one image per box, but no per-box copy of the feature map is made.
    batch = boxes[:, 0].astype(np.int64)  # truncated, as the kernel's int cast
    block = np.zeros((k, n, ph, h))
    block[np.arange(k), batch] = wy
    block = block.transpose(0, 2, 1, 3).reshape(k * ph, n * h)
    rows = block @ x.transpose(0, 2, 1, 3).reshape(n * h, c * w)  # (K*ph, C*W)
    out = rows.reshape(k, ph * c, w) @ wx.transpose(0, 2, 1)  # (K, ph*C, pw)
    out = out.reshape(k, ph, c, pw).transpose(0, 2, 1, 3)
    if average:
        out = out / np.maximum(grid_h * grid_w, 1)[:, None, None, None]
    return np.ascontiguousarray(out)


def roi_align(x, boxes, output_size, spatial_scale=1.0, sampling_ratio=-1, aligned=False):
    """(N, C, H, W) and (K, 5) boxes -> (K, C, h, w), as torchvision.ops.roi_align."""
    return _roi_align(x, boxes, output_size, spatial_scale, sampling_ratio, aligned)


# --- cases ------------------------------------------------------------------------------

RESIZE_ARGS = ("x", "size")
ROI_ARGS = ("x", "boxes", "output_size")


def _resize_case(name, cat, x, size, seed=None, **kw):
    return Case(name, "bilinear_resize", "bilinear_resize", cat,
                (np.asarray(x, dtype=np.float64), tuple(size)), kw, RESIZE_ARGS, seed=seed)


def _roi_case(name, cat, x, boxes, output_size, seed=None, **kw):
    return Case(name, "roi_align", "roi_align", cat,
                (np.asarray(x, dtype=np.float64),
                 np.asarray(boxes, dtype=np.float64).reshape(-1, 5), output_size),
                kw, ROI_ARGS, seed=seed)


def _resize_cases():
    x4 = np.arange(4.0).reshape(1, 1, 2, 2)
    x16 = np.arange(16.0).reshape(1, 1, 4, 4)
    rng = np.random.default_rng(SEED)
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    x35 = r(2, 3, 3, 5)
    out = [
        _resize_case("example 1: 2x2 -> 3x3, align_corners=True", "example", x4, (3, 3),
                     align_corners=True),
        _resize_case("example 2: 2x2 -> 4x4, align_corners=False", "example", x4, (4, 4)),
        _resize_case("example 3: 4x4 -> 2x2 (downsampling), align_corners=False", "example",
                     x16, (2, 2)),
        _resize_case("output 1x1, align_corners=True (the top-left pixel)", "edge", x35, (1, 1),
                     align_corners=True),
        _resize_case("output 1x1, align_corners=False (the centre)", "edge", x35, (1, 1)),
        _resize_case("one output row, align_corners=True", "edge", x35, (1, 4),
                     align_corners=True),
        _resize_case("upsampling, non-square (3x5 -> 7x4)", "edge", x35, (7, 4)),
        _resize_case("upsampling, non-square, align_corners=True", "edge", x35, (7, 4),
                     align_corners=True),
        _resize_case("downsampling by a factor that does not divide (7x9 -> 3x4)", "edge",
                     r(1, 2, 7, 9), (3, 4)),
        _resize_case("downsampling, align_corners=True", "edge", r(1, 2, 7, 9), (3, 4),
                     align_corners=True),
        _resize_case("same size is a copy", "edge", x35, (3, 5)),
        _resize_case("same size, align_corners=True", "edge", x35, (3, 5), align_corners=True),
        _resize_case("a 1x1 input", "edge", r(1, 2, 1, 1), (3, 2)),
        _resize_case("one input column, upsampled", "edge", r(1, 1, 4, 1), (6, 3)),
    ]
    for i in range(8):
        shape = (int(rng.integers(1, 3)), int(rng.integers(1, 4)),
                 int(rng.integers(1, 12)), int(rng.integers(1, 12)))
        size = (int(rng.integers(1, 16)), int(rng.integers(1, 16)))
        out.append(_resize_case(f"random {i + 1} {shape[2:]} -> {size}", "random",
                                r(*shape), size, seed=SEED + i, align_corners=bool(i % 2)))
    out.append(_resize_case("timing: (4, 16, 64, 64) -> (96, 80)", "timing", r(4, 16, 64, 64),
                            (96, 80), seed=SEED))
    return out


def _random_boxes(rng, k, n, h, w, scale, margin=3.0):
    """Boxes (batch, x1, y1, x2, y2) in image coordinates, some reaching outside the map."""
    x1 = rng.uniform(-margin, w + margin - 1, size=k)
    y1 = rng.uniform(-margin, h + margin - 1, size=k)
    x2 = x1 + rng.uniform(0.05, w / 1.5, size=k)
    y2 = y1 + rng.uniform(0.05, h / 1.5, size=k)
    b = rng.integers(0, n, size=k).astype(np.float64)
    return np.stack([b, x1, y1, x2, y2], axis=1) / np.array([1, scale, scale, scale, scale])


def _roi_cases():
    x16 = np.arange(16.0).reshape(1, 1, 4, 4)
    rng = np.random.default_rng(SEED + 1000)
    r = lambda *s: rng.normal(size=s)  # noqa: E731
    x3 = r(3, 2, 6, 7)
    out = [
        _roi_case("example 1: a 2x2 box, output 2", "example", x16, [[0, 0, 0, 2, 2]], 2),
        _roi_case("example 2: the same box, aligned=True", "example", x16, [[0, 0, 0, 2, 2]], 2,
                  aligned=True),
        _roi_case("example 3: a box reaching outside the map", "example", x16,
                  [[0, -4, -4, 2, 2]], 1, sampling_ratio=2),
        _roi_case("samples exactly at -1 and at H, W count; beyond, they are 0", "edge", x3,
                  [[0, -3, -3, 1, 1], [1, 5, 4, 9, 8], [2, 5.5, 4.5, 9.5, 8.5],
                   [0, -3.5, -3.5, 0.5, 0.5]], 1, sampling_ratio=1),
        _roi_case("a box entirely outside the map", "edge", x3, [[1, 20, 20, 30, 25]], 2),
        _roi_case("boxes smaller than a pixel, aligned=False (stretched to 1)", "edge", x3,
                  [[0, 1.2, 1.3, 1.5, 1.6], [2, 3.0, 2.0, 3.1, 2.05]], 2),
        _roi_case("boxes smaller than a pixel, aligned=True (not stretched)", "edge", x3,
                  [[0, 1.2, 1.3, 1.5, 1.6], [2, 3.0, 2.0, 3.1, 2.05]], 2, aligned=True),
        _roi_case("adaptive grid differs per box and per axis", "edge", x3,
                  [[0, 0.3, 0.2, 5.7, 2.1], [1, 1, 1, 2.5, 5.9], [2, 0, 0, 7, 6]], (2, 3)),
        _roi_case("sampling_ratio=2", "edge", x3,
                  [[0, 0.3, 0.2, 5.7, 2.1], [1, 1, 1, 2.5, 5.9]], (2, 3), sampling_ratio=2),
        _roi_case("sampling_ratio=3, aligned=True", "edge", x3,
                  [[2, 0.3, 0.2, 5.7, 2.1], [1, -1, 1, 2.5, 7.9]], 3, sampling_ratio=3,
                  aligned=True),
        _roi_case("sampling_ratio=0 is adaptive", "edge", x3,
                  [[0, 0.3, 0.2, 5.7, 2.1], [1, 1, 1, 2.5, 5.9]], 2, sampling_ratio=0),
        _roi_case("batch indices pick the image (given as floats)", "edge", x3,
                  [[2, 1, 1, 4, 4], [0, 1, 1, 4, 4], [1, 1, 1, 4, 4], [2, 0, 0, 6, 5]], 2),
        # (truncated, as the kernel's int cast: 1.7 is image 1 and 0.9 image 0; rounded, they
        # were 2 and 1, and every other case gave whole numbers: fault hunt 20)
        _roi_case("a fractional batch index is truncated (1.7 is image 1)", "edge", x3,
                  [[1.7, 1, 1, 4, 4], [0.9, 0.5, 0.5, 5, 5], [2.0, 0, 0, 6, 5]], 2),
        _roi_case("output_size as a (h, w) tuple", "edge", x3,
                  [[1, 0.5, 0.5, 6.5, 4.5]], (3, 2)),
        _roi_case("spatial_scale 0.25 (boxes in image coordinates, map at stride 4)", "edge",
                  x3, [[0, 2, 3, 20, 17], [2, -6, -6, 30, 26]], 2, spatial_scale=0.25),
        _roi_case("spatial_scale 0.5, aligned=True", "edge", x3,
                  [[1, 2, 3, 11, 9], [0, 0, 0, 1, 1]], (2, 3), spatial_scale=0.5, aligned=True),
        _roi_case("no boxes", "edge", x3, np.zeros((0, 5)), 2),
        _roi_case("many channels, one box over the whole map", "edge", r(1, 5, 4, 6),
                  [[0, 0, 0, 6, 4]], 2),
    ]
    for i in range(8):
        n, c = int(rng.integers(1, 4)), int(rng.integers(1, 5))
        h, w = int(rng.integers(4, 16)), int(rng.integers(4, 16))
        k = int(rng.integers(1, 12))
        scale = float(rng.choice([1.0, 0.5, 0.25]))
        size = int(rng.integers(1, 5)) if i % 2 else (int(rng.integers(1, 5)),
                                                      int(rng.integers(1, 5)))
        ratio = int(rng.choice([-1, 0, 1, 2, 3]))
        out.append(_roi_case(f"random {i + 1} ({k} boxes on {(n, c, h, w)})", "random",
                             r(n, c, h, w), _random_boxes(rng, k, n, h, w, scale), size,
                             seed=SEED + 1000 + i, spatial_scale=scale, sampling_ratio=ratio,
                             aligned=bool(rng.integers(0, 2))))
    out.append(_roi_case("timing: 256 boxes on (2, 32, 32, 32), output 7", "timing",
                         r(2, 32, 32, 32), _random_boxes(rng, 256, 2, 32, 32, 1.0, 2.0), 7,
                         seed=SEED + 1099))
    return out


def make_cases():
    return _resize_cases() + _roi_cases()


# --- known wrong conventions ------------------------------------------------------------

def _swapped(case):
    if case.fn != "bilinear_resize":
        return None
    return _resize(*case.args, align_corners=not case.kwargs.get("align_corners", False))


def _no_half_pixel(case):
    if case.fn == "bilinear_resize":
        return None if case.kwargs.get("align_corners", False) else _resize(
            *case.args, half_pixel=False)
    return _roi_align(*case.args, **case.kwargs, shift=0.0) if case.kwargs.get("aligned") \
        else None


def _summed(case):
    return _roi_align(*case.args, **case.kwargs, average=False) if case.fn == "roi_align" \
        else None


def _not_zeroed(case):
    return _roi_align(*case.args, **case.kwargs, zero_outside=False) \
        if case.fn == "roi_align" else None


EXERCISE = Exercise(
    id="interp",
    title="Bilinear resize and RoIAlign",
    parts=("bilinear_resize", "roi_align"),
    card_pattern=pattern(r"ro[il] ?(align|pool)|双线性|bilinear|插值|interpolat|上采样|upsampl|resiz"),
    hints=(
        "Bilinear interpolation is separable: interpolate along the rows, then along the "
        "columns. Compute the source coordinate of every output index once per axis, then "
        "gather whole rows/columns with fancy indexing.",
        "bilinear_resize: the source of output i is (i + 0.5) * in / out - 0.5 clamped at 0 "
        "(align_corners=False) or i * (in - 1) / (out - 1) (True, 0 when out = 1); lower index "
        "floor(src), upper min(lower + 1, in - 1), weights 1 - frac and frac.",
        "roi_align: scale the box, subtract 0.5 when aligned, else stretch sizes below 1 to 1; "
        "bin = size / output; grid = sampling_ratio or ceil(size / output); sample at start + "
        "p * bin + (g + 0.5) * bin / grid; a sample beyond [-1, H] x [-1, W] adds 0, others "
        "are clamped to [0, H - 1]; divide by grid_h * grid_w.",
    ),
    references={"bilinear_resize": bilinear_resize, "roi_align": roi_align},
    make_cases=make_cases,
    variants=(
        Variant("align_corners swapped",
                "align_corners=True maps the corner pixels onto each other: src = i * (in - 1) "
                "/ (out - 1); False maps pixel centres: src = (i + 0.5) * in / out - 0.5",
                _swapped),
        Variant("half-pixel offset missing",
                "pixel centres are at +0.5: with align_corners=False sample at (i + 0.5) * in "
                "/ out - 0.5; roi_align(aligned=True) shifts box coordinates by -0.5",
                _no_half_pixel),
        Variant("bin samples summed instead of averaged",
                "divide each bin's sum by the number of samples, grid_h * grid_w",
                _summed),
        Variant("out-of-range samples not zeroed",
                "a sample with y < -1, y > H, x < -1 or x > W contributes 0 (it still counts "
                "in the divisor); only samples inside that range are clamped to the map",
                _not_zeroed),
    ),
)
