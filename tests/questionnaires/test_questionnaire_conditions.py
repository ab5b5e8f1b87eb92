"""The condition language: what it refuses, how missing answers behave, and that it never crashes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.conditions import ConditionError, parse

NAMES = {"hhs_1", "age_months", "income_sources", "score", "date_of_birth", "interview_date"}


def run(source: str, **values: object) -> object:
    return parse(source, NAMES).evaluate(values.get)


class TestRefused:
    @pytest.mark.parametrize(
        ("source", "reason"),
        [
            ("__import__('os')", "__import__ is not a function you can call"),
            ("__import__('os').system('ls')", "attribute access"),
            ("hhs_1.upper()", "attribute access"),
            ("open('/etc/passwd')", "open is not a function you can call"),
            ("eval('1')", "eval is not a function you can call"),
            ("(lambda: 1)()", "this is not a function you can call"),
            ("lambda: 1", "lambda is not allowed"),
            ("[x for x in (1, 2)]", "comprehensions are not allowed"),
            ("{x for x in (1, 2)}", "comprehensions are not allowed"),
            ("sum(x for x in (1, 2))", "sum is not a function you can call"),
            ("score[0]", "Subscript is not allowed"),
            ("score ** 2", "only + - * / are allowed"),
            ("hhs_1 is None", "'is' and 'is not' are not allowed"),
            ("hhs_1 == None", "comparing with None is always false"),
            ("(1, 2)", "a list of values may only follow 'in'"),
            ("f'{hhs_1}'", "JoinedStr is not allowed"),
            ("(score := 1)", "NamedExpr is not allowed"),
            ("answered('hhs_1')", "answered() takes a question name"),
            ("answered(hhs_1, score)", "answered() takes 1 argument(s), not 2"),
            ("sum_of(*score)", "sum_of() takes no *arguments"),
            ("max_of(score, default=1)", "max_of() takes no keyword arguments"),
            ("answered", "answered is a function"),
            ("hhs_2 == 'yes'", "unknown name 'hhs_2'"),
            ("hhs_1 ==", "not a valid expression"),
            ("", "the expression is empty"),
            ("x = 1", "not a valid expression"),
            ("1 +" + " 1 +" * 2000 + " 1", "longer than 2000 characters"),
            ("-" * 60 + "1", "nested too deeply"),
        ],
    )
    def test_refused_with_a_reason(self, source: str, reason: str) -> None:
        with pytest.raises(ConditionError) as caught:
            parse(source, NAMES)
        assert reason in str(caught.value)

    def test_not_text(self) -> None:
        with pytest.raises(ConditionError):
            parse(42)  # type: ignore[arg-type]


class TestMeaning:
    def test_comparison_and_logic(self) -> None:
        assert run('hhs_1 == "yes" and age_months >= 60', hhs_1="yes", age_months=61.2) is True
        assert run('hhs_1 == "yes" and age_months >= 60', hhs_1="yes", age_months=59) is False
        assert run('not (hhs_1 == "yes") or score > 2', hhs_1="no", score=0) is True

    def test_missing_answers_make_every_comparison_false(self) -> None:
        for source in ('hhs_1 == "yes"', 'hhs_1 != "yes"', "score < 3", 'hhs_1 in ("a", "b")'):
            assert run(source) is False, source
            assert run(f"not ({source})") is True, source
        assert run('hhs_1 not in ("a", "b")') is False

    def test_missing_answers_make_arithmetic_missing(self) -> None:
        assert run("score + 1") is None
        assert run("score / 0", score=4) is None
        assert run("-score") is None

    def test_different_kinds_never_compare(self) -> None:
        assert run("score == '2'", score=2) is False
        assert run("score != '2'", score=2) is True
        assert run("score < 'a'", score=2) is False
        assert run("'a' * 3") is None

    def test_in_with_literals_and_with_a_multiple_choice_answer(self) -> None:
        assert run('hhs_1 in ("rarely", "sometimes")', hhs_1="rarely") is True
        assert run("score in [0, 1]", score=1) is True
        assert run("score in [0, 1]", score="1") is False
        assert run('"wages" in income_sources', income_sources=["grant", "wages"]) is True
        assert run('"wages" not in income_sources', income_sources=["grant"]) is True
        assert run('"wages" in income_sources') is False

    def test_chained_comparison(self) -> None:
        assert run("0 <= score <= 6", score=4) is True
        assert run("0 <= score <= 6", score=7) is False

    def test_functions(self) -> None:
        assert run("answered(score)", score=0) is True
        assert run("answered(score)") is False
        assert run("count_selected(income_sources)", income_sources=["a", "b"]) == 2
        assert run("count_selected(income_sources)") == 0
        assert run("sum_of(score, age_months)", score=1, age_months=2) == 3
        assert run("sum_of(score, age_months)", score=1) is None
        assert run("sum_answered(score, age_months)", score=1) == 1
        assert run("count_answered(score, age_months, hhs_1)", score=0, hhs_1="no") == 2
        assert run("max_of(score, age_months)", score=1, age_months=3) == 3
        assert run("min_of(score, age_months)", age_months=3) == 3
        assert run("max_of(score)") is None

    def test_age_in_months(self) -> None:
        value = run(
            "days_between(date_of_birth, interview_date) / 30.4375",
            date_of_birth=dt.date(2018, 3, 1),
            interview_date=dt.date(2025, 3, 1),
        )
        assert value == pytest.approx(2557 / 30.4375)
        assert run("days_between(date_of_birth, interview_date)") is None

    def test_conditional_expression(self) -> None:
        source = '0 if hhs_1 == "no" else (2 if score > 10 else 1)'
        assert run(source, hhs_1="no") == 0
        assert run(source, hhs_1="yes", score=12) == 2
        assert run(source, hhs_1="yes", score=3) == 1

    def test_names_and_compared_literals_are_reported(self) -> None:
        condition = parse('hhs_1 == "yes" and "b" != score and score in (1, 2)', NAMES)
        assert condition.names == {"hhs_1", "score"}
        assert set(condition.compared) == {
            ("hhs_1", "yes"),
            ("score", "b"),
            ("score", 1),
            ("score", 2),
        }

    def test_any_name_when_no_names_are_given(self) -> None:
        assert parse("anything > 1").names == {"anything"}


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.dates(),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=1),
)
TOKENS = st.sampled_from(
    [
        "a",
        "b",
        "c",
        "1",
        "2.5",
        "'x'",
        '"yes"',
        "None",
        "True",
        "(",
        ")",
        "[",
        "]",
        ",",
        " and ",
        " or ",
        "not ",
        " == ",
        " != ",
        " < ",
        " >= ",
        " in ",
        " not in ",
        " + ",
        " - ",
        " * ",
        " / ",
        " if ",
        " else ",
        "answered(",
        "sum_of(",
        "max_of(",
        "days_between(",
        "count_selected(",
        ".",
        "lambda ",
        ":",
        "**",
        "__import__",
    ]
)


class TestNeverCrashes:
    @settings(derandomize=True, max_examples=200)
    @given(st.text(max_size=200))
    def test_arbitrary_text_raises_only_condition_error(self, text: str) -> None:
        try:
            condition = parse(text, {"a", "b", "c"})
        except ConditionError as exc:
            assert str(exc), "every refusal says why"
        else:
            assert condition.source == text.strip()
            assert condition.names <= {"a", "b", "c"}

    @settings(derandomize=True, max_examples=200)
    @given(
        st.lists(TOKENS, min_size=1, max_size=30).map("".join), st.tuples(VALUES, VALUES, VALUES)
    )
    def test_valid_expressions_evaluate_without_raising(
        self, text: str, values: tuple[object, object, object]
    ) -> None:
        """Whatever the answers hold, a parsed expression evaluates without an exception."""
        try:
            condition = parse(text, {"a", "b", "c"})
        except ConditionError:
            return
        lookup = dict(zip(("a", "b", "c"), values, strict=True)).get
        condition.evaluate(lookup)
        assert isinstance(condition.test(lookup), bool)
