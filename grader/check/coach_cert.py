"""The coach on what the certificate's raw-file tasks bring out: a CNN that learned its training
folder's images rather than the classes (the small folder sets need augmentation), and a forecast
that repeats the last value it was given (windows labelled with their own last value).

Like the rest of the coach, each rule names its evidence with numbers, one next step and the
concept, and keeps quiet on a borderline case or a model that met its target.
"""

from __future__ import annotations

from typing import Any

from grader.check.coach_model import SCALE_GAIN
from grader.exercise import ModelContract
from grader.report import Finding
from grader.text import Text

TRAINED_WELL = 0.95  # training accuracy at or above this...
GAP = 0.25  # ...and hidden accuracy this far below it: the images, not the classes, were learned
LAGS = 0.5  # predictions this much closer to the window's last value than to their target


def cert_findings(contract: ModelContract, measured: dict[str, Any], history: dict[str, list]) -> tuple[Finding, ...]:
    """This module's findings on one model, most telling first."""
    found = (memorised_images(contract, measured, history), lagging_forecast(contract, measured))
    return tuple(f for f in found if f is not None)


def memorised_images(contract: ModelContract, measured: dict[str, Any], history: dict[str, list]) -> Finding | None:
    """Right on nearly every training image, far from it on the test folder's."""
    value, trained = measured.get("metric"), history.get("accuracy") or []
    if contract.input != "folders" or value is None or contract.meets(float(value)) or not trained:
        return None
    train = float(trained[-1])
    if train < TRAINED_WELL or train - float(value) < GAP:
        return None
    rescaled = measured.get("rescaled")
    if isinstance(rescaled, dict) and float(rescaled["rescaled"]) - float(rescaled["as_fed"]) >= SCALE_GAIN:
        return None  # fed the pixels it trained on, it recognises them: the scale is the cause (input-scale)
    validation = history.get("val_accuracy") or []
    seen = (
        Text(
            f", and {float(validation[-1]):.2f} on its validation images, cut from the same folders",
            f", 같은 폴더에서 떼어 낸 검증 이미지에서는 {float(validation[-1]):.2f}",
        )
        if validation
        else Text("", "")
    )
    return Finding(
        "memorised-images",
        Text(
            "The model learned the training images, not the classes", "모델이 클래스가 아니라 학습 이미지를 외웠습니다"
        ),
        Text(
            f"accuracy {train:.2f} on the training folder{seen.en}, but {float(value):.2f} on the "
            f"{measured.get('n_test')} hidden test images, kept apart from them",
            f"학습 폴더에서 정확도 {train:.2f}{seen.ko}, 그러나 따로 모아 둔 숨겨진 테스트 이미지 "
            f"{measured.get('n_test')}장에서는 {float(value):.2f}",
        ),
        Text(
            "augment the training images: RandomFlip('horizontal'), RandomRotation(0.2), RandomZoom(0.2) as the "
            "model's first layers, or ImageDataGenerator(rescale=1./255, rotation_range=40, width_shift_range=0.2, "
            "height_shift_range=0.2, shear_range=0.2, zoom_range=0.2, horizontal_flip=True)",
            "학습 이미지를 증강하세요: 모델 맨 앞에 RandomFlip('horizontal'), RandomRotation(0.2), RandomZoom(0.2)를 "
            "두거나, ImageDataGenerator(rescale=1./255, rotation_range=40, width_shift_range=0.2, "
            "height_shift_range=0.2, shear_range=0.2, zoom_range=0.2, horizontal_flip=True)를 쓰세요",
        ),
        Text(
            "augmentation: a few hundred images per class show each hand or horse a few ways; random flips, turns "
            "and zooms teach the model what stays the same, so it recognises new pictures",
            "증강: 클래스마다 수백 장뿐인 이미지는 손이나 말을 몇 가지 모습으로만 보여 줍니다; 무작위 뒤집기, 회전, "
            "확대로 무엇이 변하지 않는지 배워야 새 사진을 알아봅니다",
        ),
    )


def lagging_forecast(contract: ModelContract, measured: dict[str, Any]) -> Finding | None:
    """A forecast that follows the window's last value instead of the value after it."""
    found, value = measured.get("residuals"), measured.get("metric")
    if contract.input != "series" or not isinstance(found, dict) or value is None or contract.meets(float(value)):
        return None
    error, to_previous = found.get("mae"), found.get("mae_to_previous")
    if not isinstance(error, float) or not isinstance(to_previous, float) or to_previous >= LAGS * error:
        return None
    return Finding(
        "lagging-forecast",
        Text("The forecast repeats the last value it was given", "예측이 입력의 마지막 값을 되풀이합니다"),
        Text(
            f"its predictions lie {to_previous:.3g} (MAE) from the last value of each window but {error:.3g} from the "
            "value after it, the one it is asked for: it runs a step behind",
            f"예측값은 각 윈도의 마지막 값과 {to_previous:.3g}(MAE), 물어본 그다음 값과는 {error:.3g} 떨어져 있습니다: "
            "한 걸음씩 늦습니다",
        ),
        Text(
            "label each window with the value after it: windows of window_size + 1 values, split as "
            "(w[:-1], w[-1]) — or (w[:-1], w[1:]) for a sequence output — never with a value inside the window",
            "각 윈도의 레이블은 윈도 다음 값이어야 합니다: window_size + 1개씩 자른 윈도를 (w[:-1], w[-1])로 "
            "(시퀀스 출력이면 (w[:-1], w[1:])로) 나누고, 윈도 안의 값을 레이블로 쓰지 마세요",
        ),
        Text(
            "forecasting: a model shown its target among its inputs learns to copy it, and copying yesterday "
            "is always one step late",
            "예측: 입력 속에 정답이 들어 있으면 모델은 그것을 베끼는 법을 배우고, 어제 값을 베끼면 늘 한 걸음 늦습니다",
        ),
    )
