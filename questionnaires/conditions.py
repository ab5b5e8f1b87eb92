"""A small, safe expression language for skip logic, constraints and derived values.

Expressions are Python-shaped (``hhs_1 == "yes" and age_months >= 60``) but are never given to
``eval``: the text is parsed with ``ast.parse(mode="eval")``, every node is checked against a
whitelist, and a small interpreter walks the checked tree.

What is allowed:

- numbers, strings, ``True``, ``False`` and ``None`` (``None`` only as a result, for example
  ``x if answered(x) else None``; comparing with it is refused, use ``answered(x)``);
- names of questions, derived values and registration facts (``sex``, ``date_of_birth``,
  ``interview_date``), checked against the names the caller says exist;
- ``and``, ``or``, ``not``, ``x if condition else y``;
- comparisons ``== != < <= > >=``, and ``in`` / ``not in`` with a literal tuple or list
  (``x in ("a", "b")``) or with a multiple-choice answer (``"wages" in income_sources``);
- ``+ - * /`` on numbers, unary ``-``;
- the functions in :data:`FUNCTIONS`, called with positional arguments only.

How missing answers behave: a question that is unanswered, skipped (refused, don't know, not
applicable) or hidden by skip logic evaluates as ``None``. **Every comparison that involves
``None`` is false** - ``x == "yes"``, ``x != "yes"``, ``x < 3`` and ``x in (...)`` all give
``False`` when ``x`` is missing - so ``not (x == "yes")`` is the way to say "anything but yes,
including missing". Arithmetic with ``None`` gives ``None``, and so does division by zero.
Comparing values of different kinds (a number with a text) is false, except ``!=``.
Evaluation never raises.
"""

from __future__ import annotations

import ast
import datetime as dt
import warnings
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from questionnaires.functions import FUNCTIONS

__all__ = ["FUNCTIONS", "Condition", "ConditionError", "parse"]

#: Longest expression accepted, in characters; rules are short, and this bounds parser work.
MAX_LENGTH = 2000
#: Deepest nesting accepted; keeps the interpreter far from Python's recursion limit.
MAX_DEPTH = 40

Lookup = Callable[[str], object]


class ConditionError(Exception):
    """An expression that is not valid in the condition language; ``str()`` says why."""

    def __init__(self, message: str, source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.source = source


_COMPARE_OPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)
_BIN_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)
_UNARY_OPS = (ast.Not, ast.USub, ast.UAdd)
_CONSTANT_TYPES = (bool, int, float, str, type(None))


@dataclass(frozen=True)
class Condition:
    """A parsed, checked expression. Build with :func:`parse`; run with :meth:`evaluate`."""

    source: str
    #: Every name the expression reads (questions, derived values, facts).
    names: frozenset[str]
    #: ``(name, literal)`` for each ``name == literal``, ``name != literal`` and
    #: ``name in (literal, ...)``, so a loader can check literals against choice codes.
    compared: tuple[tuple[str, object], ...]
    _tree: ast.expr = field(repr=False, compare=False)

    def evaluate(self, lookup: Lookup) -> object:
        """The expression's value; ``lookup(name)`` gives each name's value (``None`` if missing)."""
        return _Interpreter(lookup).run(self._tree)

    def test(self, lookup: Lookup) -> bool:
        """The expression read as a condition: true only when its value is truthy."""
        return bool(self.evaluate(lookup))


def parse(source: str, names: Collection[str] | None = None) -> Condition:
    """Parse and check ``source``.

    Args:
        source: the expression text.
        names: the names an expression may read; ``None`` accepts any name.

    Raises:
        ConditionError: the text is not a valid expression, uses anything outside the
            whitelist, calls a function wrongly, or reads a name not in ``names``.
    """
    if not isinstance(source, str):
        raise ConditionError("an expression must be text", repr(source))
    text = source.strip()
    if not text:
        raise ConditionError("the expression is empty", source)
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"the expression is longer than {MAX_LENGTH} characters", source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ConditionError(f"not a valid expression ({exc.msg})", source) from None
    except (ValueError, RecursionError, MemoryError, OverflowError):
        raise ConditionError("not a valid expression", source) from None
    checker = _Checker(source, names)
    try:
        checker.check(tree.body, 0)
    except RecursionError:
        raise ConditionError("the expression is nested too deeply", source) from None
    return Condition(text, frozenset(checker.seen), tuple(checker.compared), tree.body)


