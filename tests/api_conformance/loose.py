"""Loose comparison of a recorded AWS value with ours: the Python twin of tests/conformance's
loose_match.cpp and history_compare.cpp, so the API path judges exactly as the in-process runner.

Placeholder tokens (`<uuid:1>`, `<ArnPart_0idx>`, ...) stand for any text; the recorder's words
for times (`timestamp`, `datetime`, ...), random values and replaced ARNs or names (`*_arn`,
`*_name`) match any value of the right kind; strings the recorder parsed as JSON are parsed on
our side too; numbers compare by value, but an integer never equals a fraction-formatted double.
"""
import json
import re

TIME_WORDS = {"timestamp", "datetime", "date", "time", "start-time", "entered-time",
              "creation-date", "start-date", "stop-date"}
_WORD_RE = re.compile(r"[a-z_]+")
_TOKEN_RE = re.compile(r"<[A-Za-z0-9_\-]+(?::[0-9]+)?>")
# `activity_name`, `function_name_branch1`: replaced names, with the transformer's suffix.
_NAME_WORD_RE = re.compile(r"[a-z][a-z0-9_]*_name(_[a-z0-9]+)?")
_HYPHEN_ARN_RE = re.compile(r"[a-z]+(-[a-z]+)*-arn")  # `execution-arn`
_REPLACED_VALUE_RE = re.compile(r"[a-z][A-Za-z]*EventDetails\.output")


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def brief(value, limit=120):
    text = value if isinstance(value, str) else compact(value)
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "..."


def kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def _is_time_word(s):
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        s = s[1:-1]
    return s in TIME_WORDS


def _is_random_word(s, actual):
    if s == "generated-uuid":
        return isinstance(actual, str)
    if s == "RandomNumberGenerated":
        return isinstance(actual, int) and not isinstance(actual, bool)
    return False


def _is_replaced_word(s, suffix):
    # `snf_role_arn`, `activity_arn`, `activity_name`: what the recorder put instead of values.
    return len(s) > len(suffix) and s.endswith(suffix) and _WORD_RE.fullmatch(s) is not None


def _is_replaced_value_word(s):
    # `executionSucceededEventDetails.output`: a value the recorded test's snapshot transformer
    # replaced by the name of its place (loose_match.cpp): not recorded, any value matches.
    return _REPLACED_VALUE_RE.fullmatch(s) is not None


def _is_later_context_field(expected, key, value):
    # The context object's Execution.RedriveCount came with redrive (November 2023); older
    # recordings lack it: accepted only as 0 (loose_match.cpp). Likewise the redrive fields of
    # a DescribeExecution answer (a `.sync` Task's output), as replay.py's LATER_FIELDS.
    if all(k in expected for k in ("Id", "StartTime", "RoleArn")):
        return key == "RedriveCount" and value == 0 and not isinstance(value, bool)
    if all(k in expected for k in ("ExecutionArn", "StartDate")) and \
            "RedriveCount" not in expected:
        return (key == "RedriveCount" and value == 0 and not isinstance(value, bool)) or \
            key in ("RedriveStatus", "RedriveStatusReason")
    return False


def _length_of_renamed_body(expected, key):
    # An SDK answer's SdkHttpMetadata carries the Content-Length of the body AWS sent; when the
    # recorder replaced the names inside that body (the ExecutionArn holds a <...> token), the
    # recorded length is that of names we never see, so the header cannot be compared.
    arn = expected.get("ExecutionArn")
    return key == "SdkHttpMetadata" and isinstance(arn, str) and _TOKEN_RE.search(arn) is not None


def _without_content_length(metadata):
    if not isinstance(metadata, dict):
        return metadata
    out = dict(metadata)
    for headers in ("AllHttpHeaders", "HttpHeaders"):
        if isinstance(out.get(headers), dict):
            out[headers] = {k: v for k, v in out[headers].items() if k != "Content-Length"}
    return out


def _same_json_text(expected, actual):
    # JSON text the client sent with its own spacing: AWS echoes it verbatim, compare by value.
    if not expected or expected[0] not in "[{":
        return False
    try:
        e = json.loads(expected)
        if compact(e) == expected:
            return False  # already compact: must match exactly
        return compact(e) == compact(json.loads(actual))
    except ValueError:
        return False


def _literal_pieces(s):
    pieces, start = [], 0
    for m in _TOKEN_RE.finditer(s):
        pieces.append(s[start:m.start()])
        start = m.end()
    pieces.append(s[start:])
    return pieces


