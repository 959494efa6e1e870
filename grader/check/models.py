"""Judging a model from the evaluator's measurements: checks, verdict, message. Pure: no files,
no processes, no TensorFlow, so every rule is tested directly.

Points: 10 the model loads with safe_mode=True, 10 its contract (input, output, required
layers), the rest the metric on the hidden test set, with partial credit in a steep band below the target.
"""

from __future__ import annotations

from typing import Any

from grader.exercise import CERT_STEPS, Exercise, ModelContract
from grader.report import CheckResult, Verdict, judged_verdict
from grader.text import EMPTY, Text, join

LOAD_POINTS, CONTRACT_POINTS = 10.0, 10.0


def metric_points(contract: ModelContract, value: float, points: float) -> float:
    """Full marks at the threshold; linear from ``credit_from`` up to it; none past it. The same
    line serves a metric where lower is better (MAE): its ``credit_from`` lies above. Where the
    exercise states the certificate's own steps (0-5), the points follow them instead."""
    if contract.steps is not None:
        return round(points * contract.steps.of(value) / CERT_STEPS, 1)
    share = (value - contract.credit_from) / (contract.threshold - contract.credit_from)
    got = round(points * min(max(share, 0.0), 1.0), 1)
    # Short of the target is never all of it, however the tenths round (an MSE of 1.001e-4 against 1e-4).
    return got if contract.meets(value) else min(got, points - 0.1)


def _shape(dims: list[Any] | tuple[Any, ...]) -> str:
    return "×".join("?" if d is None else str(d) for d in dims)


def fixed_problems(contract: ModelContract, measured: dict[str, Any]) -> list[Text]:
    """What the starter fixed ("DO NOT CHANGE … OR THE TESTS MAY NOT WORK") and the model changed,
    each named by the starter's own variable: the input the tests feed, vocab_size, embedding_dim,
    max_length. An unknown dimension (None) accepts what the tests feed."""
    problems = []
    given = list(measured.get("input_shape") or [])[1:]
    wanted = list(contract.input_shape)
    differs = len(given) != len(wanted) or any(g not in (None, w) for g, w in zip(given, wanted, strict=False))
    if wanted and given and differs:
        problems.append(
            Text(
                f"input: the tests feed each example as {_shape(wanted)} (the statement fixes it); "
                f"your model takes {_shape(given)}",
                f"입력: 테스트는 예제마다 {_shape(wanted)} 모양으로 넣습니다 (문제에 고정됨); "
                f"모델의 입력은 {_shape(given)}입니다",
            )
        )
    text = contract.text
    if text is None or not text.embedding_dim:
        return problems
    for input_dim, output_dim in measured.get("embeddings") or []:
        if input_dim != text.num_words:
            problems.append(
                _changed(
                    "vocab_size",
                    text.num_words,
                    f"your Embedding has {input_dim}",
                    f"모델의 Embedding은 {input_dim}입니다",
                )
            )
        if output_dim != text.embedding_dim:
            problems.append(
                _changed(
                    "embedding_dim",
                    text.embedding_dim,
                    f"your Embedding has {output_dim}",
                    f"모델의 Embedding은 {output_dim}입니다",
                )
            )
    vectorizers = measured.get("vectorizers") or []
    for tokens, _ in vectorizers:
        if tokens != text.num_words:
            problems.append(
                _changed(
                    "vocab_size",
                    text.num_words,
                    f"your TextVectorization keeps max_tokens={tokens}",
                    f"모델의 TextVectorization은 max_tokens={tokens}입니다",
                )
            )
    lengths = [length for _, length in vectorizers] or ([given[-1]] if given and given[-1] is not None else [])
    for length in lengths:
        if length != text.maxlen:
            problems.append(
                _changed(
                    "max_length",
                    f"{text.maxlen}, and the tests pad every headline to it",
                    f"your model takes sequences of {length}",
                    f"모델은 길이 {length}의 시퀀스를 받습니다",
                    f"{text.maxlen}이고 테스트는 모든 헤드라인을 그 길이로 패딩합니다",
                )
            )
    return problems


def _changed(name: str, fixed: object, found_en: str, found_ko: str, fixed_ko: object = None) -> Text:
    """``vocab_size: the starter fixes vocab_size = 1000; your Embedding has 500``, in both languages."""
    return Text(
        f"{name}: the starter fixes {name} = {fixed}; {found_en}",
        f"{name}: 스타터 코드가 고정한 값: {name} = {fixed if fixed_ko is None else fixed_ko}; {found_ko}",
    )


