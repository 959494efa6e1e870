"""문제 1 — 학습 / 검증 / 테스트 분할. 문제 보기: grade show exercise1 --lang ko"""

import numpy as np


def split_train_val_test(x, y, train=0.6, val=0.2, shuffle=False, seed=None):
    """(x_train, y_train), (x_val, y_val), (x_test, y_test)를 반환합니다."""
    n = len(x)
    # TODO: 크기는 floor(n * train), floor(n * val); 나머지는 테스트
    # TODO: shuffle이 True이면 x와 y를 같은 순열로 섞으세요 (seed 사용)
    raise NotImplementedError


if __name__ == "__main__":
    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    print([len(p[0]) for p in split_train_val_test(x, y)])  # [6, 2, 2]
