# Hostile: two processes hold 1.4 GB each under the exercise's 2 GB limit; a per-process limit
# lets both through, one budget for the whole tree does not. It does so at import and again in
# split_x, so that graded without its top level (as a file whose top level fails is) it still does.
import os
import time

import numpy as np


def hold():
    pid = os.fork()
    held = np.ones(int(1.4 * 2**30) // 8)  # both parent and child touch 1.4 GB
    print("holding", os.getpid(), held.size, flush=True)
    time.sleep(5)
    if pid:
        os.waitpid(pid, 0)
    else:
        os._exit(0)


hold()


def split_x(seq, size):
    hold()
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