def softmax_regression(contract: ModelContract, measured: dict[str, Any]) -> bool:
    """The slip ``softmax-regression`` (`grader.check.slips`): a regression model ending in softmax."""
    activation = measured.get("output_activation")
    return contract.metric == "r2" and activation == "softmax" and activation != contract.output_activation


def contract_problems(contract: ModelContract, measured: dict[str, Any]) -> list[Text]:
    problems = fixed_problems(contract, measured)
    if measured.get("input_problem") and not problems:  # a fixed parameter changed says why already
        problems.append(Text(f"input: {measured['input_problem']}", f"입력: {measured['input_problem']}"))
    units = (measured.get("output_shape") or [None])[-1]
    if units != contract.output_units:
        problems.append(
            Text(
                f"output: {units} units, expected {contract.output_units}",
                f"출력: 유닛 {units}개, 기대값 {contract.output_units}개",
            )
        )
    activation = measured.get("output_activation")
    if activation != contract.output_activation:
        hint = Text("", "")
        if softmax_regression(contract, measured):
            hint = Text(
                " — a softmax output always sums to 1, so a regression model cannot predict values with it",
                " — softmax 출력은 합이 항상 1이므로 회귀 모델은 값을 예측할 수 없습니다",
            )
        problems.append(
            Text(
                f"output activation is {activation}, expected {contract.output_activation}",
                f"출력 활성화 함수가 {activation}입니다; 기대값 {contract.output_activation}",
            )
            + hint
        )
    layers = set(measured.get("layers", ()))
    for required in contract.required_layers:
        if required not in layers:
            problems.append(
                Text(
                    f"the model must contain {'an' if required[0] in 'AEIOU' else 'a'} {required} layer "
                    f"(found: {', '.join(sorted(layers))})",
                    f"모델에 {required} 층이 있어야 합니다 (있는 층: {', '.join(sorted(layers))})",
                )
            )
    return problems


def fed_note(contract: ModelContract, measured: dict[str, Any]) -> Text | None:
    """What the evaluator fed the model where the certificate accepted more than one form."""
    text = contract.text
    if measured.get("fed") == "raw strings":
        return Text(
            "your model reads raw text (it starts with a TextVectorization layer): the hidden headlines were fed "
            "as they are",
            "모델이 원문을 읽습니다 (TextVectorization 층으로 시작): 숨겨진 헤드라인을 그대로 넣었습니다",
        )
    if measured.get("fed") == "token ids" and text is not None:
        how = (
            f"Tokenizer(num_words={text.num_words}, oov_token='{text.oov_token}') fitted on the training headlines, "
            f"then pad_sequences(maxlen={text.maxlen}, padding='{text.padding}', truncating='{text.truncating}')"
        )
        return Text(
            f"your model reads token ids: the hidden headlines were encoded as the starter does: {how}",
            f"모델이 토큰 번호를 읽습니다: 숨겨진 헤드라인을 스타터 코드와 똑같이 인코딩했습니다: {how}",
        )
    if measured.get("sequence_output"):
        return Text(
            "your model outputs a sequence: its last step is taken as the forecast, as the certificate's tester did",
            "모델이 시퀀스를 출력합니다: 자격시험 채점기처럼 마지막 스텝을 예측값으로 썼습니다",
        )
    return None


def _steps(contract: ModelContract, value: float) -> Text:
    """The certificate's own 0-5 for this value, where the exercise states its formula."""
    if contract.steps is None:
        return Text("", "")
    steps = contract.steps
    formula = f"ceil({steps.offset:g} − {steps.per_unit:g}·{contract.metric.upper()})"
    return Text(
        f"; the certificate's score {formula} = {steps.of(value)} of {CERT_STEPS}",
        f"; 자격시험 점수 {formula} = {CERT_STEPS}점 중 {steps.of(value)}점",
    )


