"""The one error type that may leave the library: everything a user can cause is a FrontlinesError."""

from __future__ import annotations


def printable(text: str) -> str:
    """Text that any terminal can print: the bytes of an undecodable file name (decoded by
    Python as lone surrogates) shown escaped, as \\xff."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


class FrontlinesError(Exception):
    """A problem the user can act on, with the file it concerns when there is one."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{printable(self.path)}: {self.message}" if self.path else self.message

    def __reduce__(self) -> tuple:
        # Pickled with its path (a worker process sends it back to the one that reports it).
        return type(self), (self.message, self.path)


class InputError(FrontlinesError):
    """A document that cannot be read: missing, binary, undecodable, empty, too large."""


class ConfigError(FrontlinesError):
    """A profile, gazetteer or option that is malformed."""


class StoreError(FrontlinesError):
    """The database itself failed (missing, foreign, corrupt, locked): not one document's fault."""
