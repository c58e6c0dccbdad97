"""Hands a shipment request, with the task token Step Functions waits on, to the carrier.

The "carrier" here is a folder of request files that carrier_worker.py books and answers with
SendTaskSuccess: the function returns at once, the Ship state waits for the token. The folder is
$SHIPMENT_REQUESTS_DIR, by default <tmp>/stepline-order-workflow/shipments (the worker's default
too). Functions inherit the environment `stepline serve` was started with.
"""
import json
import os
import tempfile


def requests_dir():
    return os.environ.get("SHIPMENT_REQUESTS_DIR") or os.path.join(
        tempfile.gettempdir(), "stepline-order-workflow", "shipments")


def request_shipment(event, context):
    folder = requests_dir()
    os.makedirs(folder, exist_ok=True)
    request = {key: event[key] for key in ("orderId", "address", "items", "taskToken")}
    # Written under a temporary name and renamed, so the worker never reads half a request.
    fd, partial = tempfile.mkstemp(dir=folder, prefix=".partial-")
    with os.fdopen(fd, "w") as out:
        json.dump(request, out)
    path = os.path.join(folder, context.aws_request_id + ".json")
    os.replace(partial, path)
    return {"queued": path}