def judge_model(exercise: Exercise, measured: dict[str, Any]) -> tuple[Verdict, Text, tuple[CheckResult, ...]]:
    """Checks, verdict and message from the evaluator's measurements (pure: no files, no processes)."""
    contract = exercise.model
    assert contract is not None
    metric_max = exercise.points - LOAD_POINTS - CONTRACT_POINTS
    titles = {
        "loads": Text("loads with safe_mode=True", "safe_mode=True로 불러오기"),
        "contract": Text("input, output and layers as stated", "문제에 적힌 입력, 출력, 층"),
        "metric": Text(
            f"{contract.metric} {contract.comparison} {contract.threshold:g} on the hidden test set",
            f"숨겨진 테스트 세트에서 {contract.metric} {contract.comparison} {contract.threshold:g}",
        ),
    }

    def result(
        name: str, points: float, max_points: float, status: str, message: Text = EMPTY, slip: str | None = None
    ) -> CheckResult:
        return CheckResult(name, titles[name], points, max_points, status, message, slip=slip)  # type: ignore[arg-type]

    not_run = Text("not run — the model did not load", "실행 안 됨 — 모델을 불러오지 못했습니다")
    if not measured.get("loaded"):
        error = measured.get("load_error", {})
        if error.get("kind") == "lambda":
            verdict: Verdict = "contract-error"
            message = Text(
                "The model has a Lambda layer, which safe_mode=True refuses to load (as the certificate's "
                f"grader did). Use built-in layers, e.g. Rescaling or Reshape.\n{error.get('message', '')}",
                "모델에 Lambda 층이 있어 safe_mode=True가 불러오기를 거부합니다 (자격시험 채점기와 같습니다). "
                f"Rescaling이나 Reshape 같은 내장 층을 쓰세요.\n{error.get('message', '')}",
            )
        else:
            verdict = "submission-error"
            message = Text(
                f"The model file cannot be read by Keras {measured.get('keras_version', '')}: "
                f"{error.get('message', '')}".replace(" :", ":"),
                f"Keras가 모델 파일을 읽을 수 없습니다: {error.get('message', '')}",
            )
        checks = (
            result("loads", 0, LOAD_POINTS, "failed", message),
            result("contract", 0, CONTRACT_POINTS, "not-run", not_run),
            result("metric", 0, metric_max, "not-run", not_run),
        )
        return verdict, message, checks

    problems = contract_problems(contract, measured)
    loads = result("loads", LOAD_POINTS, LOAD_POINTS, "passed")
    if problems:
        message = join(problems, "\n")
        checks = (
            loads,
            result(
                "contract",
                0,
                CONTRACT_POINTS,
                "failed",
                message,
                slip="softmax-regression" if softmax_regression(contract, measured) else None,
            ),
            result(
                "metric",
                0,
                metric_max,
                "not-run",
                Text("not run — fix the contract first", "실행 안 됨 — 먼저 계약을 맞추세요"),
            ),
        )
        return "contract-error", message, checks

    contract_ok = result("contract", CONTRACT_POINTS, CONTRACT_POINTS, "passed")
    if measured.get("nan_predictions"):
        message = Text(
            f"{measured['nan_predictions']} predictions are NaN: training diverged (look at the loss, the learning "
            "rate and unscaled inputs)",
            f"예측값 {measured['nan_predictions']}개가 NaN입니다: 학습이 발산했습니다 "
            "(손실, 학습률, 스케일링하지 않은 입력을 확인하세요)",
        )
        checks = (loads, contract_ok, result("metric", 0, metric_max, "failed", message))
        return judged_verdict(checks, exercise.pass_score), message, checks

    value = float(measured["metric"])
    shown = f"{value:.3g}" if contract.metric == "mse" else f"{value:.4f}"  # an MSE target is 1e-4: 0.0000 hides it
    points = metric_points(contract, value, metric_max)
    name = contract.metric
    if contract.meets(value):
        cmp = contract.comparison
        message = Text(
            f"{name} {shown} {cmp} {contract.threshold:g} on {measured.get('n_test')} hidden examples",
            f"숨겨진 예제 {measured.get('n_test')}개에서 {name} {shown} {cmp} {contract.threshold:g}",
        ) + _steps(contract, value)
        return "passed", message, (loads, contract_ok, result("metric", points, metric_max, "passed", message))
    band = (
        Text(
            f": none at {contract.credit_from:g}, all at the target)",
            f": {contract.credit_from:g}에서 0점, 목표에서 만점)",
        )
        if contract.steps is None
        else Text(", in the certificate's steps", ", 자격시험의 단계대로") + _steps(contract, value) + Text(")", ")")
    )
    message = (
        Text(
            f"{name} {shown} on {measured.get('n_test')} hidden examples; the target is {contract.threshold:g} "
            f"(partial credit {points:g} of {metric_max:g}",
            f"숨겨진 예제 {measured.get('n_test')}개에서 {name} {shown}; 목표는 {contract.threshold:g} "
            f"(부분 점수 {metric_max:g}점 중 {points:g}점",
        )
        + band
    )
    checks = (loads, contract_ok, result("metric", points, metric_max, "failed", message))
    verdict = judged_verdict(checks, exercise.pass_score)
    if verdict == "failed":  # the score says how close it came; the verdict, that it is not there yet
        message = message + Text(
            ". It passes only at its target: the points show how close it came",
            ". 목표에 닿아야 합격입니다: 점수는 얼마나 가까이 왔는지를 보여 줍니다",
        )
    return verdict, message, checks
