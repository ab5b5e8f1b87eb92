"""The one error the scoring layer raises for impossible input."""


class ScoringError(ValueError):
    """An answer or measurement that no valid interview could produce.

    The message is one plain sentence naming the question id, never the answer itself, and
    saying what to do next. Core re-raises it as a ``CwttError`` with ``from``.
    """