def _token_match(pieces, actual):
    first, last = pieces[0], pieces[-1]
    if len(actual) < len(first) + len(last):
        return False
    if not actual.startswith(first) or not actual.endswith(last):
        return False
    at, limit = len(first), len(actual) - len(last)
    for piece in pieces[1:-1]:
        found = actual.find(piece, at, limit)
        if found < 0:
            return False
        at = found + len(piece)
    return at <= limit


def _same_number(e, a):
    if isinstance(e, float) != isinstance(a, float):
        return False
    return e == a


def diff(e, a, path="$", loose=True):
    """None when `a` matches `e`; otherwise where and how they first differ."""
    def differ(what):
        return f"{path}: {what}"

    if loose and isinstance(e, str):
        if _is_time_word(e) and (isinstance(a, str) or kind(a) == "number"):
            return None
        # The recorder replaces a header's whole value, a one-element list in AllHttpHeaders too.
        if _is_time_word(e) and isinstance(a, list) and len(a) == 1 and isinstance(a[0], str):
            return None
        # ... and writes the key's own name for ids it cannot keep stable (trace, request ids).
        if len(e) > 2 and e.endswith("Id") and path.endswith("." + e):
            return None
        if _is_random_word(e, a):
            return None
        if _is_replaced_value_word(e):
            return None
        if isinstance(a, str) and _same_json_text(e, a):
            return None
        if isinstance(a, str) and (_is_replaced_word(e, "_arn") or _HYPHEN_ARN_RE.fullmatch(e)) \
                and a.startswith("arn:"):
            return None
        if isinstance(a, str) and _NAME_WORD_RE.fullmatch(e):
            return None
        # `sqs_queue_url`: a URL the recorder replaced.
        if isinstance(a, str) and _is_replaced_word(e, "_url") and \
                a.startswith(("http://", "https://")):
            return None
        pieces = _literal_pieces(e)
        if len(pieces) > 1:
            text = a if isinstance(a, str) else compact(a)
            if _token_match(pieces, text):
                return None
            return differ(f"expected {brief(e)}, got {brief(a)}")
    if loose and not isinstance(e, str) and isinstance(a, str):
        try:
            parsed = json.loads(a)
        except ValueError:
            return differ(f"expected {brief(e)}, got the string {brief(a)}")
        return diff(e, parsed, path, loose)
    if kind(e) != kind(a):
        return differ(f"expected {brief(e)}, got {brief(a)}")
    if kind(e) == "number":
        return None if _same_number(e, a) else differ(f"expected {brief(e)}, got {brief(a)}")
    if isinstance(e, dict):
        for key, value in e.items():
            if loose and key == "timestamp":
                continue
            if key not in a:
                return f"{path}: missing field '{key}' (expected {brief(value)})"
            actual = a[key]
            if loose and _length_of_renamed_body(e, key):
                value, actual = _without_content_length(value), _without_content_length(actual)
            d = diff(value, actual, f"{path}.{key}", loose)
            if d:
                return d
        for key, value in a.items():
            if key not in e and not (loose and key == "timestamp") and \
                    not (loose and _is_later_context_field(e, key, value)):
                return f"{path}: unexpected field '{key}' = {brief(value)}"
        return None
    if isinstance(e, list):
        for i, (x, y) in enumerate(zip(e, a)):
            d = diff(x, y, f"{path}[{i}]", loose)
            if d:
                return d
        if len(e) != len(a):
            return differ(f"expected {len(e)} elements, got {len(a)}")
        return None
    if e != a:
        return differ(f"expected {brief(e)}, got {brief(a)}")
    return None


# --- histories (history_compare.cpp) ---------------------------------------------------------

def _type_of(event):
    t = event.get("type") if isinstance(event, dict) else None
    return t if isinstance(t, str) else "?"


def _has_numeric_id(event):
    return (isinstance(event, dict) and kind(event.get("id")) == "number"
            and not isinstance(event.get("id"), float))


def _compare_one(expected, actual, index):
    where = f"history event {index + 1}"
    if _type_of(expected) != _type_of(actual):
        return f"{where}: expected {_type_of(expected)}, got {_type_of(actual)}"
    e, a = expected, actual
    if not _has_numeric_id(expected) and isinstance(e, dict) and isinstance(a, dict):
        # The recorder blanked the numbering of re-ordered events; it cannot be compared.
        e = {k: v for k, v in e.items() if k not in ("id", "previousEventId")}
        a = {k: v for k, v in a.items() if k not in ("id", "previousEventId")}
    d = diff(e, a, "$")
    return f"{where} ({_type_of(expected)}) {d}" if d else None


