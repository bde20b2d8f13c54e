"""Small charts drawn as inline SVG for the monthly report: it is one file that opens anywhere without a
network and prints (and turns into a PDF) as drawn, which a chart library running in the browser would
not. The same palette as the dashboard's ECharts (static/dashboard.js)."""

from __future__ import annotations

from markupsafe import Markup, escape

PALETTE = ("#3b6fd8", "#ff7a45", "#2ca02c", "#d62728", "#9467bd", "#8c8c8c")
FONT = "PingFang SC, Noto Sans CJK SC, Microsoft YaHei, sans-serif"


def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    return Markup(f'<svg viewBox="0 0 {width} {height}" width="100%" '
                  f'role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="11">'
                  + "".join(body) + "</svg>")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def bars(labels: list[str], series: list[tuple[str, list[float]]], *, title: str, percent: bool = False,
         width: int = 640, height: int = 220) -> Markup:
    """Grouped vertical bars: one group per label, one bar per series, a legend on top."""
    top_value = 1.0 if percent else _nice_max(max([v for _, vs in series for v in vs if v is not None] or [0]))
    left, top, plot_w, plot_h, body = _frame(width, height, top_value, percent)
    group = plot_w / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    for s, (_, values) in enumerate(series):
        for i, v in enumerate(values):
            if not v:
                continue
            h = plot_h * min(v / top_value, 1.0)
            x = left + i * group + group * 0.1 + s * bar
            body.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{max(bar - 1, 1):.1f}" '
                        f'height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}"/>')
    body += _x_labels(labels, left, group, top + plot_h)
    body += _legend([name for name, _ in series], left)
    return _svg(width, height, body, title)


def stacked(labels: list[str], series: list[tuple[str, list[float]]], *, title: str, width: int = 640,
            height: int = 220, colors: tuple[str, ...] = ("#2ca02c", "#8c8c8c", "#d62728")) -> Markup:
    """Stacked vertical bars (e.g. positive, neutral, negative per day)."""
    totals = [sum((values[i] or 0) for _, values in series) for i in range(len(labels))]
    top_value = _nice_max(max(totals or [0]))
    left, top, plot_w, plot_h, body = _frame(width, height, top_value, False)
    group = plot_w / max(len(labels), 1)
    for i in range(len(labels)):
        y = top + plot_h
        for s, (_, values) in enumerate(series):
            v = values[i] or 0
            if not v:
                continue
            h = plot_h * v / top_value
            y -= h
            body.append(f'<rect x="{left + i * group + group * 0.15:.1f}" y="{y:.1f}" width="{group * 0.7:.1f}" '
                        f'height="{h:.1f}" fill="{colors[s % len(colors)]}"/>')
    body += _x_labels(labels, left, group, top + plot_h)
    body += _legend([name for name, _ in series], left, colors)
    return _svg(width, height, body, title)


def lines(labels: list[str], series: list[tuple[str, list[float | None]]], *, title: str, percent: bool = False,
          width: int = 640, height: int = 220) -> Markup:
    """Lines over the period's days; a missing value breaks the line."""
    top_value = 1.0 if percent else _nice_max(max([v for _, vs in series for v in vs if v is not None] or [0]))
    left, top, plot_w, plot_h, body = _frame(width, height, top_value, percent)
    step = plot_w / max(len(labels) - 1, 1)
    for s, (_, values) in enumerate(series):
        path, drawing = [], False
        for i, v in enumerate(values):
            if v is None:
                drawing = False
                continue
            x, y = left + i * step, top + plot_h - plot_h * min(v / top_value, 1.0)
            path.append(f"{'L' if drawing else 'M'}{x:.1f},{y:.1f}")
            drawing = True
        if path:
            body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{PALETTE[s % len(PALETTE)]}" '
                        f'stroke-width="2"/>')
    body += _x_labels(labels, left - step / 2, step, top + plot_h)
    body += _legend([name for name, _ in series], left)
    return _svg(width, height, body, title)


def _frame(width: int, height: int, top_value: float, percent: bool):
    """The plot area every chart shares (margins for the axis labels and the legend) and its axes."""
    left, right, top, bottom = 44, 10, 26, 38
    plot_w, plot_h = width - left - right, height - top - bottom
    return left, top, plot_w, plot_h, _axes(left, top, plot_w, plot_h, top_value, percent)


def _axes(left, top, plot_w, plot_h, top_value, percent) -> list[str]:
    out = []
    for k in range(5):
        value = top_value * k / 4
        y = top + plot_h - plot_h * k / 4
        text = f"{value * 100:.0f}%" if percent else (f"{value:,.0f}" if top_value >= 4 else f"{value:.1f}")
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#666">{text}</text>')
    return out


def _x_labels(labels, left, group, baseline) -> list[str]:
    every = max(1, len(labels) // 12)
    return [f'<text x="{left + i * group + group / 2:.1f}" y="{baseline + 14:.1f}" text-anchor="middle" '
            f'fill="#444">{escape(label)}</text>' for i, label in enumerate(labels) if i % every == 0]


def _legend(names, left, colors=PALETTE) -> list[str]:
    out, x = [], left
    for s, name in enumerate(names):
        out.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{colors[s % len(colors)]}"/>')
        out.append(f'<text x="{x + 14}" y="15" fill="#333">{escape(name)}</text>')
        x += 24 + 12 * len(str(name))
    return out
