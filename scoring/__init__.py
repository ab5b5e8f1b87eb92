"""Pure scoring: a child's answers for one round to a risk level per domain."""
