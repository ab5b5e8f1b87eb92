"""Stored payloads and vectors: orjson's bytes read back as the standard library's would."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cwtt_tui.store import version_vectors as vv
from cwtt_tui.store.context import compact_json, decode_payload, encode_payload

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


def standard(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


@given(json_values)
def test_payloads_read_back_as_the_standard_library_would(data: Any) -> None:
    assert json.loads(compact_json(data)) == json.loads(standard(data))
    assert decode_payload(encode_payload(data)) == json.loads(standard(data))


def test_text_and_keys_are_written_byte_for_byte_as_before() -> None:
    data = {"b": [1, "Zanele é\u2028"], "a": {"y": None, "x": True}, "c": 1.5}
    assert compact_json(data) == standard(data)


def test_what_orjson_refuses_goes_through_the_standard_library() -> None:
    assert compact_json({"n": 2**70}) == b'{"n":1180591620717411303424}'
    assert json.loads(compact_json({1: "one"})) == {"1": "one"}


@given(st.dictionaries(st.text(max_size=8), st.integers(min_value=0), max_size=4))
def test_version_vectors_are_written_as_the_standard_library_wrote_them(vector: dict) -> None:
    # Stored vectors are compared as text (a conflict already kept is found by its vector).
    assert vv.dump(vector) == json.dumps(dict(sorted(vector.items())), separators=(",", ":"))
