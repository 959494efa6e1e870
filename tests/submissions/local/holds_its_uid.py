# A correct file that says which uid it runs as and how many threads that uid has on the host
# (RLIMIT_NPROC counts them all), then holds them while a classmate's job starts beside it.
import os
import threading
import time

import numpy as np

held = threading.Event()
threads = [threading.Thread(target=held.wait) for _ in range(int("@THREADS@"))]
for thread in threads:
    thread.start()
print(f"UID {os.getuid()} {os.getgid()}")
time.sleep(float("@HOLD_S@"))
held.set()
for thread in threads:
    thread.join()


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size must be between 1 and len(seq)")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
