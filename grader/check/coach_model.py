"""The coach, on the saved model and its scores: what its config and the hidden test set's
aggregates show about why it fell short.

Trusted code on the evaluator's measurements (`grader.evaluator.diagnostics`): the output layer
and the loss the model was compiled with (read from its config as data), its confusion matrix,
and its score on inputs rescaled to raw pixels. Like `grader.check.coach`, each rule names its
evidence with numbers, one next step and the concept, and keeps quiet on a borderline case.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from grader.exercise import ModelContract
from grader.report import Finding
from grader.text import Text, with_particle

SCALE_GAIN = 0.15  # raw pixels score this much better (accuracy) than the contract's: another scale
COLLAPSE_SHARE = 0.5  # one class predicted for at least half the test set...
COLLAPSE_OVER_TRUE = 3.0  # ...and at least three times as often as it occurs
TWO_CLASSES = 0.9  # the top two classes take this share of the answers, the second at least the rest: "two"
FLAT_SHARE = 0.2  # predictions spread less than a fifth of the targets': one value for everything
BIAS_SHARE = 0.5  # a mean error of half the targets' spread: the errors lean to one side
GROWS = 2.0  # a forecast's error in the last quarter of the hidden tail this many times the first's
CLASSIFICATION_LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy")
REGRESSION_LOSSES = ("mean_squared_error", "mse", "mean_absolute_error", "mae", "huber", "log_cosh")


def diagnose_model(contract: ModelContract, measured: dict[str, Any]) -> tuple[Finding, ...]:
    """Findings from the evaluator's measurements, most telling first."""
    found: list[Finding | None] = []
    for rule in (_input_scale, _output_activation, _loss_mismatch, _collapse):
        try:
            found.append(rule(contract, measured))
        except (KeyError, IndexError, TypeError, ValueError):
            pass  # a measurement not in the evaluator's shape: advice is skipped, the grading stands
    try:
        found.extend(_residual_findings(contract, measured))
    except (KeyError, IndexError, TypeError, ValueError):
        pass
    return tuple(f for f in found if f is not None)


def _residual_findings(contract: ModelContract, measured: dict[str, Any]) -> tuple[Finding | None, ...]:
    """A regression's or a forecast's shortfall in its errors: a flat prediction, or a bias that,
    on a forecast, grows along the hidden tail (the model falls behind the trend)."""
    found = measured.get("residuals")
    value = measured.get("metric")
    if contract.metric == "accuracy" or not isinstance(found, dict) or value is None or contract.meets(value):
        return ()
    target_sd, prediction_sd, bias = float(found["target_sd"]), float(found["prediction_sd"]), float(found["bias"])
    if target_sd <= 0:
        return ()
    if prediction_sd < FLAT_SHARE * target_sd:
        return (_flat(prediction_sd, target_sd),)
    quarters = found.get("mae_by_quarter") or []
    if abs(bias) >= BIAS_SHARE * target_sd or (quarters and quarters[-1] >= GROWS * max(quarters[0], 1e-12)):
        return (_behind(bias, target_sd, quarters),)
    return ()


def _flat(prediction_sd: float, target_sd: float) -> Finding:
    return Finding(
        "flat-predictions",
        Text("The model predicts nearly the same value for everything", "모델이 모든 입력에 거의 같은 값을 예측합니다"),
        Text(
            f"its predictions spread {prediction_sd:.3g} (standard deviation) where the true values spread "
            f"{target_sd:.3g}",
            f"예측값의 표준편차는 {prediction_sd:.3g}인데 실제 값의 표준편차는 {target_sd:.3g}입니다",
        ),
        Text(
            "scale the inputs (a Normalization layer adapted on the training data keeps it inside the model), "
            "then train longer or with a higher learning rate",
            "입력을 스케일링하세요 (학습 데이터로 adapt한 Normalization 층을 모델 안에 두면 됩니다), 그리고 더 오래 "
            "또는 더 높은 학습률로 학습하세요",
        ),
        Text(
            "predicting the mean: the cheapest answer a regression finds before it learns anything from the inputs",
            "평균 예측: 회귀 모델이 입력에서 아무것도 배우기 전에 찾는 가장 쉬운 답",
        ),
    )


