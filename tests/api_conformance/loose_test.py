#!/usr/bin/env python3
"""Unit tests of loose.py: the same cases as tests/conformance/loose_match_test.cpp, plus the
recorder habits of the API scripts."""
import json
import os
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loose  # noqa: E402


def matches(expected, actual):
    return loose.diff(json.loads(expected), json.loads(actual)) is None


class LooseDiff(unittest.TestCase):
    def test_placeholders_and_words(self):
        self.assertTrue(matches('"arn:<partition>:states:<region>:1:execution:<ArnPart_0idx>:x"',
                                '"arn:aws:states:us-east-1:1:execution:m:x"'))
        self.assertFalse(matches('"arn:<partition>:states:<region>:1:execution:<ArnPart_0idx>:x"',
                                 '"arn:aws:states:us-east-1:2:execution:m:x"'))
        self.assertTrue(matches('"<uuid:1>"', '"0b3c5d4e-0000-4000-8000-000000000000"'))
        self.assertTrue(matches('{"a": "timestamp", "r": "snf_role_arn"}',
                                '{"a": 1700000000.5, "r": "arn:aws:iam::1:role/x"}'))
        self.assertFalse(matches('{"r": "snf_role_arn"}', '{"r": "not an arn"}'))
        self.assertTrue(matches('"a<b"', '"a<b"'))
        self.assertTrue(matches('{"name": "activity_name"}', '{"name": "activity-00000001"}'))
        self.assertTrue(matches('"sqs_queue_url"', '"https://sqs.us-east-1.amazonaws.com/1/q"'))
        self.assertFalse(matches('"sqs_queue_url"', '"queue"'))

    def test_snapshot_transformer_words_stand_for_any_value(self):
        self.assertTrue(matches('{"output": "executionSucceededEventDetails.output"}',
                                '{"output": [{"Payload": 1}]}'))
        self.assertFalse(matches('"EventDetails.output"', '"x"'))
        self.assertFalse(matches('"state_exited.output"', '"x"'))

    def test_name_words_stand_for_any_name(self):
        self.assertTrue(matches('"function_name_branch1"', '"lambda_branch1_00000001"'))
        self.assertFalse(matches('"function_name_branch1"', '1'))
        self.assertFalse(matches('"name"', '"y"'))

    def test_hyphenated_recorder_words(self):
        self.assertTrue(matches('"execution-arn"', '"arn:aws:states:us-east-1:1:execution:m:x"'))
        self.assertFalse(matches('"execution-arn"', '"x"'))
        self.assertTrue(matches('{"StopDate": "stop-date"}', '{"StopDate": 1795266244786}'))

    def test_redrive_count_zero_in_an_older_context_object(self):
        recorded = '{"Id": "x", "StartTime": "start-time", "RoleArn": "snf_role_arn"}'
        self.assertTrue(matches(recorded, '{"Id": "x", "StartTime": "t", "RoleArn": "arn:r", '
                                          '"RedriveCount": 0}'))
        self.assertFalse(matches(recorded, '{"Id": "x", "StartTime": "t", "RoleArn": "arn:r", '
                                           '"RedriveCount": 1}'))
        self.assertFalse(matches('{"Id": "x"}', '{"Id": "x", "RedriveCount": 0}'))

    def test_parses_our_json_text_where_the_recorder_parsed_it(self):
        self.assertTrue(matches('{"input": {"x": 1}}', '{"input": "{\\"x\\":1}"}'))
        self.assertFalse(matches('{"input": {"x": 1}}', '{"input": "{\\"x\\":2}"}'))
        self.assertTrue(matches('{"output": "[1,2]"}', '{"output": "[1,2]"}'))

    def test_integers_and_fractions_stay_apart_and_fields_must_match(self):
        self.assertFalse(matches("1", "1.0"))
        self.assertTrue(matches("1.5", "1.5"))
        self.assertFalse(matches("true", "1"))
        self.assertFalse(matches('{"a": 1}', '{"a": 1, "b": 2}'))
        self.assertFalse(matches('{"a": 1, "b": 2}', '{"a": 1}'))
        self.assertTrue(matches('{"timestamp": "timestamp", "a": 1}',
                                '{"timestamp": 12.5, "a": 1}'))

    def test_recorder_words_and_client_spacing(self):
        self.assertTrue(matches('"generated-uuid"', '"8a7c1b9e-1111-4222-8333-444455556666"'))
        self.assertTrue(matches('"RandomNumberGenerated"', "17"))
        self.assertFalse(matches('"RandomNumberGenerated"', '"17"'))
        self.assertTrue(matches('"[\\"a\\", \\"b\\"]"', '"[\\"a\\",\\"b\\"]"'))
        self.assertFalse(matches('"[1,2]"', '"[1, 2]"'))

    def test_recorder_replaced_header_values(self):
        self.assertTrue(matches('{"Date": "date"}', '{"Date": ["Sat, 21 Nov 2026 08:00:00 GMT"]}'))
        self.assertFalse(matches('{"Date": "date"}', '{"Date": ["a", "b"]}'))
        self.assertTrue(matches('{"RequestId": "RequestId"}', '{"RequestId": "8a7c1b9e"}'))
        self.assertFalse(matches('{"Name": "Name"}', '{"Name": "other"}'))

    def test_content_length_of_a_body_with_renamed_names(self):
        def answer(arn, length):
            headers = {"Content-Length": [length], "Content-Type": ["application/x-amz-json-1.0"]}
            return json.dumps({"ExecutionArn": arn, "SdkHttpMetadata": {
                "AllHttpHeaders": headers, "HttpHeaders": {"Content-Length": length}}})
        renamed = "arn:aws:states:us-east-1:1:execution:<ArnPart_0idx>:Target"
        self.assertTrue(matches(answer(renamed, "161"),
                                answer("arn:aws:states:us-east-1:1:execution:sm:Target", "120")))
        # Without replaced names the length is the body's and must match.
        plain = "arn:aws:states:us-east-1:1:execution:sm:Target"
        self.assertFalse(matches(answer(plain, "161"), answer(plain, "120")))


