"""A small in-memory SQS for the recorded cases whose machines send and receive messages
(`serve --service-endpoint sqs=URL`): the JSON protocol (X-Amz-Target: AmazonSQS.<Action>,
application/x-amz-json-1.0) for SendMessage, ReceiveMessage, DeleteMessage, CreateQueue,
GetQueueUrl and PurgeQueue, on 127.0.0.1. Queues are named by the last part of their QueueUrl
and exist on first use, as the recorded tests created them beforehand. A received message is
invisible for VisibilityTimeout seconds (default 30), then delivered again unless deleted.
"""
import hashlib
import http.server
import json
import threading
import time
import uuid

_MAX_WAIT_SECONDS = 20  # SQS's longest long poll


class _Queue:
    def __init__(self):
        self.messages = []  # dicts: id, body, receipt, visible_at


class FakeSqs:
    def __init__(self):
        self._queues = {}
        self._changed = threading.Condition()
        handler = self._handler_class()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self):
        self._thread.start()
        return self

    def close(self):
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._server.shutdown()
        self._server.server_close()

    _closing = False

    def _queue(self, url):
        name = (url or "").rstrip("/").rsplit("/", 1)[-1]
        return self._queues.setdefault(name, _Queue())

    # Each action takes the request document and returns the response document.
    def send_message(self, request):
        body = request.get("MessageBody")
        if not isinstance(body, str) or not body:
            raise _Error("MissingParameter",
                         "The request must contain the parameter MessageBody.")
        message = {"id": str(uuid.uuid4()), "body": body, "receipt": None, "visible_at": 0.0}
        with self._changed:
            self._queue(request.get("QueueUrl")).messages.append(message)
            self._changed.notify_all()
        return {"MD5OfMessageBody": hashlib.md5(body.encode()).hexdigest(),
                "MessageId": message["id"]}

    def receive_message(self, request):
        limit = max(1, min(10, int(request.get("MaxNumberOfMessages") or 1)))
        wait = max(0, min(_MAX_WAIT_SECONDS, int(request.get("WaitTimeSeconds") or 0)))
        hidden_for = int(request.get("VisibilityTimeout") or 30)
        deadline = time.monotonic() + wait
        with self._changed:
            queue = self._queue(request.get("QueueUrl"))
            while True:
                now = time.monotonic()
                ready = [m for m in queue.messages if m["visible_at"] <= now][:limit]
                if ready or now >= deadline or self._closing:
                    break
                self._changed.wait(deadline - now)
            out = []
            for m in ready:
                m["receipt"] = str(uuid.uuid4())
                m["visible_at"] = now + hidden_for
                out.append({"MessageId": m["id"], "ReceiptHandle": m["receipt"],
                            "MD5OfBody": hashlib.md5(m["body"].encode()).hexdigest(),
                            "Body": m["body"]})
        return {"Messages": out} if out else {}

    def delete_message(self, request):
        with self._changed:
            queue = self._queue(request.get("QueueUrl"))
            queue.messages = [m for m in queue.messages
                              if m["receipt"] != request.get("ReceiptHandle")]
        return {}

    def create_queue(self, request):
        name = request.get("QueueName") or ""
        with self._changed:
            self._queues.setdefault(name, _Queue())
        return {"QueueUrl": f"{self.endpoint}/000000000000/{name}"}

    def get_queue_url(self, request):
        name = request.get("QueueName") or ""
        with self._changed:
            if name not in self._queues:
                raise _Error("QueueDoesNotExist", "The specified queue does not exist.")
        return {"QueueUrl": f"{self.endpoint}/000000000000/{name}"}

    def purge_queue(self, request):
        with self._changed:
            self._queue(request.get("QueueUrl")).messages = []
        return {}

    _ACTIONS = {"SendMessage": send_message, "ReceiveMessage": receive_message,
                "DeleteMessage": delete_message, "CreateQueue": create_queue,
                "GetQueueUrl": get_queue_url, "PurgeQueue": purge_queue}

    def _handler_class(self):
        sqs = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                target = self.headers.get("X-Amz-Target") or ""
                action = target.split(".", 1)[1] if target.startswith("AmazonSQS.") else ""
                status, document = 200, {}
                try:
                    request = json.loads(raw or b"{}")
                    method = FakeSqs._ACTIONS.get(action)
                    if method is None:
                        raise _Error("InvalidAction", f"The action {action} is not valid.")
                    document = method(sqs, request)
                except _Error as e:
                    status = 400
                    document = {"__type": f"com.amazonaws.sqs#{e.code}", "message": e.message}
                except (ValueError, TypeError) as e:
                    status = 400
                    document = {"__type": "com.amazonaws.sqs#InvalidParameterValue",
                                "message": str(e)}
                body = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


class _Error(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message
