# Prints what the sandbox looks like from inside, then solves the exercise.
import json
import os
import sys

import numpy as np

heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"tensorflow", "keras", "pandas", "sklearn", "matplotlib"})
probe = {"env": sorted(os.environ), "cwd": os.getcwd(), "heavy": heavy, "file": __file__, "pid": os.getpid()}
print("PROBE " + json.dumps(probe))
try:  # tampering with the file it was loaded from must not change what the grader hashed
    with open(__file__, "a") as fh:
        fh.write("# tampered\n")
except OSError:
    pass
print("\x1b[2J\x1b[31mcleared your screen\x1b[0m [bold red]markup[/bold red]")


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
