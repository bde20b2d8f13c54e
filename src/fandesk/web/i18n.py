"""Translations: gettext catalogues compiled with Babel and shipped in the package. Simplified
Chinese by default; English is the catalogue's source language."""

from __future__ import annotations

import gettext
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources

from babel.support import NullTranslations, Translations

LANGUAGES = {"zh": "zh_CN", "en": "en"}
DEFAULT_LANGUAGE = "zh"
_current: ContextVar[str] = ContextVar("fandesk_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> gettext.NullTranslations:
    locale = LANGUAGES.get(language)
    if locale is None or locale == "en":
        return NullTranslations()
    directory = str(resources.files("fandesk.web") / "locale")
    return Translations.load(directory, [locale], domain="messages")


def use_language(language: str):
    """Set the language of the current request; returns the token to reset it."""
    return _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def in_language(language: str):
    """Words in this language within the block (the command line speaks English), as before after it."""
    token = use_language(language)
    try:
        yield
    finally:
        _current.reset(token)


def current_language() -> str:
    return _current.get()


def gettext_(message: str, **variables) -> str:
    text = translations(_current.get()).gettext(message)
    return text % variables if variables else text


def ngettext_(singular: str, plural: str, n: int, **variables) -> str:
    text = translations(_current.get()).ngettext(singular, plural, n)
    return text % ({"num": n} | variables)


_ = gettext_
