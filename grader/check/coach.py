"""The coach: what a model's training history says about why it fell short, and what to try.

Trusted code, on the record the grade process already holds (the last ``fit()``'s curves, per
epoch); nothing here runs in or asks the sandbox. Each rule names what it saw (the evidence, with
its numbers), one next step and the concept, and keeps quiet where the curves do not show it
plainly: a few noisy epochs are not overfitting, and a history too short to have a trend says
nothing. Pure: tested directly on histories built to sit on each side of every line.
"""

from __future__ import annotations

import itertools
import math

from grader.check.coach_model import input_scale
from grader.exercise import ModelContract
from grader.report import Finding
from grader.text import Text, with_particle

MIN_EPOCHS = 4  # below this a curve has no trend worth naming
ROSE = 1.10  # validation loss this far above its best, over the last epochs, while training loss kept falling
TRAIN_FELL = 0.05  # ...and training loss fell by at least this share meanwhile: a flat one is noise, not memorising
TRAILING = 3  # the epochs averaged for "at the end": one noisy epoch is not a trend
GAP = 0.10  # training accuracy this far above validation accuracy, at the end
# No loss of these exercises' targets (pixels / 255, prices, daily values) comes near this; past it the
# weights have blown up even where the numbers stayed finite.
EXPLODED = 1e8
STILL_IMPROVING = 0.01  # the last epoch still moved validation loss down by this share of it
RAW_PIXELS = 1.5  # images fitted on values past this were not divided by 255
OVERCONFIDENT = 1.5  # validation loss this many times chance level's, with accuracy well above chance


def diagnose(
    history: dict[str, list[float]],
    met: bool,
    contract: ModelContract | None = None,
    x_range: list[float] | None = None,
) -> tuple[Finding, ...]:
    """What the curves of the last ``fit()`` show, most important first. With the ``contract``,
    a run whose own validation metric already met the target is not told to train longer: what
    fell short on the hidden set lies elsewhere (the input scale, say). ``x_range`` is the
    smallest and largest input that ``fit()`` was given, as the sandbox recorded it."""
    loss = history.get("loss", [])
    if not loss:
        return ()
    diverged = _diverged(loss)
    if diverged is not None:
        return (diverged,)  # nothing else in a broken run means much
    findings = []
    if not met and contract is not None:
        # The range fit() was given decides where it is known; the loss only where it is not, and
        # not for a model that overfits (its validation loss is high for that reason).
        scale = _fitted_scale(x_range, contract)
        if scale is None and x_range is None and _overfitting(history) is None:
            scale = _overconfident(history, contract)
        if scale is not None:
            findings.append(scale)
    if not any(key.startswith("val_") for key in history):
        findings.append(_no_validation())
    else:
        found = _overfitting(history)
        if found is not None:
            findings.append(found)
        elif not met and not _met_in_validation(history, contract):
            found = _still_improving(history)
            if found is not None:
                findings.append(found)
    return tuple(findings)


def _diverged(loss: list[float]) -> Finding | None:
    bad = next((i for i, v in enumerate(loss) if v is None or not math.isfinite(v)), None)
    if bad is not None:
        return _divergence(
            _DIVERGED,
            Text(
                f"the training loss became {loss[bad]} at epoch {bad + 1}",
                f"{bad + 1}번째 에포크에서 학습 손실이 유한하지 않은 값({loss[bad]})이 되었습니다",
            ),
        )
    huge = next((i for i, v in enumerate(loss) if abs(v) > EXPLODED), None)
    if huge is not None:
        return _divergence(
            _DIVERGED,
            Text(
                f"the training loss reached {loss[huge]:.3g} at epoch {huge + 1}: the weights blew up",
                f"{huge + 1}번째 에포크에서 학습 손실이 {loss[huge]:.3g}에 이르렀습니다: 가중치가 폭주했습니다",
            ),
        )
    if len(loss) >= MIN_EPOCHS and loss[-1] > loss[0] and all(b >= a for a, b in itertools.pairwise(loss)):
        return _divergence(
            Text("The training loss rose from the start", "학습 손실이 처음부터 올라갔습니다"),
            Text(
                f"loss {loss[0]:.4g} at epoch 1, {loss[-1]:.4g} at epoch {len(loss)}, never lower in between",
                f"손실이 1번째 에포크 {loss[0]:.4g}에서 {len(loss)}번째 에포크 "
                f"{with_particle(f'{loss[-1]:.4g}', '으로/로')}, 한 번도 내려가지 않았습니다",
            ),
        )
    return None


