"""What the dashboard and the monthly report say: each metric's name, each chart's question, what to do
when there is no data yet, the suggested actions, and numbers written as people write them (1.2万,
2.3 小时, 90.5%). Marked for extraction here, translated when shown."""

from __future__ import annotations

from fandesk.metrics.values import Metric
from fandesk.web.i18n import current_language, gettext_


def N_(message: str) -> str:  # noqa: N802  (the gettext convention)
    return message


METRIC_NAMES = {
    "engagement.comments": N_("Comments to answer"),
    "engagement.replies": N_("Our replies"),
    "engagement.reply_rate": N_("Reply rate"),
    "engagement.unanswered": N_("Not answered"),
    "engagement.comments_per_note": N_("Comments per note"),
    "engagement.response_mean": N_("Average response time"),
    "engagement.response_median": N_("Median response time"),
    "engagement.response_p90": N_("Response time, 90th percentile"),
    "engagement.within_target": N_("Comments answered within 4 h"),
    "engagement.late": N_("Late (past 4 h)"),
    "engagement.by_reply_by": N_("Answered by their reply-by (business hours)"),
    "engagement.dm_conversations": N_("DM conversations waiting"),
    "engagement.dm_answered": N_("DM conversations answered"),
    "engagement.dm_reply_rate": N_("DM reply rate"),
    "engagement.dm_response_mean": N_("Average DM response time"),
    "engagement.dm_response_median": N_("Median DM response time"),
    "engagement.dm_response_p90": N_("DM response time, 90th percentile"),
    "engagement.dm_within_target": N_("DMs answered within 24 h"),
    "engagement.all_within_target": N_("Answered within target (comments 4 h, DMs 24 h)"),
    "engagement.sentiment_positive": N_("Positive"),
    "engagement.sentiment_neutral": N_("Neutral"),
    "engagement.sentiment_negative": N_("Negative"),
    "engagement.excluded": N_("Spam and hidden (not counted)"),
    "depth.thread_length": N_("Average thread length"),
    "depth.thread_depth": N_("Average thread depth"),
    "depth.reply_ratio": N_("Replies per comment"),
    "depth.mentions": N_("Comments with @mentions"),
    "depth.follower_to_follower": N_("Follower-to-follower replies"),
    "depth.repeat_commenters": N_("Repeat commenters (5+)"),
    "depth.commenters": N_("Commenters"),
    "growth.new_followers": N_("New followers"),
    "growth.active_people": N_("Active followers"),
    "growth.new_people": N_("New faces"),
    "growth.retention": N_("Retention"),
    "growth.reactivated": N_("Dormant followers back"),
    "growth.returning": N_("Repeat engagement (returning followers)"),
    "growth.tier_members": N_("Community members"),
    "growth.tier_inner_circle": N_("Inner circle"),
    "growth.inner_circle_capacity": N_("Inner circle capacity"),
    "growth.advocates": N_("Advocates"),
    "growth.advocates_emerging": N_("Emerging advocates"),
    "growth.advocates_active": N_("Active advocates"),
    "growth.advocates_super": N_("Super advocates"),
    "community.ugc_posts": N_("UGC posts"),
    "community.events": N_("Events"),
    "community.event_participants": N_("Event participants"),
    "community.referrals": N_("Referrals"),
    "community.referral_revenue": N_("Referral revenue"),
    "community.satisfaction": N_("Satisfaction (1-5)"),
    "community.nps": N_("Net Promoter Score"),
    "community.promoters": N_("Promoters (9-10)"),
    "community.detractors": N_("Detractors (0-6)"),
    "feedback.negative": N_("Negative feedback"),
    "feedback.product_failure": N_("Product didn't work"),
    "feedback.customer_service": N_("Customer service"),
    "feedback.shipping_delay": N_("Shipping delay"),
    "feedback.pricing": N_("Pricing"),
    "feedback.other": N_("Other"),
    "team.answered": N_("Answered"),
    "team.response_mean": N_("Average response"),
    "team.response_median": N_("Median response"),
    "team.response_p90": N_("90th percentile"),
    "team.within_target": N_("Within target"),
    "team.positive_threads": N_("Positive in their threads"),
    "team.hours_replies": N_("Replying to comments"),
    "team.hours_dms": N_("DM conversations"),
    "team.hours_content": N_("Community content"),
    "team.hours_total": N_("Hours measured in the desk"),
    "roi.cost_team": N_("Team hours"),
    "roi.cost_tools": N_("Tools"),
    "roi.cost_rewards": N_("Rewards and gifts"),
    "roi.cost_other": N_("Other costs"),
    "roi.cost_total": N_("Total cost"),
    "roi.return_followers": N_("Followers from the community"),
    "roi.return_referrals": N_("Referral revenue"),
    "roi.return_ugc": N_("UGC value"),
    "roi.return_ltv": N_("Higher lifetime value"),
    "roi.return_total": N_("Total return"),
    "roi.roi": N_("Return on investment"),
    "roi.team_hours": N_("Team hours"),
    "health.score": N_("Community health score"),
}

