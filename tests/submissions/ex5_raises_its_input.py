# Hostile: raises the hidden input it was given, in the message and in the name of an exception
# class of its own, hoping the report shows it (a check that expects a ValueError for a bad size
# gets a KeyError with the input instead).
import numpy as np


class Leak(Exception):
    pass


def split_x(seq, size):
    seq = np.asarray(seq)
    if size == 3:
        raise type(f"Leak_{int(abs(seq.flat[0]) * 1000)}", (Leak,), {})("HIDDEN " + repr(seq[:2].tolist()))
    if size < 1 or size > len(seq):
        raise KeyError("HIDDEN " + repr(seq[:2].tolist()))
    raise ValueError("HIDDEN " + repr(seq[:2].tolist()))
