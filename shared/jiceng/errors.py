"""Errors that reach clients as RFC 9457 problems.

Framework-free: domain code raises these; only the API layer turns them into responses.
Each error has a stable ``code`` (the key of its message in :mod:`jiceng.messages`) and
parameters that fill the message and are returned to the client as extension members.
"""

from __future__ import annotations

from typing import Any, ClassVar


class JicengError(Exception):
    """Base class: a stable code, its parameters, and the HTTP status it maps to."""

    status: ClassVar[int] = 400

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.params!r})"


class InvalidInput(JicengError):
    """The request is malformed or names something impossible."""

    status = 422


class RuleViolation(JicengError):
    """A rule of a policy pack forbids the command; params name the rule, pack and numbers."""

    status = 422


class NotFound(JicengError):
    """The resource does not exist, or is outside the caller's scope (never say which)."""

    status = 404


class Conflict(JicengError):
    """The command conflicts with the current state (duplicate, in flight, ...)."""

    status = 409


class UnsupportedMediaType(JicengError):
    """The request body is not of a type the operation reads."""

    status = 415


class StaleVersion(JicengError):
    """The caller acted on a version of the stream that is no longer current."""

    status = 412


class Unauthenticated(JicengError):
    """No valid credentials were presented."""

    status = 401


class Forbidden(JicengError):
    """The principal lacks the role the operation needs."""

    status = 403


class Unavailable(JicengError):
    """Something the request needs is out of reach for now (answered with Retry-After)."""

    status = 503