def _behind(bias: float, target_sd: float, quarters: list[float]) -> Finding:
    side = Text("above", "높게") if bias > 0 else Text("below", "낮게")
    growth = ""
    growth_ko = ""
    if quarters:
        shown = " → ".join(f"{q:.3g}" for q in quarters)
        growth, growth_ko = (
            f"; the error by quarter of the hidden period: {shown}",
            f"; 숨겨진 기간의 사분기별 오차: {shown}",
        )
    return Finding(
        "biased-predictions",
        Text("The predictions are off to one side", "예측이 한쪽으로 치우쳐 있습니다"),
        Text(
            f"on average they lie {abs(bias):.3g} {side.en} the true values (which spread {target_sd:.3g}){growth}",
            f"평균적으로 실제 값보다 {abs(bias):.3g}만큼 {side.ko} 예측합니다 "
            f"(실제 값의 표준편차 {target_sd:.3g}){growth_ko}",
        ),
        Text(
            "train until the validation error levels off; for a forecast with a trend, predict the change from "
            "the last value (last input + a learned correction) and validate on the most recent data",
            "검증 오차가 평평해질 때까지 학습하세요; 추세가 있는 예측이라면 마지막 값에서의 변화를 예측하고 "
            "(마지막 입력 + 학습한 보정값), 가장 최근 데이터로 검증하세요",
        ),
        Text(
            "bias: errors that lean one way are a pattern the model has not learned (a trend, an offset), not noise",
            "편향: 한쪽으로 기운 오차는 잡음이 아니라 모델이 배우지 못한 패턴(추세, 차이)입니다",
        ),
    )


def _input_scale(contract: ModelContract, measured: dict[str, Any]) -> Finding | None:
    rescaled = measured.get("rescaled")
    if contract.metric != "accuracy" or not isinstance(rescaled, dict):
        return None
    as_fed, raw, n = float(rescaled["as_fed"]), float(rescaled["rescaled"]), int(rescaled["examples"])
    if raw - as_fed < SCALE_GAIN or contract.meets(as_fed):
        return None
    return input_scale(
        folders=contract.input == "folders",
        evidence=Text(
            f"on {n} hidden test images it scores {raw:.3f} when fed raw 0–255 pixels but {as_fed:.3f} on the "
            "0–1 pixels the statement promises (pixels / 255)",
            f"숨겨진 테스트 이미지 {n}장에서 0–255 원래 픽셀을 넣으면 {raw:.3f}, 문제에 적힌 0–1 픽셀(픽셀 / 255)을 "
            f"넣으면 {with_particle(f'{as_fed:.3f}', '이/가')} 나옵니다",
        ),
    )


# Findings that name a cause: what follows from them (a collapse) says so, and the curves' advice
# to train longer is left out, since more epochs on the wrong scale do not help.
CAUSES = ("input-scale", "memorised-images", "lagging-forecast")
CAUSE_NAMES = {  # how a symptom's next step names its cause
    "input-scale": Text("the input scale", "입력 스케일"),
    "memorised-images": Text("the memorised training images", "외운 학습 이미지"),
    "lagging-forecast": Text("the forecast's lag", "한 걸음 늦는 예측"),
}


