import numpy as np


def scale(x_train, x_val, x_test, kind="minmax"):
    if kind == "minmax":
        low, spread = x_train.min(axis=0), x_train.max(axis=0) - x_train.min(axis=0)
    else:
        low, spread = x_train.mean(axis=0), x_train.std(axis=0)
    return tuple((x - low) / spread for x in (x_train, x_val, x_test))  # 0/0 on a constant column
