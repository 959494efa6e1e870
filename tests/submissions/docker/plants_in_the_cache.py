# Hostile: leaves a file in the CUDA compile cache for the next job, and reports what an earlier
# job left there (MARKER is filled in by the test).
import os

import numpy as np

cache = os.environ["CUDA_CACHE_PATH"]
print("CACHE SEES", sorted(n for n in os.listdir(cache) if "@MARKER@" in n) if os.path.isdir(cache) else [])
try:
    os.makedirs(cache, exist_ok=True)
    with open(os.path.join(cache, "@MARKER@-planted"), "wb") as fh:
        fh.write(b"\0" * 2**20)
    print("planted", flush=True)
except OSError as exc:
    print("refused", exc.strerror, flush=True)


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
