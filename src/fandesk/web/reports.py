"""The monthly report a manager forwards, from the same dashboard the page shows: one self-contained
HTML file (charts as inline SVG, no network), JSON naming every metric, an Excel workbook with a sheet
per section, and PDF (the HTML through WeasyPrint, the `pdf` extra). `fandesk report` and the web's
downloads both come here."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import orjson

from fandesk.errors import Invalid
from fandesk.metrics.health import HEALTH_INPUTS
from fandesk.metrics.items import RESPONSE_EDGES_HOURS
from fandesk.metrics.service import Dashboard
from fandesk.metrics.values import Metric
from fandesk.web import metric_words as words
from fandesk.web import svg_charts
from fandesk.web.i18n import current_language, gettext_

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "json": "application/json",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}
SECTION_ORDER = ("engagement", "depth", "growth", "community", "feedback", "team", "roi", "health")


def report_filename(d: Dashboard, fmt: str) -> str:
    who = d.accounts[0]["handle"] if len(d.accounts) == 1 else "all-accounts"
    return f"fandesk-report-{who}-{d.period.label}.{fmt}"


def response_labels() -> list[str]:
    """The response-time bars: <1 h, 1-2 h, ... 48 h+."""
    zh = current_language() == "zh"
    unit = "小时" if zh else "h"
    out, low = [], 0
    for high in RESPONSE_EDGES_HOURS:
        out.append(f"<{high} {unit}" if low == 0 else f"{low}-{high} {unit}")
        low = high
    out.append(f"{low}+ {unit}")
    return out


def chart_data(d: Dashboard, link) -> dict:
    """What static/dashboard.js draws: every series with its words and the list each bar clicks to."""
    c = d.charts
    dist = c["response_distribution"]
    causes = c["causes"]["counts"]
    growth = c["growth"]
    sentiment = c["sentiment_trend"]
    on_time = c["on_time_trend"]
    return {
        "labels": {"comments": gettext_("Comments"), "dms": gettext_("DMs"),
                   "open": gettext_("Not answered yet"), "previous": d.scope.previous.label,
                   "current": d.period.label, "within": gettext_("Within target"),
                   "reply_rate": gettext_("Reply rate"),
                   "positive": words.metric_name("engagement.sentiment_positive"),
                   "neutral": words.metric_name("engagement.sentiment_neutral"),
                   "negative": words.metric_name("engagement.sentiment_negative"),
                   "active": words.metric_name("growth.active_people"),
                   "new_followers": words.metric_name("growth.new_followers"),
                   "comments_count": gettext_("Comments")},
        "response": {"buckets": response_labels() + [gettext_("Not answered yet")],
                     "comments": dist["comments"] + [dist["comments_open"]],
                     "dms": dist["dms"] + [dist["dms_open"]],
                     "links": [link(f"items:response:{i}") for i in range(len(dist["comments"]))]
                     + [link("items:unanswered")]},
        "on_time": {"steps": on_time["steps"], "comments": on_time["comments"], "reply_rate": on_time["reply_rate"]},
        "sentiment": {"steps": sentiment["steps"], "positive": sentiment["positive"], "neutral": sentiment["neutral"],
                      "negative": sentiment["negative"], "links": {s: link(f"items:sentiment:{s}")
                                                                   for s in ("positive", "neutral", "negative")}},
        "causes": {"names": [words.metric_name(f"feedback.{cause}") for cause in causes],
                   "previous": [series[0] for series in causes.values()],
                   "current": [series[1] for series in causes.values()],
                   "links": [link(f"items:negative:{cause}") for cause in causes]},
        "growth": {"steps": growth["steps"], "active": growth["active_people"],
                   "new_followers": growth["new_followers"],
                   "links": {"active": link("people:active"), "new_followers": link("people:new_followers")}},
        "contributors": {"names": [c["nickname"] or "—" for c in d.top_contributors][::-1],
                         "comments": [c["comments"] for c in d.top_contributors][::-1],
                         "links": [link(f"comments:person:{c['person_id']}") for c in d.top_contributors][::-1]},
    }


# -- JSON ---------------------------------------------------------------------------------------------

def report_json(d: Dashboard) -> dict:
    """Every metric by its key, with value, previous, change and unit; the tables; the charts' series."""
    def metric(m: Metric) -> dict:
        return {**m.as_dict(), "name": words.metric_name(m.key)}

    return {
        "report": "fandesk community report",
        "period": {"kind": d.period.kind, "label": d.period.label, "previous": d.scope.previous.label,
                   "start": d.period.start.isoformat(), "end": d.period.end.isoformat()},
        "accounts": d.accounts,
        "generated_at": d.scope.now.replace(tzinfo=UTC).isoformat(),
        "language": current_language(),
        "sections": d.sections,
        "metrics": {key: metric(m) for key, m in d.metrics.items()},
        "negative_feedback": [{**metric(m), "actions": [words.words(words.CAUSE_ACTIONS, a)
                                                        for a in m.extra["actions"]]} for m in d.feedback["causes"]],
        "team": [{"member_id": r["member_id"], "name": r["name"], "imported": r["imported"],
                  **{k: metric(r[k]) for k in ("answered", "response_mean", "response_median", "response_p90",
                                               "within_target", "positive_threads")},
                  "hours_replies": r["hours_replies"], "hours_dms": r["hours_dms"], "success": r.get("success")}
                 for r in d.team["rows"]],
        "top_contributors": d.top_contributors,
        "roi_assumptions": {str(a): v for a, v in d.roi["assumptions"].items()},
        "health": {"score": metric(d.health["score"]), "inputs": d.health["inputs"],
                   "weights_used": d.health["weights_used"]},
        "quality": d.quality,
        "actions": [{**a, "text": action_text(a)} for a in d.actions],
        "charts": d.charts,
    }


