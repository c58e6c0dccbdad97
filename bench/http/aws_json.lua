-- wrk script: POSTs one AWS JSON 1.0 operation again and again (OPERATION and BODY from the
-- environment, BODY may contain {n}: a per-thread counter, for unique execution names) and
-- counts the answers that are not HTTP 200 or whose body lacks EXPECT (when set).
local operation = os.getenv("OPERATION")
local body = os.getenv("BODY") or "{}"
local expect = os.getenv("EXPECT")
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  n, failures, ok = 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
  wrk.headers["X-Amz-Target"] = "AWSStepFunctions." .. operation
end

function request()
  n = n + 1
  return wrk.format(nil, "/", nil, (body:gsub("{n}", id .. "-" .. n)))
end

function response(status, headers, text)
  if status ~= 200 or (expect and not text:find(expect, 1, true)) then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("unexpected answer ", status, ": ", text:sub(1, 300), "\n") end
  else
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local good, bad = 0, 0
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    bad = bad + t:get("failures")
  end
  io.write(string.format("RESULT ok=%d failures=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f\n", good,
    bad, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
