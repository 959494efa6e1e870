# 학습 진행 상황을 보여 주려고 스레드를 띄웠는데, 끝나지 않는 스레드입니다.
# (A progress thread that never ends: the grading must not wait for it.)
import threading
import time

import numpy as np


def 진행_표시():
    while True:
        time.sleep(1)


threading.Thread(target=진행_표시).start()  # daemon=False: Python would wait for it at exit


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("bad size")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
