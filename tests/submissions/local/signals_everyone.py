# Hostile: sends SIGKILL to every process it may signal (``kill -1``), as a script gone wrong
# would; as root that is the whole machine. It only does so inside its own PID namespace (its
# pid is tiny there: the sandbox's init is 1), so on a machine without one it exits 3.
import os
import signal

import numpy as np

if os.getpid() > 5:
    raise SystemExit(3)
try:
    os.kill(-1, signal.SIGKILL)
    print("kill -1 sent", flush=True)
except ProcessLookupError:  # the kernel found no process it may signal: alone in its namespace
    print("kill -1 found no process to signal", flush=True)


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