def input_scale(evidence: Text, folders: bool = False) -> Finding:
    """The input-scale finding, whichever measurement showed it (the model's scores on rescaled
    images, the range fit() was given, or its confident wrong answers)."""
    return Finding(
        "input-scale",
        Text("The model was trained on another input scale", "모델이 다른 입력 스케일로 학습되었습니다"),
        evidence,
        Text(
            "scale the training images the way the grader feeds them, to 0–1: "
            "ImageDataGenerator(rescale=1./255), or dataset.map(lambda x, y: (x / 255.0, y)) for "
            "image_dataset_from_directory (the validation images too; not a Rescaling layer inside the model)",
            "채점기가 넣는 방식대로 학습 이미지를 0–1로 스케일링하세요: ImageDataGenerator(rescale=1./255), "
            "image_dataset_from_directory라면 dataset.map(lambda x, y: (x / 255.0, y)) (검증 이미지도 똑같이; "
            "모델 안의 Rescaling 층이 아니라)",
        )
        if folders
        else Text(
            "scale the training images the way the grader feeds them: x_train = x_train / 255.0 "
            "(and the validation images too)",
            "채점기가 넣는 방식대로 학습 이미지를 스케일링하세요: x_train = x_train / 255.0 (검증 이미지도 똑같이)",
        ),
        Text(
            "input scale: a model learns weights for the numbers it was trained on; other numbers at "
            "prediction time mean other outputs",
            "입력 스케일: 모델은 학습한 숫자 범위에 맞춰 가중치를 배우므로, 예측할 때 범위가 다르면 출력도 달라집니다",
        ),
    )


# What a named cause brings about: with the cause named, these point at it.
SYMPTOMS = ("collapse", "flat-predictions", "overfitting")


def symptom_of_the_cause(finding: Finding, cause: Finding) -> Finding:
    """A symptom of a named cause points at it instead of its own generic tips; a finding of
    its own (an output activation, a loss) keeps its own fix."""
    if finding.name not in SYMPTOMS:
        return finding
    return replace(
        finding,
        next_step=Text(
            f"this follows from {CAUSE_NAMES[cause.name].en} above: fix that first, then grade again",
            f"위의 {CAUSE_NAMES[cause.name].ko} 때문에 생긴 결과입니다: 그것부터 고친 뒤 다시 채점하세요",
        ),
    )


def capacity(contract: ModelContract, measured: dict[str, Any], met: bool) -> Finding | None:
    """A model well short of its target with nothing else found: for images, a network without
    convolutions, the capacity the statement implies (a CNN)."""
    value, layers = measured.get("metric"), measured.get("layers")
    if met or value is None or not contract.images or not isinstance(layers, list):
        return None
    if any(isinstance(layer, str) and "Conv" in layer for layer in layers):
        return None
    gray = contract.dataset in ("mnist", "fashion-mnist")  # 28×28 with no channel axis
    return Finding(
        "capacity",
        Text("A network of Dense layers only", "Dense 층만으로 된 네트워크"),
        Text(
            f"it reached {float(value):.4f} with layers {', '.join(str(n) for n in layers[:8])}: no convolution, so "
            "every pixel is a separate input and nearby pixels are not seen together",
            f"{', '.join(str(n) for n in layers[:8])} 층으로 {float(value):.4f}에 그쳤습니다: 합성곱이 없어 픽셀이 "
            "하나하나 따로 들어가고, 이웃한 픽셀을 함께 보지 못합니다",
        ),
        Text(
            "add Conv2D + MaxPooling2D blocks before Flatten (e.g. Conv2D(32, 3, activation='relu'), "
            "MaxPooling2D(), twice)" + (", reshaping 28×28 images to 28×28×1" if gray else ""),
            "Flatten 앞에 Conv2D + MaxPooling2D 블록을 넣으세요 (예: Conv2D(32, 3, activation='relu'), "
            "MaxPooling2D()를 두 번)" + (", 28×28 이미지는 28×28×1로 바꿔서" if gray else ""),
        ),
        Text(
            "convolution: a small filter slid over the image learns local patterns (edges, textures) wherever they are",
            "합성곱: 이미지 위를 미끄러지는 작은 필터가 위치와 상관없이 지역 패턴(가장자리, 질감)을 배웁니다",
        ),
    )