class _Checker:
    """Walks a parsed tree and refuses anything outside the whitelist."""

    def __init__(self, source: str, names: Collection[str] | None) -> None:
        self.source = source
        self.names = names
        self.seen: set[str] = set()
        self.compared: list[tuple[str, object]] = []

    def fail(self, message: str) -> ConditionError:
        return ConditionError(message, self.source)

    def check(self, node: ast.AST, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise self.fail("the expression is nested too deeply")
        depth += 1
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, _CONSTANT_TYPES):
                raise self.fail(f"{type(node.value).__name__} values are not allowed")
        elif isinstance(node, ast.Name):
            self.check_name(node.id)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self.check(value, depth)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, _UNARY_OPS):
                raise self.fail("only 'not' and '-' may stand before a value")
            self.check(node.operand, depth)
        elif isinstance(node, ast.BinOp):
            if not isinstance(node.op, _BIN_OPS):
                raise self.fail("only + - * / are allowed for arithmetic")
            self.check(node.left, depth)
            self.check(node.right, depth)
        elif isinstance(node, ast.Compare):
            self.check_compare(node, depth)
        elif isinstance(node, ast.IfExp):
            for part in (node.test, node.body, node.orelse):
                self.check(part, depth)
        elif isinstance(node, ast.Call):
            self.check_call(node, depth)
        elif isinstance(node, ast.Tuple | ast.List):
            raise self.fail("a list of values may only follow 'in' or 'not in'")
        elif isinstance(node, ast.Attribute):
            raise self.fail("attribute access (a dot after a name) is not allowed")
        elif isinstance(node, ast.Lambda):
            raise self.fail("lambda is not allowed")
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            raise self.fail("comprehensions are not allowed")
        else:
            raise self.fail(f"{type(node).__name__} is not allowed in an expression")

    def check_name(self, name: str) -> None:
        if name in FUNCTIONS:
            raise self.fail(f"{name} is a function; call it with brackets")
        if self.names is not None and name not in self.names:
            raise self.fail(f"unknown name {name!r}")
        self.seen.add(name)

    def check_compare(self, node: ast.Compare, depth: int) -> None:
        self.check(node.left, depth)
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if not isinstance(op, _COMPARE_OPS):
                raise self.fail("'is' and 'is not' are not allowed; use == or answered(x)")
            if _is_none(left) or _is_none(right):
                raise self.fail("comparing with None is always false; use answered(x)")
            if isinstance(op, ast.In | ast.NotIn) and isinstance(right, ast.Tuple | ast.List):
                for element in right.elts:
                    self.check(element, depth + 1)
                if isinstance(left, ast.Name):
                    for element in right.elts:
                        if isinstance(element, ast.Constant):
                            self.compared.append((left.id, element.value))
            else:
                self.check(right, depth)
                if isinstance(op, ast.Eq | ast.NotEq):
                    self.note_literal(left, right)
                    self.note_literal(right, left)
            left = right

    def note_literal(self, name: ast.expr, literal: ast.expr) -> None:
        if isinstance(name, ast.Name) and isinstance(literal, ast.Constant):
            self.compared.append((name.id, literal.value))

    def check_call(self, node: ast.Call, depth: int) -> None:
        if isinstance(node.func, ast.Attribute):
            raise self.fail("attribute access (a dot after a name) is not allowed")
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            what = node.func.id if isinstance(node.func, ast.Name) else "this"
            known = ", ".join(sorted(FUNCTIONS))
            raise self.fail(f"{what} is not a function you can call (known: {known})")
        name = node.func.id
        spec = FUNCTIONS[name]
        if node.keywords:
            raise self.fail(f"{name}() takes no keyword arguments")
        count = len(node.args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            wanted = (
                f"{spec.min_args}" if spec.max_args == spec.min_args else f"{spec.min_args} or more"
            )
            raise self.fail(f"{name}() takes {wanted} argument(s), not {count}")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(f"{name}() takes no *arguments")
            if spec.names_only and not isinstance(arg, ast.Name):
                raise self.fail(f"{name}() takes a question name")
            self.check(arg, depth)


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float)


