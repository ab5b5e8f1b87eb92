"""Rule conditions: dotted input names and three-valued (true / false / unknown) evaluation.

Conditions are written in the questionnaires' expression language (``questionnaires.conditions``)
with dotted input names (``growth.haz < -3``). That language has no dots, so a dotted name is
rewritten to a flat one (``growth__haz``) before ``parse`` checks it against the known names.
The questionnaires' interpreter reads every comparison with a missing value as false; a rule needs
more: whether its outcome depends on what is missing. So the checked expression is evaluated here
with Kleene's logic: a missing input is UNKNOWN, ``x and UNKNOWN`` is false when ``x`` is false,
``x or UNKNOWN`` true when ``x`` is true, and anything else touching UNKNOWN stays UNKNOWN.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection

from questionnaires.conditions import ConditionError, compare_values, parse, value_kind
from questionnaires.functions import FUNCTIONS

__all__ = ["Compiled", "Unknown", "compile_condition", "dotted", "flat"]

SEPARATOR = "__"
_DOTTED = re.compile(
    r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\b"""
)
_FLAT = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*)__([a-z0-9_]+)\b")
# Functions whose point is to look at missing values: they get None, not UNKNOWN.
_SEES_MISSING = frozenset({"answered", "count_answered"})


class Unknown:
    """The third truth value: the outcome depends on inputs that are missing (``names``)."""

    __slots__ = ("names",)

    def __init__(self, names: frozenset[str] = frozenset()) -> None:
        self.names = names

    def __repr__(self) -> str:
        return f"Unknown({sorted(self.names)})"

    def __bool__(self) -> bool:
        raise TypeError("an Unknown has no truth value; test it with isinstance")


def _unknown(*values: object) -> Unknown:
    """An Unknown that blames every missing input behind ``values``."""
    names: frozenset[str] = frozenset()
    for value in values:
        if isinstance(value, Unknown):
            names |= value.names
    return Unknown(names)


Lookup = Callable[[str], object]


def flat(name: str) -> str:
    """``growth.haz`` → ``growth__haz``; a name without a dot stays as it is."""
    return name.replace(".", SEPARATOR, 1)


def dotted(text: str) -> str:
    """Every flat name in ``text`` (an error message, say) written back with its dot."""
    return _FLAT.sub(r"\1.\2", text)


class Compiled:
    """A checked condition: the dotted names it reads and its three-valued evaluation."""

    def __init__(self, source: str, names: tuple[str, ...], tree: ast.expr) -> None:
        self.source = source
        #: The names read, in order of first appearance.
        self.names = names
        self._tree = tree
        self._dotted = {flat(name): name for name in names}

    def evaluate(self, lookup: Lookup) -> object:
        """``True``/``False`` (or another definite value), or an ``Unknown`` naming the missing
        inputs the outcome depends on.

        ``lookup(name)`` gets a dotted name and returns its value, ``None`` when missing.
        """
        return _Evaluator(lookup, self._dotted).run(self._tree)


def compile_condition(source: str, names: Collection[str]) -> Compiled:
    """Check ``source`` against the dotted ``names`` it may read.

    Raises:
        ConditionError: not a valid condition; the message uses dotted names.
    """
    if not isinstance(source, str):
        raise ConditionError("a condition must be text", repr(source))
    rewritten = _DOTTED.sub(lambda m: m.group(1) or f"{m.group(2)}{SEPARATOR}{m.group(3)}", source)
    try:
        condition = parse(rewritten, {flat(name) for name in names})
    except ConditionError as exc:
        raise ConditionError(dotted(exc.message), source) from None
    tree = ast.parse(condition.source, mode="eval").body
    ordered = [n.id for n in sorted(_names(tree), key=lambda n: n.col_offset)]
    read = tuple(dict.fromkeys(dotted(n) if SEPARATOR in n else n for n in ordered))
    return Compiled(source.strip(), read, tree)


def _names(tree: ast.expr) -> list[ast.Name]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in FUNCTIONS]


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Evaluator:
    """Walks a tree that ``questionnaires.conditions.parse`` has already checked."""

    def __init__(self, lookup: Lookup, names: dict[str, str]) -> None:
        self.lookup = lookup
        self.names = names  # flat name -> dotted name

    def run(self, node: ast.expr) -> object:
        try:
            return self.eval(node)
        except (ArithmeticError, TypeError, ValueError):
            return Unknown()

    def eval(self, node: ast.expr) -> object:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            name = self.names.get(node.id, node.id)
            value = self.lookup(name)
            if value is None:
                return Unknown(frozenset({name}))
            return tuple(value) if isinstance(value, list) else value
        if isinstance(node, ast.BoolOp):
            return self.boolop(node)
        if isinstance(node, ast.UnaryOp):
            operand = self.eval(node.operand)
            if isinstance(operand, Unknown):
                return operand
            if isinstance(node.op, ast.Not):
                return not operand
            if not _number(operand):
                return Unknown()
            return -operand if isinstance(node.op, ast.USub) else operand  # type: ignore[operator]
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.IfExp):
            test = self.eval(node.test)
            if isinstance(test, Unknown):
                body, orelse = self.eval(node.body), self.eval(node.orelse)
                return body if _same(body, orelse) else _unknown(test, body, orelse)
            return self.eval(node.body) if test else self.eval(node.orelse)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            name = node.func.id
            args = [self.eval(arg) for arg in node.args]
            if name in _SEES_MISSING:
                args = [None if isinstance(arg, Unknown) else arg for arg in args]
            elif any(isinstance(arg, Unknown) for arg in args):
                return _unknown(*args)
            result = FUNCTIONS[name].impl(*args)
            return Unknown() if result is None else result
        raise TypeError(type(node).__name__)  # unreachable for checked trees

    def boolop(self, node: ast.BoolOp) -> object:
        values = [self.eval(part) for part in node.values]
        decisive = (lambda v: not v) if isinstance(node.op, ast.And) else (lambda v: bool(v))
        for value in values:
            if not isinstance(value, Unknown) and decisive(value):
                return value
        if any(isinstance(value, Unknown) for value in values):
            return _unknown(*values)
        return values[-1]

    def binop(self, node: ast.BinOp) -> object:
        left, right = self.eval(node.left), self.eval(node.right)
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return _unknown(left, right)
        if not (_number(left) and _number(right)):
            return Unknown()
        a, b = left, right
        if isinstance(node.op, ast.Add):
            return a + b  # type: ignore[operator]
        if isinstance(node.op, ast.Sub):
            return a - b  # type: ignore[operator]
        if isinstance(node.op, ast.Mult):
            return a * b  # type: ignore[operator]
        return Unknown() if b == 0 else a / b  # type: ignore[operator]

    def compare(self, node: ast.Compare) -> object:
        left = self.eval(node.left)
        outcome: object = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn) and isinstance(right_node, ast.Tuple | ast.List):
                right: object = tuple(self.eval(e) for e in right_node.elts)
            else:
                right = self.eval(right_node)
            if isinstance(left, Unknown) or isinstance(right, Unknown):
                outcome = _unknown(outcome, left, right)
            elif not compare_values(op, left, right):
                return False  # one false link makes the chain false, whatever is unknown
            left = right
        return outcome


def _same(a: object, b: object) -> bool:
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return False
    return value_kind(a) == value_kind(b) and a == b