def _output_activation(contract: ModelContract, measured: dict[str, Any]) -> Finding | None:
    activation = measured.get("output_activation")
    units = (measured.get("output_shape") or [None])[-1]
    if activation is None or activation == contract.output_activation:
        return None
    expected = contract.output_activation
    if contract.metric == "accuracy" and contract.output_units > 1:
        why = {
            "sigmoid": Text(
                f"sigmoid scores each of the {units} classes on its own, so the outputs do not add up to 1",
                f"sigmoid는 {units}개 클래스를 하나씩 따로 점수 매기므로 출력의 합이 1이 되지 않습니다",
            ),
            "linear": Text(
                "a linear output gives raw scores (logits), not probabilities",
                "linear 출력은 확률이 아니라 날것의 점수(logits)를 냅니다",
            ),
        }.get(
            activation,
            Text(
                f"{activation} does not give class probabilities",
                f"{with_particle(activation, '은/는')} 클래스 확률을 내지 않습니다",
            ),
        )
        concept = Text(
            "softmax: turns one score per class into probabilities that add up to 1, one distribution over the classes",
            "softmax: 클래스마다 하나인 점수를 합이 1인 확률로 바꿔, 클래스 전체에 대한 하나의 분포를 만듭니다",
        )
    else:
        why = Text(
            f"{activation} bounds or reshapes what a regression output can be",
            f"{with_particle(activation, '은/는')} 회귀 출력이 가질 수 있는 값을 제한하거나 바꿉니다",
        )
        concept = Text(
            "a regression output: one linear unit, free to take any value",
            "회귀 출력: 어떤 값이든 낼 수 있는 linear 유닛 하나",
        )
    return Finding(
        "output-activation",
        Text(
            f"The output layer uses {activation}, not {expected}",
            f"출력층이 {with_particle(expected, '이/가')} 아니라 {with_particle(activation, '을/를')} 씁니다",
        ),
        why,
        Text(
            f"end the model with Dense({contract.output_units}, activation='{expected}')",
            f"모델 마지막을 Dense({contract.output_units}, activation='{expected}')로 바꾸세요",
        ),
        concept,
    )


def _loss_mismatch(contract: ModelContract, measured: dict[str, Any]) -> Finding | None:
    loss = measured.get("loss")
    if not isinstance(loss, dict) or not isinstance(loss.get("name"), str):
        return None
    name, from_logits = loss["name"], bool(loss.get("from_logits"))
    activation = measured.get("output_activation")
    classification = contract.metric == "accuracy"
    evidence = next_step = None
    if classification and from_logits and activation in ("softmax", "sigmoid"):
        evidence = Text(
            f"the loss is {name} with from_logits=True, but the output layer already applies {activation}: "
            f"the loss applies it a second time",
            f"손실이 from_logits=True인 {name}인데 출력층이 이미 {with_particle(activation, '을/를')} "
            "적용합니다: 손실이 한 번 더 적용합니다",
        )
        next_step = Text(
            "drop from_logits=True (or make the output linear and keep it, then add softmax for the saved model)",
            "from_logits=True를 빼세요 (또는 출력을 linear로 두고 유지한 뒤, 저장할 모델에 softmax를 붙이세요)",
        )
    elif classification and contract.output_units > 1 and name == "binary_crossentropy":
        evidence = Text(
            f"the loss is binary_crossentropy for {contract.output_units} classes: it treats each class as a "
            "separate yes/no, and the accuracy Keras printed while training was binary accuracy",
            f"{contract.output_units}개 클래스에 binary_crossentropy를 썼습니다: 클래스마다 따로 예/아니요로 다루며, "
            "학습 중 Keras가 출력한 정확도도 binary accuracy였습니다",
        )
        next_step = Text(
            "use loss='sparse_categorical_crossentropy' with integer labels",
            "정수 레이블과 함께 loss='sparse_categorical_crossentropy'를 쓰세요",
        )
    elif classification and name in REGRESSION_LOSSES:
        evidence = Text(
            f"the loss is {name}, a regression loss, on class labels",
            f"클래스 레이블에 회귀 손실인 {with_particle(name, '을/를')} 썼습니다",
        )
        next_step = Text(
            "use loss='sparse_categorical_crossentropy' with integer labels",
            "정수 레이블과 함께 loss='sparse_categorical_crossentropy'를 쓰세요",
        )
    elif not classification and (name in CLASSIFICATION_LOSSES or name == "binary_crossentropy"):
        evidence = Text(
            f"the loss is {name}, a classification loss, on a regression target",
            f"회귀 타깃에 분류 손실인 {with_particle(name, '을/를')} 썼습니다",
        )
        next_step = Text("use loss='mse' or loss='mae'", "loss='mse' 또는 loss='mae'를 쓰세요")
    if evidence is None or next_step is None:
        return None
    return Finding(
        "loss-mismatch",
        Text("The loss does not fit the output and the labels", "손실 함수가 출력과 레이블에 맞지 않습니다"),
        evidence,
        next_step,
        Text(
            "the loss: what training minimises, so it must match what the output means and what the labels are",
            "손실 함수: 학습이 줄이는 값이므로, 출력이 뜻하는 것과 레이블의 형태에 맞아야 합니다",
        ),
    )


