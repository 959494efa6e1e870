# A correct file that leaves in its output folder what a naive cleanup cannot remove: a tree
# deeper than PATH_MAX (built with relative steps), a folder of mode 000 with a file inside, a
# fifo, and a link to a file outside (@OUTSIDE@) that cleanup must not follow.
import os

import numpy as np

out = os.environ.get("GRADE_JOB_OUT", "/job/out")
os.makedirs(os.path.join(out, "locked"))
open(os.path.join(out, "locked", "inside"), "w").close()
os.chmod(os.path.join(out, "locked"), 0)
os.mkfifo(os.path.join(out, "fifo"))
os.symlink("@OUTSIDE@", os.path.join(out, "link"))
here = os.getcwd()
os.chdir(out)
for _ in range(int("@DEPTH@")):
    os.mkdir("dd")
    os.chdir("dd")
os.chdir(here)
print("LEFT locked fifo link deep")


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size must be between 1 and len(seq)")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