def compare_event_types(expected_types, actual_events):
    actual = [_type_of(e) for e in actual_events]
    for i in range(max(len(expected_types), len(actual))):
        e = expected_types[i] if i < len(expected_types) else "(end)"
        a = actual[i] if i < len(actual) else "(end)"
        if e != a:
            return (f"history event {i + 1}: expected {e}, got {a} (expected "
                    f"{len(expected_types)} events, got {len(actual)})")
    return None


def _compare_normalised(expected, actual):
    def actual_at(event_id):
        return actual[event_id - 1] if 1 <= event_id <= len(actual) else None

    previous_id, i = 0, 0
    while i < len(expected):
        if _has_numeric_id(expected[i]):
            event_id = expected[i]["id"]
            a = actual_at(event_id)
            if a is None:
                return (f"history: expected an event #{event_id} ({_type_of(expected[i])}), "
                        f"we have {len(actual)} events")
            d = _compare_one(expected[i], a, event_id - 1)
            if d:
                return d
            previous_id = event_id
            i += 1
            continue
        end = i
        while end < len(expected) and not _has_numeric_id(expected[end]):
            end += 1
        next_id = expected[end]["id"] if end < len(expected) else len(actual) + 1
        candidates = [actual_at(k) for k in range(previous_id + 1, next_id) if actual_at(k)]
        used = [False] * len(candidates)
        for e in range(i, end):
            first_miss, paired = None, False
            for c, candidate in enumerate(candidates):
                if used[c]:
                    continue
                d = _compare_one(expected[e], candidate, e)
                if not d:
                    used[c] = paired = True
                    break
                first_miss = first_miss or d
            if not paired:
                return (f"history event {e + 1} ({_type_of(expected[e])}, compared "
                        f"order-insensitively) has no counterpart among our events "
                        f"#{previous_id + 1}..#{next_id - 1}"
                        + (f"; e.g. {first_miss}" if first_miss else ""))
        i = end
    if expected and _has_numeric_id(expected[-1]) and expected[-1]["id"] != len(actual):
        return f"history: expected {expected[-1]['id']} events, got {len(actual)}"
    return None


# A Distributed Map's MapStateExited follows either its MapRunStarted or its MapRunSucceeded:
# AWS recorded both for the same definition (scenarios test_map_state_config_distributed_
# reentrant_lambda: MapRunSucceeded; local_mocking test_map_state_lambda: MapRunStarted), and
# 11 of the 35 recordings say MapRunStarted with no rule in definition, items, failures or
# ToleratedFailure that tells them apart: a race inside AWS. Either is accepted.
_MAP_RUN_EVENTS = ("MapRunStarted", "MapRunSucceeded")


def _last_map_run_events(events, before):
    """{type: id} of the last MapRunStarted/MapRunSucceeded among events[:before]."""
    found = {}
    for event in events[:before]:
        if _type_of(event) in _MAP_RUN_EVENTS and _has_numeric_id(event):
            found[_type_of(event)] = event["id"]
    return found


def _racing_previous_id(expected_events, actual_events, i):
    """The actual previousEventId of MapStateExited #i when it is the other of the two ids AWS
    may record (see _MAP_RUN_EVENTS), else None."""
    e, a = expected_events[i], actual_events[i]
    if _type_of(e) != "MapStateExited" or not isinstance(a, dict) or not _has_numeric_id(e):
        return None
    expected_ids = _last_map_run_events(expected_events, i)
    actual_ids = _last_map_run_events(actual_events, i)
    if len(expected_ids) != 2 or len(actual_ids) != 2:
        return None
    if e.get("previousEventId") in expected_ids.values() and \
            a.get("previousEventId") in actual_ids.values():
        return a.get("previousEventId")
    return None


def compare_events(expected_events, actual_events, order_normalised=False):
    if order_normalised:
        return _compare_normalised(expected_events, actual_events)
    for i, (e, a) in enumerate(zip(expected_events, actual_events)):
        racing = _racing_previous_id(expected_events, actual_events, i)
        if racing is not None:
            e = dict(e, previousEventId=racing)
        d = _compare_one(e, a, i)
        if d:
            return d
    if len(expected_events) != len(actual_events):
        return compare_event_types([_type_of(e) for e in expected_events], actual_events)
    return None