def value_kind(value: object) -> str:
    """'number', 'date', 'datetime', or the type's name: what comparisons treat as alike."""
    if _is_number(value):
        return "number"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    return type(value).__name__


class _Interpreter:
    """Evaluates a checked tree; never raises for any values ``lookup`` returns."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup

    def run(self, node: ast.expr) -> object:
        try:
            return self.eval(node)
        except (ArithmeticError, TypeError, ValueError):
            return None

    def eval(self, node: ast.expr) -> object:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            value = self.lookup(node.id)
            return tuple(value) if isinstance(value, list) else value
        if isinstance(node, ast.BoolOp):
            return self.eval_boolop(node)
        if isinstance(node, ast.UnaryOp):
            operand = self.eval(node.operand)
            if isinstance(node.op, ast.Not):
                return not operand
            if not _is_number(operand):
                return None
            return -operand if isinstance(node.op, ast.USub) else +operand  # type: ignore[operator]
        if isinstance(node, ast.BinOp):
            return self.eval_binop(node)
        if isinstance(node, ast.Compare):
            return self.eval_compare(node)
        if isinstance(node, ast.IfExp):
            return self.eval(node.body) if self.eval(node.test) else self.eval(node.orelse)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            return FUNCTIONS[node.func.id].impl(*(self.eval(arg) for arg in node.args))
        raise TypeError(type(node).__name__)  # unreachable for checked trees

    def eval_boolop(self, node: ast.BoolOp) -> object:
        value: object = None
        for part in node.values:
            value = self.eval(part)
            if isinstance(node.op, ast.And) and not value:
                return value
            if isinstance(node.op, ast.Or) and value:
                return value
        return value

    def eval_binop(self, node: ast.BinOp) -> object:
        left, right = self.eval(node.left), self.eval(node.right)
        if not (_is_number(left) and _is_number(right)):
            return None
        a, b = left, right
        if isinstance(node.op, ast.Add):
            return a + b  # type: ignore[operator]
        if isinstance(node.op, ast.Sub):
            return a - b  # type: ignore[operator]
        if isinstance(node.op, ast.Mult):
            return a * b  # type: ignore[operator]
        return None if b == 0 else a / b  # type: ignore[operator]

    def eval_compare(self, node: ast.Compare) -> bool:
        left = self.eval(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn) and isinstance(right_node, ast.Tuple | ast.List):
                right: object = tuple(self.eval(e) for e in right_node.elts)
            else:
                right = self.eval(right_node)
            if not _compare(op, left, right):
                return False
            left = right
        return True


def _compare(op: ast.cmpop, left: object, right: object) -> bool:
    if left is None or right is None:
        return False
    return compare_values(op, left, right)


def compare_values(op: ast.cmpop, left: object, right: object) -> bool:
    """One comparison as conditions read it: values of different kinds are never equal or
    ordered (a number is not a string, a date is not a number). Shared with scoring's rules."""
    if isinstance(op, ast.In | ast.NotIn):
        if not isinstance(right, tuple):
            return False
        found = any(value_kind(item) == value_kind(left) and item == left for item in right)
        return found if isinstance(op, ast.In) else not found
    same_kind = value_kind(left) == value_kind(right)
    if isinstance(op, ast.Eq):
        return same_kind and left == right
    if isinstance(op, ast.NotEq):
        return not (same_kind and left == right)
    if not same_kind or value_kind(left) not in ("number", "str", "date", "datetime"):
        return False
    if isinstance(op, ast.Lt):
        return left < right  # type: ignore[operator]
    if isinstance(op, ast.LtE):
        return left <= right  # type: ignore[operator]
    if isinstance(op, ast.Gt):
        return left > right  # type: ignore[operator]
    return left >= right  # type: ignore[operator]
