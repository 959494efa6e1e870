# Hostile: writes 900 MB to /tmp and then 3 GB into its output folder, 300 and 400 MB a file
# (under the per-file limit): the tmpfs must fill up, and the output quota must stop it. It does
# so at import and again in split_x, so that graded without its top level it still does.
import os

import numpy as np


def fill():
    block = os.urandom(2**20)
    try:
        for part in range(3):
            with open(f"/tmp/filler-{part}", "wb") as fh:
                for _ in range(300):
                    fh.write(block)
        print("tmp took 900 MB", flush=True)
    except OSError as exc:
        print("tmp full:", exc.strerror, flush=True)
    out = os.environ.get("GRADE_JOB_OUT", "/job/out")
    for i in range(8):
        with open(os.path.join(out, f"filler-{i}"), "wb") as fh:
            for _ in range(400):
                fh.write(block)
        print("wrote", (i + 1) * 400, "MB", flush=True)


fill()


def split_x(seq, size):
    fill()
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