SECTIONS = {
    "engagement": N_("Engagement"), "depth": N_("Conversation depth"), "growth": N_("Growth"),
    "community": N_("Community"), "feedback": N_("Negative feedback by cause"), "team": N_("Team"),
    "roi": N_("Return on investment"), "health": N_("Health"), "actions": N_("Suggested actions"),
    "quality": N_("Quality assessment"), "contributors": N_("Top contributors"), "assumptions": N_("Assumptions"),
    "time": N_("Where the team's hours go"),
}

CHART_QUESTIONS = {
    "response_distribution": N_("How fast do we reply?"),
    "on_time_trend": N_("Are we replying on time?"),
    "sentiment_trend": N_("How do followers feel?"),
    "causes": N_("What are the complaints about?"),
    "growth": N_("Is the community growing?"),
    "funnel": N_("How many move up the tiers?"),
    "contributors": N_("Who contributes most?"),
    "team": N_("How is the team doing?"),
}

MISSING = {
    "no_programmes": N_("No data yet — next: set up the tiers and advocate programme."),
    "no_events": N_("No data yet — next: run a first event or challenge."),
    "no_ugc": N_("No data yet — next: import UGC posts with the branded hashtag."),
    "no_followers_sheet": N_("No data yet — next: import a follower sheet (fandesk import --format followers)."),
    "no_survey": N_("No data yet — next: import survey answers (fandesk import --format survey)."),
    "no_referrals": N_("No data yet — next: import a referral sheet (fandesk import --format referrals)."),
    "no_costs": N_("No data yet — next: import the month's costs (fandesk import --format costs)."),
    "no_purchases": N_("No data yet — next: import purchases (fandesk import --format purchases)."),
    "no_desk_replies": N_("No data yet — next: reply from the desk; the time is measured as you work."),
    "empty": N_("Nothing in this period."),
}

ACTIONS = {
    "maintain_response_rate": N_("Maintain the high response rate (%(value)s)."),
    "raise_response_rate": N_("Raise the response rate from %(value)s to 90%%: "
                              "%(unanswered)s comments are not answered."),
    "faster_responses": N_("Answer faster: %(value)s within target, aim for 90%% (comments 4 h, DMs 24 h)."),
    "prioritize_dms": N_("Prioritise DMs: %(value)s answered within 24 h; conversions start there."),
    "improve_negative_sentiment": N_("Improve negative sentiment (%(value)s, target under 5%%): start with %(cause)s."),
    "reengage_dormant": N_("Re-engage dormant followers: retention is %(value)s."),
    "spark_conversation": N_("Spark conversation: only %(value)s of commenters come back 5+ times."),
    "improve_satisfaction": N_("Improve satisfaction: NPS is %(value)s."),
    "scale_inner_circle": N_("Scale the inner circle: %(value)s of %(capacity)s places taken."),
    "grow_followers": N_("Grow followers: %(value)s new, down from %(previous)s."),
    "review_costs": N_("Review costs: the community returned %(value)s of what it cost."),
}

CAUSE_ACTIONS = {
    "product_descriptions": N_("Improve descriptions (set expectations)"),
    "product_samples": N_("Add sample sizes (trial first)"),
    "product_not_for_you": N_("Create 'not right for you' guides"),
    "service_live_chat": N_("Live chat support (faster)"),
    "service_hours": N_("Extend support hours"),
    "service_help_center": N_("Self-service help center"),
    "shipping_carriers": N_("Multiple carrier options"),
    "shipping_processing": N_("Faster processing"),
    "shipping_tracking": N_("Better tracking"),
    "pricing_bundles": N_("Value bundles (better perceived value)"),
    "pricing_education": N_("Education on quality"),
    "pricing_tiers": N_("Tiered pricing options"),
}