def action_text(action: dict) -> str:
    """A suggested action in words, its numbers written as people write them."""
    params = {k: v for k, v in action.items() if k not in ("code", "metric")}
    for key in ("value", "previous"):
        if isinstance(params.get(key), float) and action["metric"] in SHARE_METRICS:
            params[key] = words.percent(params[key])
        elif isinstance(params.get(key), float) and action["metric"] == "roi.roi":
            params[key] = f"{params[key]:.1f}×"
        elif isinstance(params.get(key), float):
            params[key] = f"{params[key]:.0f}"
    if "cause" in params:
        params["cause"] = words.metric_name(f"feedback.{params['cause']}") if params["cause"] else "—"
    params = {k: ("—" if v is None else v) for k, v in params.items() if not isinstance(v, list)}
    return words.words(words.ACTIONS, action["code"], **params)


SHARE_METRICS = {"engagement.reply_rate", "engagement.all_within_target", "engagement.dm_within_target",
                 "engagement.sentiment_negative", "growth.retention", "depth.repeat_commenters"}


# -- HTML and PDF -------------------------------------------------------------------------------------

def report_charts(d: Dashboard) -> dict:
    c = d.charts
    dist, sentiment, on_time, growth = c["response_distribution"], c["sentiment_trend"], c["on_time_trend"], c["growth"]
    causes = c["causes"]["counts"]
    return {
        "response_distribution": svg_charts.bars(
            response_labels() + [gettext_("Not answered yet")],
            [(gettext_("Comments"), dist["comments"] + [dist["comments_open"]]),
             (gettext_("DMs"), dist["dms"] + [dist["dms_open"]])],
            title=gettext_(words.CHART_QUESTIONS["response_distribution"])),
        "on_time_trend": svg_charts.lines(on_time["steps"], [(gettext_("Within target"), on_time["comments"]),
                                                             (gettext_("Reply rate"), on_time["reply_rate"])],
                                          percent=True, title=gettext_(words.CHART_QUESTIONS["on_time_trend"])),
        "sentiment_trend": svg_charts.stacked(
            sentiment["steps"], [(words.metric_name(f"engagement.sentiment_{s}"), sentiment[s])
                                 for s in ("positive", "neutral", "negative")],
            title=gettext_(words.CHART_QUESTIONS["sentiment_trend"])),
        "causes": svg_charts.bars([words.metric_name(f"feedback.{cause}") for cause in causes],
                                  [(d.scope.previous.label, [s[0] for s in causes.values()]),
                                   (d.period.label, [s[1] for s in causes.values()])],
                                  title=gettext_(words.CHART_QUESTIONS["causes"])),
        "growth": svg_charts.bars(
            growth["steps"], [(words.metric_name("growth.active_people"), growth["active_people"]),
                              (words.metric_name("growth.new_followers"), growth["new_followers"])],
            title=gettext_(words.CHART_QUESTIONS["growth"])),
    }


