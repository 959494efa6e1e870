# Hostile: writes 1.6 GB into its output folder through four files it deletes while holding them
# open (each 400 MB, under the per-file limit), so no walk of the folder ever sees them, then
# answers correctly. Where grade is root the folder is a tmpfs the kernel sizes to the quota:
# the writes stop at the quota and the run is over it (disk-exceeded): its top level kept the run
# from its end, so its functions are then graded alone (split_x is right, without validation).
import os

import numpy as np


def hide():
    out = "/job/out"  # the job folder as the sandbox shows it
    block = os.urandom(2**20)
    held = []
    written = 0
    try:
        for i in range(4):
            fh = open(os.path.join(out, f"hidden-{i}"), "wb")
            os.unlink(fh.name)
            held.append(fh)
            for _ in range(400):
                fh.write(block)
                written += 1
    except OSError as exc:
        print("stopped:", exc.strerror, flush=True)
    print("hidden MB:", written, flush=True)
    return held


HELD = []
HELD.extend(hide())


def split_x(seq, size):
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
