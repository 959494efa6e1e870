# 함수 안에서 디버깅용 print를 남겨 둔 파일 (숨겨진 입력이 출력됨)
import numpy as np

print("=" * 400)  # 아주 긴 구분선
print("시작")


def split_x(seq, size):
    if size < 1 or size > len(seq):
        raise ValueError("size 오류")
    print("입력:", seq.tolist())
    return np.array([seq[i : i + size] for i in range(len(seq) - size + 1)])
