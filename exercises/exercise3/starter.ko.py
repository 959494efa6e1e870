"""문제 3 — 스케일러 순서. 문제 보기: grade show exercise3 --lang ko"""

import numpy as np


def scale(x_train, x_val, x_test, kind="minmax"):
    """x_train으로만 fit 하고, 같은 방식으로 변환한 배열 세 개를 반환합니다."""
    # TODO: x_train에서 (열별) 통계를 구하세요
    # TODO: 범위/표준편차가 0이면 1로 바꾼 뒤 세 세트를 변환하세요
    raise NotImplementedError
