"""The one error type that may leave the library: everything a user can cause is a FrontlinesError."""

from __future__ import annotations


class FrontlinesError(Exception):
    """A problem the user can act on, with the file it concerns when there is one."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(FrontlinesError):
    """A document that cannot be read: missing, binary, undecodable, empty, too large."""


class ConfigError(FrontlinesError):
    """A profile, gazetteer or option that is malformed."""
