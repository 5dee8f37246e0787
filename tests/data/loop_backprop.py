# exercise: backprop
"""A correct solution written the plain way, with explicit loops (test data: it must pass
every case of the backprop exercise)."""

import numpy as np


def linear_backward(dout, x, weight):
    n, fan_in = x.shape
    fan_out = weight.shape[0]
    dx = np.zeros((n, fan_in))
    dweight = np.zeros((fan_out, fan_in))
    dbias = np.zeros(fan_out)
    for i in range(n):
        for o in range(fan_out):
            g = float(dout[i, o])  # y[i, o] = sum_j x[i, j] * weight[o, j] + bias[o]
            dx[i] += g * weight[o]
            dweight[o] += g * x[i]
            dbias[o] += g
    return dx, dweight, dbias


def relu_backward(dout, x):
    dx = np.zeros(x.shape)
    flat_dx, flat_dout, flat_x = dx.reshape(-1), dout.reshape(-1), x.reshape(-1)
    for i in range(flat_x.size):
        if flat_x[i] > 0:
            flat_dx[i] = flat_dout[i]
    return dx


def cross_entropy_backward(logits, target):
    n, c = logits.shape
    grad = np.zeros((n, c))
    for i in range(n):
        e = np.exp(logits[i] - logits[i].max())  # the row max first: no overflow
        grad[i] = e / e.sum()
        grad[i, target[i]] -= 1.0
    return grad / n