def _divergence(title: Text, evidence: Text) -> Finding:
    return Finding("diverged", title, evidence, _LOWER_RATE, _CONCEPT_DIVERGENCE)


def _no_validation() -> Finding:
    return Finding(
        "no-validation",
        Text("Training had no validation data", "검증 데이터 없이 학습했습니다"),
        Text(
            "the history has no val_ curves, so nothing showed how the model does on data it has not seen",
            "기록에 val_ 곡선이 없어, 본 적 없는 데이터에서 모델이 어떤지 보여 준 것이 없습니다",
        ),
        Text(
            "pass validation_data=(x_val, y_val) or validation_split=0.1 to fit()",
            "fit()에 validation_data=(x_val, y_val) 또는 validation_split=0.1을 넘기세요",
        ),
        Text(
            "validation data: a held-out check on generalisation while you train",
            "검증 데이터: 학습하면서 일반화를 확인하는 따로 떼어 둔 데이터",
        ),
    )


def _overfitting(history: dict[str, list[float]]) -> Finding | None:
    loss, val = history.get("loss", []), history.get("val_loss", [])
    if len(val) >= MIN_EPOCHS and len(loss) == len(val) and all(math.isfinite(v) for v in val):
        best = min(range(len(val)), key=val.__getitem__)
        after = val[best + 1 :][-TRAILING:]
        rose = len(after) >= 2 and sum(after) / len(after) > val[best] * ROSE
        if rose and val[-1] > val[best] * ROSE and loss[-1] < loss[best] * (1 - TRAIN_FELL):
            return Finding(
                "overfitting",
                Text("The model overfits", "과적합입니다"),
                Text(
                    f"val_loss was lowest at epoch {best + 1} ({val[best]:.4g}) and rose to {val[-1]:.4g} by "
                    f"epoch {len(val)}, while the training loss kept falling ({loss[best]:.4g} → {loss[-1]:.4g})",
                    f"val_loss가 {best + 1}번째 에포크에서 가장 낮았고({val[best]:.4g}) {len(val)}번째 에포크까지 "
                    f"{with_particle(f'{val[-1]:.4g}', '으로/로')} 올랐습니다. 그동안 학습 손실은 계속 내려갔습니다 "
                    f"({loss[best]:.4g} → {loss[-1]:.4g})",
                ),
                _OVERFIT_STEP,
                _CONCEPT_OVERFITTING,
            )
    for name in ("accuracy", "acc"):
        train, held = history.get(name, []), history.get(f"val_{name}", [])
        if len(held) >= MIN_EPOCHS and len(train) == len(held) and train[-1] - held[-1] > GAP:
            return Finding(
                "overfitting",
                Text("The model overfits", "과적합입니다"),
                Text(
                    f"at the last epoch training {name} is {train[-1]:.4f} but validation {name} only {held[-1]:.4f}",
                    f"마지막 에포크에서 학습 {with_particle(name, '은/는')} {train[-1]:.4f}인데 "
                    f"검증 {with_particle(name, '은/는')} {held[-1]:.4f}뿐입니다",
                ),
                _OVERFIT_STEP,
                _CONCEPT_OVERFITTING,
            )
    return None


def _fitted_scale(x_range: list[float] | None, contract: ModelContract) -> Finding | None:
    """Images fitted on raw 0-255 pixels, where the grader feeds pixels / 255."""
    if contract.input != "image" or not x_range or x_range[1] <= RAW_PIXELS:
        return None
    low, high = x_range
    return input_scale(
        Text(
            f"fit() was given pixels from {low:g} to {high:g}, but the grader feeds the model pixels / 255 (0 to 1)",
            f"fit()에 {low:g}부터 {high:g}까지의 픽셀이 들어갔지만, 채점기는 픽셀 / 255(0부터 1)를 넣습니다",
        )
    )


