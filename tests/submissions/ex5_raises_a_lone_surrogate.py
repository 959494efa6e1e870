# Hostile: every call raises an exception whose message holds lone surrogates (\ud800), which
# no encoder can write: the report, the terminal, JSON and the results store must still hold.
import numpy as np


def split_x(seq, size):
    raise ValueError("\ud800 bad \udcff")
