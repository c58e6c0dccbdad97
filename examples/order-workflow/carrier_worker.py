#!/usr/bin/env python3
"""The carrier of the order workflow: books each shipment request the request_shipment function
leaves in the requests folder and answers the waiting Ship state with SendTaskSuccess
({"carrier", "trackingNumber"}), through the Step Functions API of `stepline serve` (boto3).

  python3 examples/order-workflow/carrier_worker.py [--endpoint-url URL] [--requests-dir DIR]
                                                    [--count N] [--timeout SECONDS]

Runs until interrupted, or until it has answered --count requests (exit 0) or --timeout seconds
have passed (exit 1). Credentials and region come from the usual AWS variables (Stepline does not
check them; test values are used when none are set).
"""
import argparse
import hashlib
import json
import os
import sys
import tempfile
import time

import boto3
import botocore.exceptions


def default_requests_dir():
    return os.environ.get("SHIPMENT_REQUESTS_DIR") or os.path.join(
        tempfile.gettempdir(), "stepline-order-workflow", "shipments")


def book(request):
    """What a carrier would answer: a tracking number (deterministic, from the order id)."""
    digest = hashlib.sha1(request["orderId"].encode()).hexdigest()[:10].upper()
    return {"carrier": "Stepline Express", "trackingNumber": "SX" + digest}


def answer(sfn, path):
    with open(path) as f:
        request = json.load(f)
    shipment = book(request)
    try:
        sfn.send_task_success(taskToken=request["taskToken"], output=json.dumps(shipment))
        print(f"shipped {request['orderId']}: {shipment['trackingNumber']}", flush=True)
    except botocore.exceptions.ClientError as e:
        # The execution was stopped or timed out meanwhile: nobody waits for this shipment.
        print(f"not shipped {request['orderId']}: {e.response['Error']['Code']}", flush=True)
    os.remove(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", default="http://127.0.0.1:8083")
    parser.add_argument("--requests-dir", default=default_requests_dir())
    parser.add_argument("--count", type=int, default=0, help="exit after N answers (0: never)")
    parser.add_argument("--timeout", type=float, default=0, help="give up after S seconds")
    args = parser.parse_args()

    sfn = boto3.client("stepfunctions", endpoint_url=args.endpoint_url,
                       region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
                       aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
                       aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"))
    os.makedirs(args.requests_dir, exist_ok=True)
    print(f"carrier: waiting for shipment requests in {args.requests_dir}", flush=True)
    answered, deadline = 0, time.monotonic() + args.timeout
    while not args.count or answered < args.count:
        if args.timeout and time.monotonic() > deadline:
            print(f"carrier: timed out after {answered} answers", file=sys.stderr)
            return 1
        names = sorted(n for n in os.listdir(args.requests_dir)
                       if n.endswith(".json") and not n.startswith("."))
        for name in names:
            answer(sfn, os.path.join(args.requests_dir, name))
            answered += 1
        if not names:
            time.sleep(0.1)  # a folder has no blocking read; polling it is cheap
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