def _overconfident(history: dict[str, list[float]], contract: ModelContract) -> Finding | None:
    """A classifier whose validation loss is far above what guessing gives while its accuracy
    is well above guessing: confident and wrong, the mark of inputs on a scale it cannot handle
    (raw pixels). A ReLU network's argmax hardly changes with the input scale; its loss does."""
    if contract.metric != "accuracy" or contract.output_units < 2 or not contract.images:
        return None
    val_loss, val_acc = history.get("val_loss", []), history.get("val_accuracy", [])
    if not val_loss or not val_acc or not all(_finite(v) for v in (val_loss[-1], val_acc[-1])):
        return None
    chance_loss, chance_acc = math.log(contract.output_units), 1 / contract.output_units
    if val_loss[-1] < OVERCONFIDENT * chance_loss or val_acc[-1] < 2 * chance_acc:
        return None
    return input_scale(
        folders=contract.input == "folders",
        evidence=Text(
            f"val_loss ended at {val_loss[-1]:.3g}, above the {chance_loss:.2f} that guessing gives, while "
            f"val_accuracy is {val_acc[-1]:.3f}: confident wrong answers, as unscaled inputs give",
            f"val_loss가 {with_particle(f'{val_loss[-1]:.3g}', '으로/로')} 끝나 "
            f"찍기의 {chance_loss:.2f}보다 높은데 "
            f"val_accuracy는 {val_acc[-1]:.3f}입니다: 스케일링하지 않은 입력에서 나오는, 자신 있게 틀린 답입니다",
        ),
    )


def _met_in_validation(history: dict[str, list[float]], contract: ModelContract | None) -> bool:
    held = history.get(f"val_{contract.metric}", []) if contract is not None else []
    return bool(held) and held[-1] is not None and math.isfinite(held[-1]) and contract.meets(held[-1])


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _still_improving(history: dict[str, list[float]]) -> Finding | None:
    val = history.get("val_loss", [])
    if len(val) < 2 or not all(_finite(v) for v in val[-2:]) or not all(_finite(v) for v in val):
        return None
    if val[-1] < val[-2] * (1 - STILL_IMPROVING) and val[-1] == min(val):
        return Finding(
            "underfitting",
            Text("Training stopped while the model was still improving", "모델이 아직 나아지는 중에 학습이 끝났습니다"),
            Text(
                f"val_loss fell from {val[-2]:.4g} to {val[-1]:.4g} in the last of {len(val)} epochs, its lowest yet",
                f"{len(val)}개 에포크 중 마지막에 val_loss가 {val[-2]:.4g}에서 "
                f"{with_particle(f'{val[-1]:.4g}', '으로/로')} 내려가 지금까지 가장 낮습니다",
            ),
            Text(
                "train for more epochs (with EarlyStopping(restore_best_weights=True) to stop in time), or give the "
                "model more capacity (more units or layers)",
                "에포크를 늘리세요 (제때 멈추도록 EarlyStopping(restore_best_weights=True)와 함께), 또는 모델 용량을 "
                "키우세요 (유닛이나 층 추가)",
            ),
            Text(
                "underfitting: the model has not yet learned what the data can teach it",
                "과소적합: 데이터가 가르칠 수 있는 것을 모델이 아직 다 배우지 못한 상태",
            ),
        )
    return None


_DIVERGED = Text("Training diverged", "학습이 발산했습니다")
_LOWER_RATE = Text(
    "lower the learning rate (e.g. Adam(learning_rate=1e-4)) and scale the inputs (pixels / 255.0)",
    "학습률을 낮추고 (예: Adam(learning_rate=1e-4)) 입력을 스케일링하세요 (픽셀 / 255.0)",
)
_CONCEPT_DIVERGENCE = Text(
    "divergence: steps too large for the loss surface make the loss grow instead of shrink",
    "발산: 손실 곡면에 비해 너무 큰 스텝 때문에 손실이 줄지 않고 커지는 현상",
)
_OVERFIT_STEP = Text(
    "stop at the best epoch (EarlyStopping(monitor='val_loss', restore_best_weights=True)), add Dropout, "
    "or augment the data",
    "가장 좋은 에포크에서 멈추세요 (EarlyStopping(monitor='val_loss', restore_best_weights=True)), Dropout을 "
    "추가하거나 데이터를 증강하세요",
)
_CONCEPT_OVERFITTING = Text(
    "overfitting: the model learns the training examples themselves instead of what generalises",
    "과적합: 일반화되는 규칙 대신 학습 예제 자체를 외우는 현상",
)


