def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return [list(seq[i : i + size]) for i in range(len(seq) - size + 1)]  # a list, not an array


def split_xy(seq, size):
    windows = split_x(seq, size)
    return [w[:-1] for w in windows], [w[-1] for w in windows]
