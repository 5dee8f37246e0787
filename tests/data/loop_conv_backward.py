"""conv2d_backward written the plain way, with explicit loops over the output positions
(test data: it must give the reference's result on every conv2d_backward case)."""

import numpy as np


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def conv2d_backward(dout, x, weight, stride=1, padding=0):
    sh, sw = _pair(stride)
    ph, pw = _pair(padding)
    n, c, h, w = x.shape
    k, _, r, s = weight.shape
    ho, wo = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    dxp = np.zeros(xp.shape)
    dweight = np.zeros(weight.shape)
    dbias = np.zeros(k)
    for b in range(n):
        for o in range(k):
            for i in range(ho):
                for j in range(wo):
                    g = dout[b, o, i, j]
                    window = (slice(i * sh, i * sh + r), slice(j * sw, j * sw + s))
                    dxp[b, :, window[0], window[1]] += g * weight[o]
                    dweight[o] += g * xp[b, :, window[0], window[1]]
                    dbias[o] += g
    return dxp[:, :, ph:ph + h, pw:pw + w], dweight, dbias
