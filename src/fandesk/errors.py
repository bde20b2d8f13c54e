"""Domain errors. They carry a message a person can act on; no HTTP, no CLI."""


class FandeskError(Exception):
    """Base class: the message names what is wrong and what to do."""


class NotFound(FandeskError):
    pass


class Conflict(FandeskError):
    pass


class Invalid(FandeskError):
    pass


class Forbidden(FandeskError):
    pass


class BadRecord(Invalid):
    """One record of an imported file is wrong: names the file, the record and the field."""

    def __init__(self, file: str, where: str, field: str | None, problem: str, hint: str = ""):
        self.file = file
        self.where = where
        self.field = field
        self.problem = problem
        self.hint = hint
        parts = [f"{file}: {where}"]
        if field:
            parts.append(f"field '{field}'")
        message = ", ".join(parts) + f": {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)

    def as_dict(self) -> dict:
        return {"file": self.file, "where": self.where, "field": self.field,
                "problem": self.problem, "hint": self.hint}


class BadFile(Invalid):
    """A whole file cannot be read: names the file and says what to do."""

    def __init__(self, file: str, problem: str, hint: str = ""):
        self.file = file
        self.problem = problem
        self.hint = hint
        super().__init__(f"{file}: {problem}" + (f" ({hint})" if hint else ""))


class InvalidField(Invalid):
    """A value a person typed is refused. `code` and `params` let the web app say it in the reader's
    language; the message (English) serves the CLI, tests and logs."""

    def __init__(self, code: str, message: str, **params):
        self.code = code
        self.params = params
        super().__init__(message)


class Overtaken(Conflict):
    """Someone else changed the record first: of two people acting at once, one wins and the other gets
    this, saying who and what (`code`, e.g. reply_rejected, and `params`, e.g. name), so the web app can
    say it in the reader's language; the message (English) serves the CLI, tests and logs."""

    def __init__(self, code: str, message: str, **params):
        self.code = code
        self.params = params
        super().__init__(message)