class CompareEvents(unittest.TestCase):
    def test_order_normalised_runs_compare_as_multisets(self):
        expected = [{"id": 1, "previousEventId": 0, "type": "A"},
                    {"id": [0], "previousEventId": 0, "type": "B", "d": {"name": "x"}},
                    {"id": [0], "previousEventId": 0, "type": "B", "d": {"name": "y"}},
                    {"id": 4, "previousEventId": 3, "type": "C"}]
        actual = [{"id": 1, "previousEventId": 0, "type": "A", "timestamp": 1},
                  {"id": 2, "previousEventId": 1, "type": "B", "d": {"name": "y"}},
                  {"id": 3, "previousEventId": 1, "type": "B", "d": {"name": "x"}},
                  {"id": 4, "previousEventId": 3, "type": "C", "timestamp": 1}]
        self.assertIsNone(loose.compare_events(expected, actual, True))
        self.assertIsNotNone(loose.compare_events(expected, actual, False))
        actual[2]["d"]["name"] = "z"
        self.assertIsNotNone(loose.compare_events(expected, actual, True))

    def test_map_state_exited_may_follow_either_map_run_event(self):
        def run(previous):
            return [{"id": 1, "previousEventId": 0, "type": "MapStateStarted"},
                    {"id": 2, "previousEventId": 1, "type": "MapRunStarted"},
                    {"id": 3, "previousEventId": 2, "type": "MapRunSucceeded"},
                    {"id": 4, "previousEventId": 3, "type": "MapStateSucceeded"},
                    {"id": 5, "previousEventId": previous, "type": "MapStateExited"}]
        self.assertIsNone(loose.compare_events(run(2), run(3)))
        self.assertIsNone(loose.compare_events(run(3), run(2)))
        self.assertIsNotNone(loose.compare_events(run(2), run(4)))
        self.assertIsNotNone(loose.compare_events(run(4), run(2)))
        inline = [e for e in run(1) if not e["type"].startswith("MapRun")]
        other = [dict(e) for e in inline]
        other[-1]["previousEventId"] = 4
        self.assertIsNotNone(loose.compare_events(inline, other))

    def test_types_in_order(self):
        events = [{"type": "A"}, {"type": "B"}]
        self.assertIsNone(loose.compare_event_types(["A", "B"], events))
        self.assertIn("expected C, got (end)", loose.compare_event_types(["A", "B", "C"], events))


if __name__ == "__main__":
    unittest.main()