def render_html(d: Dashboard, templates) -> str:
    template = templates.get_template("report.html")
    return template.render({"d": d, "w": words, "charts": report_charts(d), "action_text": action_text,
                            "health_inputs": HEALTH_INPUTS, "lang": current_language(),
                            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                            "sections": SECTION_ORDER})


def render_pdf(html: str) -> bytes:
    """The report's HTML as a PDF (A4), with the system's CJK fonts; needs WeasyPrint (the `pdf` extra)."""
    try:
        from weasyprint import HTML  # heavy and optional: only a PDF download loads it
    except ImportError:
        raise Invalid("PDF needs WeasyPrint: pip install -e '.[pdf]' (and a CJK font such as Debian's "
                      "fonts-noto-cjk); the HTML report prints to PDF from any browser meanwhile") from None
    return HTML(string=html).write_pdf()


# -- Excel --------------------------------------------------------------------------------------------

def render_xlsx(d: Dashboard) -> bytes:
    """A sheet per section: every metric with its key, value, previous period and change."""
    from openpyxl import Workbook  # lazy: only a download loads it
    from openpyxl.styles import Font

    from fandesk.replies.export import formula_safe

    book = Workbook()
    summary = book.active
    summary.title = _sheet_title(gettext_("Summary"))
    summary.append([gettext_("Community report"), ", ".join(a["name"] for a in d.accounts), d.period.label])
    summary.append([words.metric_name("health.score"), d.health["score"].value])
    for action in d.actions:
        summary.append([gettext_("Action"), action_text(action)])
    header = [gettext_("Metric"), "key", gettext_("Value"), gettext_("Previous period"), gettext_("Change"),
              gettext_("Unit"), gettext_("Of"), gettext_("Note")]
    for section in SECTION_ORDER:
        sheet = book.create_sheet(_sheet_title(gettext_(words.SECTIONS[section])))
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for key in d.sections.get(section, []):
            m = d.metrics[key]
            sheet.append([words.metric_name(key), key, m.value, m.previous, m.change, m.unit,
                          m.whole if m.whole is not None else None,
                          gettext_(words.MISSING[m.missing]) if m.missing else None])
        sheet.column_dimensions["A"].width = 34
        sheet.column_dimensions["B"].width = 32
    team = book.create_sheet(_sheet_title(gettext_("Team members")))
    team.append([gettext_("Who"), gettext_("Answered"), gettext_("Average response (s)"),
                 gettext_("Median response (s)"), gettext_("Within target"), gettext_("Positive in their threads"),
                 gettext_("Hours on replies"), gettext_("Hours on DMs")])
    for row in d.team["rows"]:
        name = gettext_("Imported replies") if row["imported"] else row["name"]
        team.append([formula_safe(name), row["answered"].value, row["response_mean"].value,
                     row["response_median"].value, row["within_target"].value, row["positive_threads"].value,
                     row["hours_replies"], row["hours_dms"]])
    people = book.create_sheet(_sheet_title(gettext_("Top contributors")))
    people.append([gettext_("Nickname"), gettext_("Comments"), gettext_("Referrals"), gettext_("UGC posts")])
    for c in d.top_contributors:
        people.append([formula_safe(c["nickname"] or ""), c["comments"], c["referrals"], c["ugc_posts"]])
    health = book.create_sheet(_sheet_title(gettext_("Health score formula")))
    health.append([gettext_("Input"), "key", gettext_("Value"), gettext_("Weight"), gettext_("Scored 0 at"),
                   gettext_("Scored 10 at"), gettext_("Score")])
    for row in d.health["inputs"]:
        health.append([words.metric_name(row["metric"]), row["metric"], row["value"], row["weight"], row["zero_at"],
                       row["ten_at"], row["score"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(text: str) -> str:
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return text[:31]


def render_report(d: Dashboard, fmt: str, *, templates) -> bytes:
    if fmt == "json":
        return orjson.dumps(report_json(d), option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    if fmt == "xlsx":
        return render_xlsx(d)
    html = render_html(d, templates)
    if fmt == "pdf":
        return render_pdf(html)
    if fmt == "html":
        return html.encode()
    raise Invalid(f"--format {fmt!r}: use html, json, xlsx or pdf")
