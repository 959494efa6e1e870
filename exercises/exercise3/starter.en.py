"""Exercise 3 — scaler order. Read the statement: grade show exercise3"""

import numpy as np


def scale(x_train, x_val, x_test, kind="minmax"):
    """Fit on x_train only; return the three arrays transformed the same way."""
    # TODO: compute the statistics from x_train (per column)
    # TODO: replace a zero range/std by 1, then transform all three
    raise NotImplementedError
