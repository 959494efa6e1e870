"""Writing a report to disk: its JSON, its HTML page and, for model exercises, a learning-curve PNG.

matplotlib is imported only when there is a curve to draw, so function exercises never pay for it.
"""

from __future__ import annotations

from pathlib import Path

from grader.report import Report
from grader.text import Lang


def save_report(report: Report, directory: Path, *, lang: Lang = "en") -> list[Path]:
    """Write ``<exercise>-report.json``, ``<exercise>-report.html`` (in ``lang``) and, for a model,
    ``<exercise>-learning-curve.png``; return the paths."""
    from grader.report.html import write_html

    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / f"{report.exercise}-report.json"]
    written[0].write_text(report.dumps() + "\n", encoding="utf-8")
    written.append(write_html(report, directory / f"{report.exercise}-report.html", lang=lang))
    if report.model is not None and report.model.history:
        written.append(plot_learning_curve(report, directory / f"{report.exercise}-learning-curve.png"))
    return written


def plot_learning_curve(report: Report, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assert report.model is not None
    history = report.model.history
    metric = report.model.metric if report.model.metric in history else None
    panels = ["loss"] + ([metric] if metric else [])
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.6), squeeze=False)
    for ax, name in zip(axes[0], panels, strict=True):
        for key, style in ((name, "-"), (f"val_{name}", "--")):
            if key in history:
                ax.plot(range(1, len(history[key]) + 1), history[key], style, marker="o", label=key)
        if name == metric:
            ax.axhline(report.model.threshold, color="grey", linewidth=1, label=f"target {report.model.threshold:g}")
        ax.set_xlabel("epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_title(name)
        ax.legend()
    value = report.model.value
    hidden = f" · hidden {report.model.metric} {value:.4f}" if value is not None else ""
    fig.suptitle(f"{report.exercise} · {report.submission}{hidden}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
