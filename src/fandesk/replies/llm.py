"""Optional drafts from a language model behind an OpenAI-compatible chat endpoint (a local server or
a hosted one). The desk works fully without it; a model's draft is a draft like any other."""

from __future__ import annotations

from dataclasses import dataclass

from fandesk.errors import FandeskError

SYSTEM = ("You write replies for a brand's Xiaohongshu (小红书) community team. Reply in the follower's language, "
          "use their name, refer to what they said, answer the question completely, add one useful tip, and end "
          "with a follow-up question. No corporate boilerplate, no hard sell, under 120 Chinese characters or "
          "60 English words. Return only the reply text.")


class LlmError(FandeskError):
    pass


@dataclass(frozen=True)
class LlmConfig:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 30.0


def prompt_for(ctx: dict) -> str:
    """The thread and the follower card, as plain text for the model."""
    item, card = ctx["item"], ctx["card"]
    lines = []
    if ctx.get("note") is not None:
        lines.append(f"Note: {ctx['note'].title or ''} {(ctx['note'].text or '')[:300]}")
    for c in ctx.get("thread", [])[-12:]:
        who = "US" if c["ours"] else c["nickname"]
        lines.append(f"{'  ' * c['depth']}{who}: {c['text'][:300]}")
    if card:
        lines.append(f"Follower: {card['person'].nickname or ''}; tags: {', '.join(card['tags'])}; "
                     + "; ".join(f"{n}: {v}" for n, v in card["fields"] if v))
        lines.append(f"Purchases: {', '.join(p.product or '' for p in card['purchases'][:5])}")
    lines.append(f"Category: {item.category}; sentiment: {item.sentiment}; language: {item.language}")
    lines.append(f"Reply to this message: {item.text}")
    return "\n".join(lines)


def draft_with_model(config: LlmConfig, ctx: dict) -> str:
    import httpx

    headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
    body = {"model": config.model, "temperature": 0.4,
            "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt_for(ctx)}]}
    url = config.base_url.rstrip("/") + "/chat/completions"
    try:
        response = httpx.post(url, json=body, headers=headers, timeout=config.timeout)
        response.raise_for_status()
        text = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
        raise LlmError(f"the language model at {config.base_url} did not answer ({exc.__class__.__name__}); "
                       "write the draft from a template instead") from None
    if not isinstance(text, str) or not text.strip():
        raise LlmError(f"the language model at {config.base_url} sent an empty draft")
    return text.strip()
