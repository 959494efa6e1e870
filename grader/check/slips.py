"""Known learner mistakes ("slips") a check recognises, each under a stable name.

A check that recognises a slip tells the learner in its message and names it on the
`grader.check.CheckFailed` it raises (``failed.named("return-in-loop", hint)``); the name is
stored in the report, so a class page can count how many learners made each slip and what to
re-teach (``slip("return-in-loop").concept``).
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.text import Text


@dataclass(frozen=True)
class Slip:
    """One known mistake: a stable kebab-case name, a short title for a list, the idea to re-teach."""

    name: str
    title: Text
    concept: Text


def _slips(*slips: Slip) -> dict[str, Slip]:
    names = [s.name for s in slips]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate slip names in {names}")
    return {s.name: s for s in slips}


SLIPS: dict[str, Slip] = _slips(
    # Windows (exercises 2 and 5: `grader.check.windows`, `grader.check.expect`)
    Slip(
        "extra-axis",
        Text(
            "Each window wrapped in one more list: append([subset])",
            "윈도우를 리스트로 한 번 더 감쌈: append([subset])",
        ),
        Text(
            "list.append(x) adds x itself as one item, so append([x]) adds a one-item list and the array "
            "gains an axis of length 1.",
            "list.append(x)는 x 자체를 항목 하나로 넣으므로, append([x])는 항목 하나짜리 리스트를 넣어 "
            "배열에 길이 1인 축이 생깁니다.",
        ),
    ),
    Slip(
        "return-in-loop",
        Text("`return` inside the for loop", "for 반복문 안의 `return`"),
        Text(
            "return ends the function at once: a result built up in a loop is returned after the loop, not in it.",
            "return은 그 자리에서 함수를 끝냅니다: 반복문에서 모은 결과는 반복문 안이 아니라 끝난 뒤에 반환합니다.",
        ),
    ),
    Slip(
        "windows-along-features",
        Text("Windows cut along the features (axis 1), not the rows", "행이 아니라 특성(1번 축)을 따라 자른 윈도우"),
        Text(
            "A time series runs along axis 0: a window is a run of consecutive rows, seq[i:i + size], "
            "each with all its features.",
            "시계열은 0번 축을 따라 흐릅니다: 윈도우는 연속된 행들(seq[i:i + size])이고, 각 행은 특성을 모두 가집니다.",
        ),
    ),
    Slip(
        "hard-coded-size",
        Text("Window size written as a number instead of `size`", "윈도우 크기를 `size` 대신 숫자로 씀"),
        Text(
            "A function works from its parameters: a number that fits the example breaks every other call.",
            "함수는 매개변수로 동작해야 합니다: 예제에 맞춘 숫자는 다른 호출에서 모두 틀립니다.",
        ),
    ),
    Slip(
        "reads-global",
        Text("Reads a global variable instead of its argument", "인자 대신 전역 변수를 읽음"),
        Text(
            "A function should use only what it is given: reading a global (dataset, say) ties it to one "
            "notebook's data and ignores the input it was called with.",
            "함수는 전달받은 것만 써야 합니다: 전역 변수(dataset 등)를 읽으면 노트북의 특정 데이터에 묶이고, "
            "호출할 때 넘긴 입력은 무시됩니다.",
        ),
    ),
    Slip(
        "axes-swapped",
        Text(
            "Axes in another order (sliding_window_view puts the window axis last)",
            "축 순서가 다름 (sliding_window_view는 윈도우 축을 마지막에 둠)",
        ),
        Text(
            "A shape is part of the answer: (windows, steps, features) and (windows, features, steps) hold the "
            "same numbers but mean different things to a model; move an axis with np.moveaxis.",
            "shape도 답의 일부입니다: (윈도우, 스텝, 특성)과 (윈도우, 특성, 스텝)은 같은 숫자를 담아도 모델에게는 "
            "뜻이 다르므로, np.moveaxis로 축을 옮기세요.",
        ),
    ),
    Slip(
        "off-by-one",
        Text("One window too few or too many", "윈도우가 하나 적거나 많음"),
        Text(
            "n items give n - size + 1 windows of length size: the loop is range(len(seq) - size + 1).",
            "길이 n에서 크기 size의 윈도우는 n - size + 1개입니다: 반복 범위는 range(len(seq) - size + 1)입니다.",
        ),
    ),
    Slip(
        "returned-list",
        Text("Returned a Python list, not a NumPy array", "NumPy 배열이 아니라 파이썬 리스트를 반환"),
        Text(
            "NumPy and Keras code expects an ndarray, with a shape and a dtype: collect in a list, then "
            "return np.array(the_list).",
            "NumPy와 Keras 코드는 shape과 dtype이 있는 ndarray를 기대합니다: 리스트에 모은 뒤 np.array(리스트)로 "
            "바꿔 반환하세요.",
        ),
    ),
    Slip(
        "ragged-windows",
        Text("Windows of unequal length (an array of objects)", "길이가 다른 윈도우 (객체 배열)"),
        Text(
            "NumPy stacks only pieces of equal length into an array of numbers: stop the loop at the last full window.",
            "NumPy는 길이가 같은 조각만 숫자 배열로 쌓을 수 있습니다: 반복문을 마지막 온전한 윈도우에서 멈추세요.",
        ),
    ),
    # Scaling (exercise 3: `grader.check.exercise3`, `grader.check.expect`)
    Slip(
        "constant-column-nan",
        Text(
            "NaN from a constant column (divided by a range/std of 0)",
            "상수 열에서 생긴 NaN (범위/표준편차 0으로 나눔)",
        ),
        Text(
            "A column with a single value has range and standard deviation 0: a scaler divides by 1 there, "
            "as scikit-learn does, so no NaN appears.",
            "값이 하나뿐인 열은 범위와 표준편차가 0입니다: scikit-learn처럼 그 열은 1로 나누어야 NaN이 생기지 "
            "않습니다.",
        ),
    ),
    Slip(
        "scaler-fit-on-all-data",
        Text(
            "Scaler fitted on all the data (the test set leaks in)", "전체 데이터로 fit한 스케일러 (테스트 정보 누수)"
        ),
        Text(
            "Scaling statistics are learned like weights: from the training set only, or the validation and "
            "test scores come out better than the model really is.",
            "스케일링 통계도 가중치처럼 학습하는 값입니다: 훈련 세트에서만 구해야 하며, 아니면 검증·테스트 "
            "점수가 실제 모델보다 좋게 나옵니다.",
        ),
    ),
    Slip(
        "scaler-fit-per-set",
        Text("Each set scaled with its own statistics", "세트마다 자기 통계로 스케일링"),
        Text(
            "The model learns from inputs scaled by the training set's statistics, so every set must go "
            "through that same transform: fit once on x_train, transform all three.",
            "모델은 훈련 세트의 통계로 스케일된 입력을 배우므로, 모든 세트가 같은 변환을 거쳐야 합니다: "
            "x_train으로 한 번 fit 하고 세 세트 모두 transform 하세요.",
        ),
    ),
    # Any exercise whose inputs must stay as they were (`grader.check.expect.expect_unchanged`)
    Slip(
        "input-modified",
        Text("Modifies the caller's arrays in place", "호출한 쪽의 배열을 제자리에서 수정"),
        Text(
            "A NumPy array is passed by reference: x -= ..., x[...] = ... or np.random.shuffle(x) change the "
            "caller's data too; work on x.copy().",
            "NumPy 배열은 참조로 전달됩니다: x -= ..., x[...] = ..., np.random.shuffle(x)는 호출한 쪽의 데이터까지 "
            "바꾸므로 x.copy()로 작업하세요.",
        ),
    ),
    # Splitting (exercises 1 and 2)
    Slip(
        "sizes-rounded",
        Text("Part sizes rounded instead of floored", "분할 크기를 내림 대신 반올림"),
        Text(
            "Split sizes follow the stated rule, floor(n·train), which is int(n * train); round() moves a row "
            "from one part to another.",
            "분할 크기는 문제의 규칙 floor(n·train), 즉 int(n * train)을 따릅니다: round()를 쓰면 행 하나가 다른 "
            "부분으로 넘어갑니다.",
        ),
    ),
    Slip(
        "size-counts-only-x",
        Text("`size` taken as the length of x, not of the whole window", "`size`를 윈도우 전체가 아닌 x의 길이로 봄"),
        Text(
            "Here a window of size values holds both parts: x is its first size - 1 values and y its last.",
            "이 문제에서 길이 size인 윈도우에는 둘 다 들어 있습니다: x는 앞의 size - 1개 값, y는 마지막 값입니다.",
        ),
    ),
    # Models (`grader.check.models`)
    Slip(
        "softmax-regression",
        Text("softmax output on a regression model", "회귀 모델에 softmax 출력"),
        Text(
            "softmax turns outputs into probabilities that sum to 1; a regression output must be free to take "
            "any value, so it has no activation (linear).",
            "softmax는 출력을 합이 1인 확률로 바꿉니다: 회귀 출력은 어떤 값이든 낼 수 있어야 하므로 활성화 함수를 "
            "쓰지 않습니다(linear).",
        ),
    ),
)


def slip(name: str) -> Slip:
    """The slip named ``name``, e.g. ``slip("off-by-one").title``; an unknown name raises KeyError."""
    try:
        return SLIPS[name]
    except KeyError:
        raise KeyError(f"unknown slip {name!r}; known: {', '.join(SLIPS)}") from None
