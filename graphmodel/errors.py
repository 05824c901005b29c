"""The one exception type for user mistakes, carrying where the mistake is."""

from __future__ import annotations


class ModelError(Exception):
    """A mistake in a user's input: a report, a model file, a name or an option.

    Why: every user mistake must print as one line naming the file, line and
    field (``data/x/flows.yaml:42: flows[3].to: unknown id 'mash-sefon'``),
    so the CLI catches this type in one place; anything else is a bug.
    """

    def __init__(self, message: str, file: str | None = None,
                 line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message, self.file, self.line, self.field = message, file, line, field

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return where + (f"{self.field}: " if self.field else "") + self.message


class ModelErrors(ModelError):
    """Several problems found at once (a validation reports them all)."""

    def __init__(self, problems: list[ModelError]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def raise_all(problems: list[ModelError]) -> None:
    """Raise the problems found, if any: one as itself, several together."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ModelErrors(problems)


class UsageError(ModelError):
    """A bad option or argument (an unknown name, a bad date): the CLI exits 2.

    ``option`` is the keyword argument that took the bad value (``org``,
    ``view party:``), shown before the message. The library words its
    messages without command-line flags; the CLI swaps the keyword for the
    flag the user typed (``--org``), so each reader sees their own word.
    """

    def __init__(self, message: str, option: str | None = None, *, file: str | None = None,
                 line: int | None = None, field: str | None = None):
        super().__init__(message, file, line, field)
        self.option = option

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.option} {text}" if self.option else text


def relabelled(exc: ModelError, old: str, new: str) -> ModelError:
    """The error with every mention of a scratch path ``old`` made ``new``.

    Why: a check run on a scratch copy (a new area, an import) must name the
    user's folder, never a temporary one that is gone by the time they look.
    """
    for problem in getattr(exc, "problems", None) or [exc]:
        if problem.file:
            problem.file = problem.file.replace(old, new)
        problem.message = problem.message.replace(old, new)
        problem.args = (problem.message,)
    return exc