def _collapse(contract: ModelContract, measured: dict[str, Any]) -> Finding | None:
    matrix = measured.get("confusion")
    if contract.metric != "accuracy" or not isinstance(matrix, list) or len(matrix) < 3:
        return None
    total = sum(sum(row) for row in matrix)
    if total == 0:
        return None
    predicted = [sum(row[j] for row in matrix) for j in range(len(matrix))]
    top = max(range(len(predicted)), key=predicted.__getitem__)
    share, true_share = predicted[top] / total, sum(matrix[top]) / total
    if share < COLLAPSE_SHARE or share < COLLAPSE_OVER_TRUE * true_share:
        return None
    never = sum(1 for count in predicted if count == 0)
    second = sorted(range(len(predicted)), key=predicted.__getitem__)[-2]
    pair = (predicted[top] + predicted[second]) / total
    if pair >= TWO_CLASSES and predicted[second] / total >= 1 - TWO_CLASSES:  # the numbers say two, not one
        title = Text(
            f"The model predicts almost only two classes ({pair:.0%} of its answers)",
            f"모델이 거의 두 클래스만 예측합니다 (답의 {pair:.0%})",
        )
    else:
        title = Text(
            "The model predicts nearly one class for everything", "모델이 거의 모든 입력에 한 클래스만 예측합니다"
        )
    runner_up = predicted[second] / total
    also_en = f" and class {second} for {runner_up:.0%}" if runner_up >= 0.05 else ""
    also_ko = f", 클래스 {second}에는 {runner_up:.0%}" if runner_up >= 0.05 else ""
    return Finding(
        "collapse",
        title,
        Text(
            f"it predicted class {top} for {share:.0%} of the {total} hidden test examples (it is {true_share:.0%} "
            f"of them){also_en}; {never} of {len(matrix)} classes were never predicted",
            f"숨겨진 테스트 예제 {total}개 중 {share:.0%}에 클래스 {with_particle(top, '을/를')} 예측했습니다 "
            f"(실제 비율 {true_share:.0%}){also_ko}; 클래스 {len(matrix)}개 중 {never}개는 한 번도 예측하지 않았습니다",
        ),
        Text(
            "check that the labels reach fit() as they should, that the inputs are scaled, and try a lower "
            "learning rate; an initializer of zeros keeps every hidden unit the same",
            "레이블이 fit()에 제대로 들어가는지, 입력이 스케일링되었는지 확인하고, 더 낮은 학습률을 써 보세요; "
            "가중치를 0으로 초기화하면 은닉 유닛이 모두 똑같이 남습니다",
        ),
        Text(
            "collapse: the model found that one answer lowers the loss more than anything it learned from the inputs",
            "붕괴: 입력에서 배운 어떤 것보다 한 가지 답이 손실을 더 줄인다고 모델이 찾아 버린 상태",
        ),
    )