ASSUMPTIONS = {
    "hourly_rate": N_("Team hourly rate (¥)"),
    "follower_value": N_("Value of a new follower (¥)"),
    "community_follower_share": N_("Share of new followers the community brought"),
    "ugc_post_value": N_("Value of a UGC post: what a created post would cost (¥)"),
    "ltv_uplift": N_("Lifetime value uplift of community buyers (0.15 = 15%%)"),
}


def metric_name(key: str) -> str:
    return gettext_(METRIC_NAMES.get(key, key))


def words(table: dict, code: str, **params) -> str:
    text = table.get(code)
    return gettext_(text, **params) if text else code


def count(value: float | int | None) -> str:
    """12,345 in English; 1.2万 in Chinese from ten thousand up."""
    if value is None:
        return "—"
    if current_language() == "zh" and abs(value) >= 10_000:
        return f"{value / 10_000:.1f}万".replace(".0万", "万")
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def duration(seconds: float | None) -> str:
    """45 分钟, 2.3 小时, 1.5 天 (45 min, 2.3 h, 1.5 d)."""
    if seconds is None:
        return "—"
    zh = current_language() == "zh"
    if seconds < 3600:
        minutes = max(seconds / 60, 0)
        return f"{minutes:.0f} 分钟" if zh else f"{minutes:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} 小时" if zh else f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} 天" if zh else f"{seconds / 86400:.1f} d"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def yuan(value: float | None) -> str:
    if value is None:
        return "—"
    if current_language() == "zh" and abs(value) >= 10_000:
        return f"¥{value / 10_000:.1f}万".replace(".0万", "万")
    return f"¥{value:,.0f}"


def value(metric: Metric | None) -> str:
    """The metric's value as people write it."""
    if metric is None or metric.value is None:
        return "—"
    return formatted(metric.unit, metric.value, metric.key)


def formatted(unit: str, number: float, key: str = "") -> str:
    if unit == "share":
        return percent(number)
    if unit == "seconds":
        return duration(number)
    if unit == "yuan":
        return yuan(number)
    if unit == "hours":
        return f"{number:.1f} 小时" if current_language() == "zh" else f"{number:.1f} h"
    if unit == "ratio":
        if key == "roi.roi":
            suffix = "倍" if current_language() == "zh" else "×"
        else:
            suffix = "×" if key == "depth.reply_ratio" else ""
        return f"{number:.1f}{suffix}"
    if unit == "score":
        return f"{number:.1f}/10" if key == "health.score" else f"{number:.1f}"
    if unit == "number":
        return f"{number:.0f}"
    return count(number)


def change(metric: Metric | None) -> str:
    """Against the previous period: +1.2 个百分点, +12%, −0.4 小时; empty when there is nothing to compare."""
    if metric is None or metric.change is None:
        return ""
    delta = metric.change
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    if formatted(metric.unit, abs(delta), metric.key).lstrip("¥").startswith(("0 ", "0.0", "0分", "0/")) or (
            metric.unit == "seconds" and abs(delta) < 30):
        sign = "±"
    zh = current_language() == "zh"
    if metric.unit == "share":
        points = abs(delta) * 100
        return f"{sign}{points:.1f} 个百分点" if zh else f"{sign}{points:.1f} pts"
    if metric.unit in ("count", "yuan") and metric.change_percent is not None:
        pct = abs(metric.change_percent) * 100
        if pct < 0.05:
            return "±0%"
        return f"{sign}{pct:.1f}%" if pct < 1 else f"{sign}{pct:.0f}%"
    if metric.unit == "seconds":
        return sign + duration(abs(delta))
    if metric.unit == "count":
        return f"{sign}{count(abs(delta))}"
    if metric.unit == "score":
        return f"{sign}{abs(delta):.1f}"
    return sign + formatted(metric.unit, abs(delta), metric.key)


def direction(metric: Metric | None) -> str:
    """good, bad or flat: is the change an improvement? (Response times and negatives are better lower.)"""
    if metric is None or not metric.change:
        return "flat"
    lower_is_better = metric.unit == "seconds" or metric.key in (
        "engagement.unanswered", "engagement.late", "engagement.sentiment_negative", "community.detractors",
        "engagement.excluded", "roi.cost_total") or metric.key.startswith("feedback.")
    better = metric.change < 0 if lower_is_better else metric.change > 0
    return "good" if better else "bad"
