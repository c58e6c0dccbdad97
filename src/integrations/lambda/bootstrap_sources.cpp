// The runtime clients Stepline ships for Python and Node.js handlers, as text: they are written
// to a private folder at first use (bootstrap_files.cpp), so no install path is needed.
#include "integrations/lambda/bootstrap_files.hpp"

namespace stepline::integrations::lambda {

const char* const kPythonBootstrap =
    R"PY(# Stepline's Python runtime client: loads LAMBDA_TASK_ROOT/<module>.py, then loops over the
# Lambda Runtime API (next -> handler -> response | error) exactly as AWS's runtime does.
import importlib
import json
import os
import sys
import time
import traceback
import urllib.request

API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
TASK_ROOT = os.environ["LAMBDA_TASK_ROOT"]
HANDLER = os.environ["_HANDLER"]
THIS_FILE = os.path.abspath(__file__)


def call(method, path, body=None, headers=None):
    request = urllib.request.Request(API + path, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(request, timeout=None) as response:
        return response.headers, response.read()


def shown_path(filename):
    # Lambda shows the code folder as /var/task; stack traces name files the same way.
    absolute = os.path.abspath(filename)
    if absolute.startswith(TASK_ROOT + os.sep):
        return "/var/task/" + os.path.relpath(absolute, TASK_ROOT)
    return filename


def error_document(error, request_id=None):
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename != THIS_FILE]
    renamed = [traceback.FrameSummary(shown_path(f.filename), f.lineno, f.name, line=f.line)
               for f in frames]
    document = {"errorMessage": str(error), "errorType": type(error).__name__}
    if request_id is not None:
        document["requestId"] = request_id
    document["stackTrace"] = traceback.format_list(renamed)
    return document


def post_error(path, document, error_type):
    body = json.dumps(document).encode("utf-8")
    call("POST", path, body, {"Lambda-Runtime-Function-Error-Type": error_type,
                              "Content-Type": "application/json"})


class Context:
    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def load_handler():
    module_name, _, function_name = HANDLER.rpartition(".")
    sys.path.insert(0, TASK_ROOT)
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except Exception as error:
        document = error_document(error)
        document["errorMessage"] = f"Unable to import module '{module_name}': {error}"
        document["errorType"] = "Runtime.ImportModuleError"
        document["stackTrace"] = []
        post_error("/init/error", document, "Runtime.ImportModuleError")
        sys.exit(1)
    function = getattr(module, function_name, None)
    if not callable(function):
        document = {"errorMessage": f"Handler '{function_name}' missing on module '{module_name}'",
                    "errorType": "Runtime.HandlerNotFound", "stackTrace": []}
        post_error("/init/error", document, "Runtime.HandlerNotFound")
        sys.exit(1)
    return function


def main():
    handler = load_handler()
    while True:
        headers, body = call("GET", "/invocation/next")
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        try:
            event = json.loads(body) if body else {}
            result = handler(event, Context(headers))
        except Exception as error:
            document = error_document(error, request_id)
            post_error(f"/invocation/{request_id}/error", document, document["errorType"])
            continue
        try:
            if isinstance(result, (bytes, bytearray)):
                payload = bytes(result)
            else:
                payload = json.dumps(result).encode("utf-8")
        except Exception as error:
            document = {"errorMessage": f"Unable to marshal response: {error}",
                        "errorType": "Runtime.MarshalError", "requestId": request_id,
                        "stackTrace": []}
            post_error(f"/invocation/{request_id}/error", document, "Runtime.MarshalError")
            continue
        call("POST", f"/invocation/{request_id}/response", payload)


if __name__ == "__main__":
    try:
        main()
    except (OSError, KeyboardInterrupt):
        # The Runtime API went away: Stepline ended this worker.
        sys.exit(0)
)PY";

const char* const kNodeBootstrap =
    R"JS(// Stepline's Node.js runtime client: loads LAMBDA_TASK_ROOT/<module>, then loops over the Lambda
// Runtime API (next -> handler -> response | error) as AWS's runtime does.
'use strict';
const http = require('http');
const path = require('path');
const url = require('url');

const [HOST, PORT] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const PREFIX = '/2018-06-01/runtime';

function call(method, route, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    const request = http.request({host: HOST, port: Number(PORT), method, path: PREFIX + route,
      headers: Object.assign(data ? {'Content-Length': data.length} : {}, headers || {}),
      agent: false}, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({headers: response.headers,
        body: Buffer.concat(chunks).toString('utf8')}));
    });
    request.on('error', reject);
    if (data) request.write(data);
    request.end();
  });
}

function errorDocument(error) {
  if (error instanceof Error) {
    return {errorType: error.name, errorMessage: error.message,
      trace: String(error.stack || '').split('\n')};
  }
  return {errorType: typeof error, errorMessage: String(error), trace: []};
}

function postError(route, document) {
  return call('POST', route, JSON.stringify(document),
    {'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': document.errorType});
}

async function loadHandler() {
  const root = process.env.LAMBDA_TASK_ROOT;
  const spec = process.env._HANDLER;
  const dot = spec.lastIndexOf('.');
  const moduleName = spec.slice(0, dot);
  const functionName = spec.slice(dot + 1);
  let module;
  try {
    const base = path.resolve(root, moduleName);
    const fs = require('fs');
    if (fs.existsSync(base + '.mjs')) {
      module = await import(url.pathToFileURL(base + '.mjs').href);
    } else {
      try {
        module = require(base);
      } catch (error) {
        if (error.code !== 'ERR_REQUIRE_ESM') throw error;
        module = await import(url.pathToFileURL(base + '.js').href);
      }
    }
  } catch (error) {
    await postError('/init/error', {errorType: 'Runtime.ImportModuleError',
      errorMessage: String(error), trace: String(error.stack || '').split('\n')});
    process.exit(1);
  }
  const handler = module[functionName];
  if (typeof handler !== 'function') {
    await postError('/init/error', {errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${spec} is undefined or not exported`, trace: []});
    process.exit(1);
  }
  return handler;
}

function invoke(handler, event, context) {
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const result = handler(event, context, (error, value) => error ? reject(error) : resolve(value));
      if (result && typeof result.then === 'function') result.then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handler(event, context));
}

async function main() {
  const handler = await loadHandler();
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    const deadline = Number(next.headers['lambda-runtime-deadline-ms'] || 0);
    const context = {
      awsRequestId: id,
      invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let result;
    try {
      const event = next.body ? JSON.parse(next.body) : {};
      result = await invoke(handler, event, context);
    } catch (error) {
      await postError(`/invocation/${id}/error`, errorDocument(error));
      continue;
    }
    let body;
    try {
      body = result === undefined ? 'null' : JSON.stringify(result);
    } catch (error) {
      await postError(`/invocation/${id}/error`, {errorType: 'Runtime.MarshalError',
        errorMessage: `Unable to stringify response body: ${error.message}`, trace: []});
      continue;
    }
    await call('POST', `/invocation/${id}/response`, body);
  }
}

// The Runtime API went away: Stepline ended this worker.
main().catch(() => process.exit(0));
)JS";

}  // namespace stepline::integrations::lambda
