import numpy as np


def scale(x_train, x_val, x_test, kind="minmax"):
    if kind == "minmax":
        low, spread = x_train.min(axis=0), np.ptp(x_train, axis=0)
    else:
        low, spread = x_train.mean(axis=0), x_train.std(axis=0)
    spread = np.where(spread == 0, 1, spread)
    out = []
    for x in (x_train, x_val, x_test):
        if x.dtype.kind == "f":
            x -= low  # in place: the caller's arrays change
            x /= spread
            out.append(x)
        else:
            out.append((x - low) / spread)
    return tuple(out)
