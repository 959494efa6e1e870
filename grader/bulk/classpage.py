"""``class.html``: one self-contained page that shows an instructor the class.

The same rules as a report page (`grader.report.html`): everything inline, a Content-Security-
Policy that forbids every outside load, and every name, title and line of code that came from a
class folder escaped. Its one script (sorting the grid by a column) is allowed by its hash, and
the page reads whole without it. Per exercise: the scores (histogram, mean, median, verdicts),
each check's item analysis, the slips and findings that recur with the concept to re-teach, a
leaderboard for model exercises and the similar submissions, side by side.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from pathlib import Path

from grader.bulk.analysis import ExerciseFigures
from grader.bulk.classviews import (
    ClassOptions,
    ClassViews,
    build,
    write_checks_csv,
    write_reports,
    write_similarity_csv,
)
from grader.bulk.classwords import VERDICT_COLOUR, W
from grader.bulk.files import _write_rows
from grader.bulk.store import ResultStore
from grader.report.labels import VERDICT
from grader.text import Lang, Text, clean

_SCRIPT = (
    "document.querySelectorAll('table.sortable th button').forEach(function(b){b.addEventListener('click',"
    "function(){var th=b.parentNode,t=th.closest('table'),i=[].indexOf.call(th.parentNode.children,th),"
    "body=t.tBodies[0],asc=th.getAttribute('aria-sort')!=='ascending',rows=[].slice.call(body.rows);"
    "[].forEach.call(th.parentNode.children,function(h){h.removeAttribute('aria-sort')});"
    "th.setAttribute('aria-sort',asc?'ascending':'descending');rows.sort(function(x,y){"
    "var a=x.cells[i].getAttribute('data-v'),c=y.cells[i].getAttribute('data-v'),na=parseFloat(a),nc=parseFloat(c),"
    "r=(!isNaN(na)&&!isNaN(nc))?na-nc:a.localeCompare(c);return asc?r:-r});"
    "rows.forEach(function(r){body.appendChild(r)})})});"
)
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    f"script-src 'sha256-{base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()}'"
)
_STYLE = """
body{margin:0;background:#fff}
.tfcert-class{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",
 "NanumGothic",sans-serif;color:#1d2330;line-height:1.45;max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:2px solid #dde1e8}
h3{font-size:1rem;margin:1.25rem 0 .4rem}.meta,.help{color:#5b6474;font-size:.85rem}
nav a{margin-right:.75rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.88rem}
th,td{border-bottom:1px solid #dde1e8;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th button{font:inherit;font-weight:700;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
td.cell{text-align:center;font-variant-numeric:tabular-nums;color:#fff;font-weight:600;min-width:3.2rem}
td.cell a{color:inherit;text-decoration:none;display:block}
td.cell.light{color:#1d2330}
th.who{position:sticky;left:0;background:#fff;max-width:14rem;overflow-wrap:anywhere}
.cards{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0}.cards b{font-size:1.3rem}
.badge{display:inline-block;color:#fff;border-radius:1rem;padding:0 .55rem;margin:0 .3rem .3rem 0;font-size:.8rem}
.bar{display:inline-block;height:.6rem;background:#0b5cad;vertical-align:middle;margin-right:.35rem}
.warn{color:#9a3412;font-size:.82rem}
svg{width:100%;max-width:28rem;height:auto}
.pair{border:1px solid #c8d1e0;border-radius:.5rem;padding:.5rem .75rem;margin:.5rem 0}
.sides{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:.5rem}
pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;font-size:.76rem;white-space:pre-wrap;overflow-wrap:anywhere;
 margin:.25rem 0}
mark{background:#ffe08a}
table.items td:first-child{min-width:11rem}ul.recurring{padding-left:1.1rem}ul.recurring li{margin:.35rem 0}
@media (max-width:30rem){.tfcert-class{padding:.5rem}td.cell{min-width:2.4rem}th.who{max-width:8rem}
 .bar{display:none}table.items td:first-child{min-width:8rem}th,td{padding:.25rem .3rem}}
@media print{details>*{display:block}.scroll{overflow:visible}th button::after{content:""}}
"""


def _e(text: object) -> str:
    return escape(clean(str(text)), quote=True)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _sizes(students: int, exercises: int, lang: Lang) -> str:
    en = f"{students} student{'' if students == 1 else 's'} · {exercises} exercise{'' if exercises == 1 else 's'}"
    return Text(en, f"학생 {students}명 · 문제 {exercises}개")(lang)


def _count(n: int, lang: Lang) -> str:
    return Text(f"{n} student{'' if n == 1 else 's'}", f"{n}명")(lang)


def _verdict_word(verdict: str, lang: Lang) -> str:
    if verdict in VERDICT:
        return VERDICT[verdict](lang)
    missing = {"not handed in": W["not_handed"], "not gradable": W["not_gradable"]}
    return missing.get(verdict, Text(verdict, verdict))(lang)


def _grid(views: ClassViews, lang: Lang) -> str:
    exercises = views.figures.exercises
    head = "".join(f'<th class="num"><button type="button">{_e(e.exercise)}</button></th>' for e in exercises)
    rows = []
    problems = {(s, e.exercise) for e in exercises for s in e.not_gradable}
    for student in views.figures.students:
        shown = views.names[student]
        cells, total, any_result = [], 0.0, False
        for e in exercises:
            result = views.figures.result(student, e.exercise)
            if result is None:
                verdict = "not gradable" if (student, e.exercise) in problems else "not handed in"
                colour = VERDICT_COLOUR[verdict]
                cells.append(
                    f'<td class="cell light" data-v="-1" style="background:{colour}" '
                    f'title="{_e(_verdict_word(verdict, lang))}">–</td>'
                )
                continue
            total, any_result = total + result.score, True
            label = f"{result.score:g}"
            if not views.anonymous:
                label = f'<a href="{_e(views.report_files[(student, e.exercise)])}">{label}</a>'
            cells.append(
                f'<td class="cell" data-v="{result.score:g}" style="background:{VERDICT_COLOUR[result.verdict]}" '
                f'title="{_e(_verdict_word(result.verdict, lang))}">{label}</td>'
            )
        rows.append(
            f'<tr><th class="who" data-v="{_e(shown)}">{_e(shown)}</th>{"".join(cells)}'
            f'<td class="num" data-v="{total if any_result else -1:g}">{f"{total:g}" if any_result else "–"}</td></tr>'
        )
    help = "grid_help_anonymous" if views.anonymous else "grid_help"  # no report is linked from it
    legend = "".join(
        f'<span class="badge" style="background:{c};{"color:#1d2330" if v == "not handed in" else ""}">'
        f"{_e(_verdict_word(v, lang))}</span>"
        for v, c in VERDICT_COLOUR.items()
        if any(r.verdict == v for e in exercises for r in e.results) or v in ("not handed in",)
    )
    return (
        f'<h2 id="grid">{_e(W["grid"](lang))}</h2><p class="help">{_e(W[help](lang))}</p><p>{legend}</p>'
        f'<div class="scroll"><table class="sortable" id="grid-table"><thead><tr>'
        f'<th class="who"><button type="button">{_e(W["student"](lang))}</button></th>{head}'
        f'<th class="num"><button type="button">{_e(W["total"](lang))}</button></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _histogram(e: ExerciseFigures, lang: Lang) -> str:
    bins = e.histogram
    top = max(bins) or 1
    width, height, base = 300, 130, 110
    step = width / len(bins)
    bars = []
    for i, n in enumerate(bins):
        h = 90 * n / top
        x, middle = i * step + 2, i * step + step / 2
        low = e.max_score * i / len(bins)
        count = f'<text x="{middle:.1f}" y="{base - h - 3:.1f}" font-size="9" text-anchor="middle">{n}</text>'
        bars.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" fill="#0b5cad">'
            f"<title>{low:g}–: {n}</title></rect>{count if n else ''}"
            f'<text x="{middle:.1f}" y="{base + 12}" font-size="8" text-anchor="middle" fill="#5b6474">{low:g}</text>'
        )
    return (
        f'<h3>{_e(W["distribution"](lang))}</h3><svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(W["distribution"](lang))}"><line x1="0" y1="{base}" x2="{width}" y2="{base}" '
        f'stroke="#8c959f"/>{"".join(bars)}</svg>'
    )


def _items(e: ExerciseFigures, lang: Lang) -> str:
    rows = []
    for item in e.items:
        rate = item.pass_rate
        bar = f'<span class="bar" style="width:{4 * (rate or 0):.2f}rem"></span>' if rate is not None else ""
        warning = f'<div class="warn">⚠ {_e(item.warning(lang))}</div>' if item.warning else ""
        d = "—" if item.discrimination is None else f"{item.discrimination:+.2f}"
        rows.append(
            f'<tr><td>{_e(item.title(lang))}<div class="help">{_e(item.check)}</div>{warning}</td>'
            f'<td class="num">{item.points:g}</td><td class="num">{bar}{_pct(rate)}</td>'
            f'<td class="num">{d}</td><td class="num">{item.passed}/{item.students}</td></tr>'
        )
    return (
        f'<h3>{_e(W["items"](lang))}</h3><p class="help">{_e(W["items_help"](lang))}</p><div class="scroll">'
        f'<table class="items"><thead><tr><th>{_e(W["check"](lang))}</th><th class="num">{_e(W["points"](lang))}</th>'
        f'<th class="num">{_e(W["pass_rate"](lang))}</th><th class="num">{_e(W["discrimination"](lang))}</th>'
        f'<th class="num">{_e(W["passed_check"](lang))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def _recurring(e: ExerciseFigures, views: ClassViews, lang: Lang) -> str:
    if not e.recurring:
        return f'<h3>{_e(W["recurring"](lang))}</h3><p class="help">{_e(W["recurring_none"](lang))}</p>'
    lines = []
    for r in e.recurring:
        kind = W["slip" if r.kind == "slip" else "finding"](lang)
        who = ", ".join(views.names[s] for s in r.students)
        lines.append(
            f'<li class="{_e(r.kind)}" data-name="{_e(r.name)}"><b>{_e(r.title(lang))}</b> '
            f'<span class="badge" style="background:#0b5cad">{_e(_count(len(r.students), lang))}</span> '
            f'<span class="help">{_e(kind)}</span><div>{_e(W["reteach"](lang))}: {_e(r.concept(lang))}</div>'
            f"<details><summary>{_e(W['who'](lang))}</summary>{_e(who)}</details></li>"
        )
    return f'<h3>{_e(W["recurring"](lang))}</h3><ul class="recurring">{"".join(lines)}</ul>'


def _leaderboard(e: ExerciseFigures, views: ClassViews, lang: Lang) -> str:
    if not e.leaderboard:
        return ""
    rows = "".join(
        f'<tr><td class="num">{i}</td><td>{_e(views.names[s.student])}</td>'
        f'<td class="num">{s.value:.4f}{" ✓" if s.met else ""}</td>'
        f'<td class="num">{"" if s.training_s is None else f"{s.training_s:.0f} s"}</td>'
        f'<td class="num">{"" if s.epochs is None else s.epochs}</td></tr>'
        for i, s in enumerate(e.leaderboard, start=1)
    )
    return (
        f'<h3>{_e(W["leaderboard"](lang))}</h3><div class="scroll"><table class="leaderboard"><thead><tr>'
        f'<th class="num">{_e(W["rank"](lang))}</th><th>{_e(W["student"](lang))}</th>'
        f'<th class="num">{_e(e.metric)} (✓ {_e(W["target"](lang))})</th>'
        f'<th class="num">{_e(W["training"](lang))}</th><th class="num">{_e(W["epochs"](lang))}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def _similar(e: ExerciseFigures, views: ClassViews, lang: Lang) -> str:
    head = f"<h3>{_e(W['similar'](lang))}</h3>"
    if not views.similarity_on:
        return head + f'<p class="help">{_e(W["similar_off"](lang))}</p>'
    parts = [head, f'<p class="help">{_e(W["similar_help"](lang))} {_e(W["threshold"](lang))}</p>']
    missing = views.not_compared.get(e.exercise)
    if missing:
        said = Text(
            f"{missing} file{'' if missing == 1 else 's'} graded before the store kept code: not compared "
            "(grade bulk --regrade compares them).",
            f"{missing}개 파일은 코드를 보관하기 전에 채점되어 비교하지 않았습니다 (grade bulk --regrade로 비교).",
        )
        parts.append(f'<p class="warn">{_e(said(lang))}</p>')
    flagged = [p for p in views.pairs if p.exercise == e.exercise and p.flagged]
    if not flagged:
        parts.append(f'<p class="help">{_e(W["similar_none"](lang))}</p>')
    if flagged and views.anonymous:
        parts.append(f'<p class="help">{_e(W["anonymous_pairs"](lang))}</p>')
    for pair in flagged:
        a, b = views.names[pair.a], views.names[pair.b]
        if views.anonymous:
            parts.append(f'<div class="pair"><b>{_e(a)}</b> ↔ <b>{_e(b)}</b> · <b>{pair.similarity:.0%}</b></div>')
            continue
        parts.append(
            f'<div class="pair"><b>{_e(a)}</b> ↔ <b>{_e(b)}</b> · <b>{pair.similarity:.0%}</b> '
            f'<span class="help">({_e(W["shared"](lang))}: {pair.matched} · {_e(a)} {pair.share_a:.0%}, '
            f"{_e(b)} {pair.share_b:.0%})</span><details><summary>{_e(W['side_by_side'](lang))}</summary>"
            f'<div class="sides"><div><b>{_e(a)}</b><pre>{pair.marked_a}</pre></div>'
            f"<div><b>{_e(b)}</b><pre>{pair.marked_b}</pre></div></div></details></div>"
        )
    return "".join(parts)


def _exercise(e: ExerciseFigures, views: ClassViews, lang: Lang) -> str:
    expected = len(views.figures.students)  # the roster, and anyone else who handed something in
    passed = sum(r.verdict == "passed" for r in e.results)
    cards = [
        f"<div><b>{len(e.results)}</b> {_e(W['of'](lang))} {expected} {_e(W['handed'](lang))}</div>",
        f"<div><b>{e.mean:.1f}</b> {_e(W['mean'](lang))}</div>" if e.mean is not None else "",
        f"<div><b>{e.median:g}</b> {_e(W['median'](lang))}</div>" if e.median is not None else "",
        f"<div><b>{passed}</b> {_e(W['passed'](lang))}</div>",
        f"<div><b>{len(e.not_gradable)}</b> {_e(W['not_gradable'](lang))}</div>" if e.not_gradable else "",
    ]
    verdicts = "".join(
        f'<span class="badge" style="background:{VERDICT_COLOUR[v]}">{_e(_verdict_word(v, lang))} {n}</span>'
        for v, n in sorted(e.verdicts.items(), key=lambda vn: -vn[1])
    )
    return (
        f'<section id="{_e(e.exercise)}"><h2>{_e(e.exercise)} — {_e(e.title(lang))}</h2>'
        f'<div class="cards">{"".join(cards)}</div><p>{verdicts}</p>{_histogram(e, lang)}{_items(e, lang)}'
        f"{_recurring(e, views, lang)}{_leaderboard(e, views, lang)}{_similar(e, views, lang)}</section>"
    )


def render_class_page(views: ClassViews, lang: Lang) -> str:
    exercises = views.figures.exercises
    nav = "".join(f'<a href="#{_e(e.exercise)}">{_e(e.exercise)}</a>' for e in exercises)
    anonymous = f'<p class="meta">{_e(W["anonymous"](lang))}</p>' if views.anonymous else ""
    body = (
        f"<h1>{_e(W['title'](lang))}</h1>"
        f'<p class="meta">{_e(_sizes(len(views.figures.students), len(exercises), lang))}'
        f"</p>{anonymous}"
        f'<nav><a href="#grid">{_e(W["grid"](lang))}</a>{nav}</nav>{_grid(views, lang)}'
        + "".join(_exercise(e, views, lang) for e in exercises)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(W['title'](lang))}</title><style>{_STYLE}</style></head>"
        f'<body><main class="tfcert-class">{body}</main><script>{_SCRIPT}</script></body></html>\n'
    )


def write_class(out: Path, options: ClassOptions, lang: Lang = "en") -> list[Path]:
    """``class.html``, ``checks.csv``, ``similarity.csv``, ``reports/`` (and ``pseudonyms.csv``)."""
    with ResultStore(out) as store:
        views = build(store, options)
    written = [out / "class.html", write_checks_csv(views, out / "checks.csv")]
    if options.similarity:
        written.append(write_similarity_csv(views, out / "similarity.csv"))
    else:
        (out / "similarity.csv").unlink(missing_ok=True)  # never a stale list beside a page without one
    key = out / "pseudonyms.csv"
    if options.anonymous:
        _write_rows(key, [["student", "pseudonym"], *([s, views.names[s]] for s in views.figures.students)])
        written.append(key)
    else:
        key.unlink(missing_ok=True)
    write_reports(views, out, lang)
    written.append(out / "reports")
    (out / "class.html").write_text(render_class_page(views, lang), encoding="utf-8")
    return written