def out_of_time(epochs_done: int, epochs_asked: int | None, seconds: float, limit_s: float, ended: bool) -> Finding:
    """A training the time limit stopped: how far it got at what pace, and how to fit in the
    limit. Never "a loop that never ends": the epochs were progressing. ``ended``: fit() had
    returned, and the time went on what the file did after it."""
    of = f" of {epochs_asked}" if epochs_asked is not None else ""
    of_ko = f"{epochs_asked}개 중 " if epochs_asked is not None else ""
    limit = Text(f"the limit is {limit_s:g} s for the whole run", f"제한 시간은 실행 전체에 {limit_s:g}초입니다")
    if ended:
        evidence = (
            Text(
                f"fit() had returned after {epochs_done}{of} epochs in {seconds:.0f} s; ",
                f"fit()은 {seconds:.0f}초 동안 에포크 {of_ko}{epochs_done}개를 마치고 끝났습니다; ",
            )
            + limit
        )
        step = Text(
            "the time went after training: look at what your file does once fit() returns (a second fit, "
            "a long predict or evaluate, a loop)",
            "학습이 끝난 뒤에 시간이 들었습니다: fit()이 끝난 다음 파일이 하는 일을 살펴보세요 (두 번째 fit, "
            "오래 걸리는 predict나 evaluate, 반복문)",
        )
    elif epochs_done == 0:
        began = (
            Text(f"fit() was asked for {epochs_asked} epochs", f"fit()에 에포크 {epochs_asked}개를 요청했지만")
            if epochs_asked
            else Text("fit() began", "fit()이 시작되었지만")
        )
        evidence = (
            began
            + Text(
                " and had not finished the first when the time ran out; ",
                " 첫 에포크도 마치기 전에 시간이 다 되었습니다; ",
            )
            + limit
        )
        step = Text(
            "make an epoch cheaper (a smaller model, fewer or smaller images), train on a GPU, or give the run "
            "more time with --timeout",
            "에포크 하나를 가볍게 하세요 (더 작은 모델, 더 적거나 작은 이미지), GPU에서 학습하거나 "
            "--timeout으로 시간을 늘리세요",
        )
    else:
        pace = seconds / epochs_done
        need = f"; all {epochs_asked} would need about {epochs_asked * pace:.0f} s" if epochs_asked else ""
        need_ko = f" {epochs_asked}개를 다 하려면 약 {epochs_asked * pace:.0f}초가 필요한데," if epochs_asked else ""
        evidence = (
            Text(
                f"{epochs_done}{of} epochs in {seconds:.0f} s ({pace:.1f} s each){need}, and ",
                f"{seconds:.0f}초 동안 에포크 {of_ko}{epochs_done}개를 마쳤습니다 (에포크당 {pace:.1f}초);{need_ko} ",
            )
            + limit
        )
        step = Text(
            f"ask for fewer epochs (about {epochs_done} fit in this limit at this pace) and let "
            "EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True) end training once it stops "
            "improving; or train on a GPU, or give the run more time with --timeout",
            f"에포크 수를 줄이고 (이 속도로는 이 한도 안에 약 {epochs_done}개가 들어갑니다), 나아지지 않으면 "
            "학습을 멈추도록 EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)을 쓰세요. "
            "또는 GPU에서 학습하거나 --timeout으로 시간을 늘리세요",
        )
    title = Text("Training ran out of time", "학습 시간이 모자랐습니다")
    return Finding("out-of-time", title, evidence, step, _TIME_BUDGET)


_TIME_BUDGET = Text(
    "a time budget: epochs × seconds per epoch must fit the limit, and EarlyStopping spends epochs only while "
    "the validation loss still improves",
    "시간 예산: 에포크 수 × 에포크당 시간이 한도 안에 들어가야 하며, EarlyStopping은 검증 손실이 아직 나아지는 "
    "동안에만 에포크를 씁니다",
)
