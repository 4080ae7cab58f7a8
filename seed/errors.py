"""The one error a plan document raises when it cannot be read as a plan."""

from __future__ import annotations

__all__ = ["PlanParseError"]


class PlanParseError(Exception):
    """A document that cannot be read as a plan; ``str(exc)`` is one Chinese sentence."""
