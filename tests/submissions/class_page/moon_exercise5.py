import numpy as np

def split_x(seq, size):
    while True:
        pass
