# 메인 블록 안에 함수를 정의해 버린 경우
import numpy as np

if __name__ == "__main__":

    def split_x(seq, size):
        if size < 1 or size > len(seq):
            raise ValueError("size 오류")
        return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])

    print(split_x(np.arange(10), 3))
