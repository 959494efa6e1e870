# 최상위에서 스레드를 한도까지 만들다가 멈춤: TensorFlow가 학습 중 스레드를 못 만들 때처럼 SIGABRT로 끝남
import os
import threading
import time

import numpy as np


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])


threading.stack_size(256 * 1024)  # small stacks: the process limit, not memory, is what stops it
threads = []
try:
    while True:
        thread = threading.Thread(target=time.sleep, args=(60,), daemon=True)
        thread.start()
        threads.append(thread)
except RuntimeError:
    # TensorFlow이 이럴 때 남기는 말 그대로
    print("Thread tf_data_iterator_get_next creation via pthread_create() failed.", flush=True)
    os.abort()
