"""A Report as one self-contained HTML page (``grade ... --html FILE``) or a fragment (Jupyter).

Everything is inline: the style, the learning curves (SVG drawn here, no plotting library), the
confusion matrix (a table). No script, no font, no image from elsewhere: a Content-Security-Policy
that forbids every outside load makes that a property a browser enforces, so the page opens
offline and a mistake here shows as a console error in the Chromium test. Everything that came
from a submission (its output, messages quoting its values) is escaped.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

from grader.report import ModelSummary, Report
from grader.report.labels import LABEL, STATUS, VERDICT
from grader.text import Lang, Text, clean

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_WORDS = {
    "findings": Text("What the coach sees", "코치의 진단"),
    "curves": Text("Learning curves", "학습 곡선"),
    "confusion": Text("Confusion matrix (hidden test set)", "혼동 행렬 (숨겨진 테스트 세트)"),
    "true": Text("true class", "실제 클래스"),
    "predicted": Text("predicted", "예측"),
    "class_accuracy": Text("accuracy", "정확도"),
    "epoch": Text("epoch", "에포크"),
    "target": Text("target", "목표"),
    "notes": Text("Notes", "참고"),
    "output": Text("Your program's output", "프로그램 출력"),
    "concept": Text("concept", "개념"),
}
_STYLE = """
.tfcert-report{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",
 "NanumGothic",sans-serif;
 color:#1d2330;line-height:1.45;max-width:60rem;margin:0 auto;padding:1rem}
.tfcert-report h1{font-size:1.35rem;margin:0 0 .25rem}
.tfcert-report h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
.tfcert-report .meta{color:#5b6474;font-size:.85rem;overflow-wrap:anywhere}
.tfcert-report .score{display:flex;flex-wrap:wrap;align-items:baseline;gap:.5rem 1rem;margin:1rem 0;
 padding:.75rem 1rem;border-radius:.5rem;background:#f3f5f9}
.tfcert-report .score .points{font-size:2rem;font-weight:700}
.tfcert-report .badge{font-weight:700;padding:.1rem .6rem;border-radius:1rem;color:#fff}
.tfcert-report .passed{background:#1a7f37}.tfcert-report .failed{background:#cf222e}
.tfcert-report .panel{border-left:4px solid #cf222e;background:#fff5f5;padding:.5rem .75rem;white-space:pre-wrap;
 overflow-wrap:anywhere}
.tfcert-report .scroll{overflow-x:auto}
.tfcert-report table{border-collapse:collapse;font-size:.9rem}
.tfcert-report th,.tfcert-report td{border-bottom:1px solid #dde1e8;padding:.3rem .5rem;text-align:left;
 vertical-align:top}
.tfcert-report td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.tfcert-report th.class{text-align:left;white-space:nowrap;position:sticky;left:0;background:#fff}
.tfcert-report td.status{white-space:nowrap}
.tfcert-report .green{color:#1a7f37;font-weight:600}.tfcert-report .red{color:#cf222e;font-weight:600}
.tfcert-report .yellow{color:#9a6700;font-weight:600}
.tfcert-report .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:.75rem}
.tfcert-report .finding{border:1px solid #c8d1e0;border-radius:.5rem;padding:.75rem;break-inside:avoid;
 overflow-wrap:anywhere}
.tfcert-report .finding h3{font-size:1rem;margin:0 0 .35rem;color:#0b5cad}
.tfcert-report .finding p{margin:.3rem 0}.tfcert-report .finding .concept{color:#5b6474;font-size:.85rem}
.tfcert-report .charts{display:flex;flex-wrap:wrap;gap:1rem}
.tfcert-report svg{width:100%;max-width:26rem;height:auto;background:#fff}
.tfcert-report #confusion td,.tfcert-report #confusion thead th{text-align:right;min-width:2rem;
 font-variant-numeric:tabular-nums}
.tfcert-report #confusion td.zero{color:#b4bccb}
.tfcert-report pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;font-size:.8rem;white-space:pre-wrap}
.tfcert-report ul.notes li{color:#7d4e00}
@media (max-width:30rem){.tfcert-report{padding:.5rem}.tfcert-report .score .points{font-size:1.6rem}
 .tfcert-report #confusion td,.tfcert-report #confusion th{padding:.2rem .2rem;min-width:0;font-size:.72rem}}
@media print{.tfcert-report{max-width:none}.tfcert-report .score{border:1px solid #999}
 .tfcert-report details{display:none}.tfcert-report .badge{color:#000;border:1px solid #000;background:none}}
"""


def render_html(report: Report, *, lang: Lang, page: bool = True) -> str:
    """The report in ``lang``: a whole page, or (``page=False``) a fragment to embed (Jupyter)."""
    parts = [
        f"<h1>{_e(report.exercise)} · {_e(report.slug)} — {_e(report.title(lang))}</h1>",
        f'<p class="meta">{_e(LABEL["submission"](lang))}: <b>{_e(clean(report.submission))}</b> '
        f'· sha256 <span title="{_e(report.submission_sha256)}">{_e(report.submission_sha256[:12])}</span> '
        f"· {_e(LABEL['runner'](lang))}: {_e(report.runner)} · {_e(LABEL['seed'](lang))}: {report.seed} "
        f"· tfcert-grader {_e(report.grader_version)}</p>",
        _score(report, lang),
    ]
    if report.verdict not in ("passed", "failed"):
        parts.append(f'<div class="panel" id="verdict">{_e(clean(report.message(lang)))}</div>')
    if report.checks:
        parts.append(_checks(report, lang))
    model = report.model
    if model is not None and model.findings:
        parts.append(_findings(model, lang))
    if model is not None and model.history:
        parts.append(_curves(model, lang))
    if model is not None and model.confusion:
        parts.append(_confusion(model.confusion, model.class_names, lang))
    if report.notes:
        items = "".join(f"<li>{_e(clean(n(lang)))}</li>" for n in report.notes)
        parts.append(f'<h2>{_e(_WORDS["notes"](lang))}</h2><ul class="notes">{items}</ul>')
    if report.output.strip():
        parts.append(
            f"<details><summary>{_e(_WORDS['output'](lang))}</summary><pre>{_e(clean(report.output))}</pre></details>"
        )
    body = f'<div class="tfcert-report" lang="{lang}"><style>{_STYLE}</style>{"".join(parts)}</div>'
    if not page:
        return body
    title = f"{report.exercise} · {clean(report.submission)} · {report.score:g}/{report.max_score:g}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title></head><body>{body}</body></html>\n"
    )


def write_html(report: Report, path: Path, *, lang: Lang) -> Path:
    """Write the page to ``path`` (its folder made if need be) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report, lang=lang), encoding="utf-8")
    return path


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _score(report: Report, lang: Lang) -> str:
    verdict = VERDICT[report.verdict](lang)
    line = f"{report.score:g} / {report.max_score:g}"
    message = _e(clean(report.message(lang))) if report.verdict in ("passed", "failed") else ""
    return (
        f'<div class="score" id="score"><span class="points">{_e(LABEL["score"](lang))} {line}</span>'
        f'<span class="badge {"passed" if report.passed else "failed"}">{_e(verdict)}</span>'
        f"<span>{message}</span></div>"
    )


def _checks(report: Report, lang: Lang) -> str:
    rows = []
    for result in report.checks:
        label, colour = STATUS[result.status]
        details = clean(result.message(lang)) or result.title(lang)
        rows.append(
            f"<tr><td>{_e(result.name)}</td><td class='num'>{result.points:g}/{result.max_points:g}</td>"
            f"<td class='status {colour}'>{_e(label(lang))}</td><td>{_e(details)}</td></tr>"
        )
    head = "".join(f"<th>{_e(LABEL[k](lang))}</th>" for k in ("check", "points", "result", "details"))
    body = "".join(rows)
    return f'<div class="scroll"><table id="checks"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _findings(model: ModelSummary, lang: Lang) -> str:
    cards = "".join(
        f'<article class="finding" data-finding="{_e(f.name)}"><h3>{_e(f.title(lang))}</h3>'
        f"<p>{_e(f.evidence(lang))}</p><p><b>{_e(LABEL['try'](lang))}:</b> {_e(f.next_step(lang))}</p>"
        f'<p class="concept">{_e(f.concept(lang))}</p></article>'
        for f in model.findings
    )
    return f'<section id="findings"><h2>{_e(_WORDS["findings"](lang))}</h2><div class="cards">{cards}</div></section>'


def _curves(model: ModelSummary, lang: Lang) -> str:
    history = model.history
    panels = ["loss"] + ([model.metric] if model.metric in history else [])
    charts = "".join(_chart(name, history, model.threshold if name == model.metric else None, lang) for name in panels)
    return f'<section id="curves"><h2>{_e(_WORDS["curves"](lang))}</h2><div class="charts">{charts}</div></section>'


def _chart(name: str, history: dict[str, list[float]], target: float | None, lang: Lang) -> str:
    """One panel: the training curve solid, the validation curve dashed, the target as a line."""
    width, height, left, right, top, bottom = 360, 236, 48, 12, 44, 34
    series = [(key, history[key]) for key in (name, f"val_{name}") if key in history]
    values = [v for _, vs in series for v in vs if v is not None and math.isfinite(v)]
    if target is not None:
        values.append(target)
    if not values:
        return ""
    low, high = min(values), max(values)
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5
    epochs = max(len(vs) for _, vs in series)

    def x(i: int) -> float:  # a single epoch sits in the middle
        return left + (width - left - right) * (i / (epochs - 1) if epochs > 1 else 0.5)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - low) / (high - low))

    shapes = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#8a94a6"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#8a94a6"/>',
        f'<text x="{left - 4}" y="{y(high) + 4:.1f}" text-anchor="end" font-size="10">{high:.3g}</text>',
        f'<text x="{left - 4}" y="{y(low) + 4:.1f}" text-anchor="end" font-size="10">{low:.3g}</text>',
        f'<text x="{(left + width - right) / 2}" y="{height - 6}" text-anchor="middle" font-size="11">'
        f"{_e(_WORDS['epoch'](lang))} 1–{epochs}</text>",
        f'<text x="{left}" y="14" font-size="12" font-weight="600">{_e(name)}</text>',
    ]
    if target is not None:
        shapes.append(
            f'<line class="target" x1="{left}" y1="{y(target):.1f}" x2="{width - right}" y2="{y(target):.1f}" '
            f'stroke="#9a6700" stroke-dasharray="2 3"/><text x="{width - right}" y="{y(target) + 12:.1f}" '
            f'text-anchor="end" font-size="10" fill="#9a6700">{_e(_WORDS["target"](lang))} {target:g}</text>'
        )
    for (key, vs), colour, dash in zip(series, ("#0b5cad", "#cf6a00"), ("", ' stroke-dasharray="6 4"'), strict=False):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vs) if v is not None and math.isfinite(v))
        shapes.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{points}"/>')
        if epochs == 1:  # one point draws no line: a dot shows it
            shapes += [
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>'
                for i, v in enumerate(vs)
                if v is not None and math.isfinite(v)
            ]
        legend_x = left + 120 * [k for k, _ in series].index(key)
        shapes.append(
            f'<line x1="{legend_x}" y1="28" x2="{legend_x + 18}" y2="28" stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{legend_x + 22}" y="32" font-size="11">{_e(key)}</text>'
        )
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_e(name)}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(shapes)}</svg>'
    )


def _confusion(matrix: list[list[int]], names: list[str], lang: Lang) -> str:
    """Counts shaded by their share of the true class's row. Each row starts with the class's
    number and name and its accuracy, so a phone's narrow screen shows them before it scrolls."""
    classes = range(len(matrix))
    head = "".join(f"<th>{j}</th>" for j in classes)
    rows = []
    for i, row in enumerate(matrix):
        total = sum(row) or 1
        cells = "".join(
            f'<td style="background:rgba({"26,127,55" if i == j else "207,34,46"},{0.85 * n / total:.2f})">{n}</td>'
            if n
            else '<td class="zero">0</td>'
            for j, n in enumerate(row)
        )
        name = f" {_e(names[i])}" if i < len(names) else ""
        rows.append(f"<tr><th class='class'>{i}{name}</th><td class='num'>{row[i] / total:.0%}</td>{cells}</tr>")
    caption = f"{_WORDS['true'](lang)} ↓ · {_WORDS['predicted'](lang)} →"
    return (
        f'<section><h2>{_e(_WORDS["confusion"](lang))}</h2><p class="meta">{_e(caption)}</p>'
        f'<div class="scroll"><table id="confusion"><thead><tr><th></th>'
        f"<th>{_e(_WORDS['class_accuracy'](lang))}</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        "</section>"
    )
