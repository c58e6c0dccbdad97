-- wrk script: activity round trips. Each wrk thread keeps its own books: it starts a Standard
-- execution whose Task is the activity (StartExecution), asks for a task (GetActivityTask) only
-- while it has started more executions than it has polled for (so a poll never waits the 60 s
-- long poll out), and answers every token it got (SendTaskSuccess). One round trip = one
-- SendTaskSuccess answered 200. MACHINE and ACTIVITY ARNs come from the environment. Run it with
-- one connection per wrk thread (-c = -t): answers then come back in the order sent, which is how
-- an empty poll ({}) is told from a SendTaskSuccess answer ({}).
local machine = os.getenv("MACHINE")
local activity = os.getenv("ACTIVITY")
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  n, started, polled, failures, roundtrips, empty = 0, 0, 0, 0, 0, 0
  tokens = {}
  inflight = {}  -- operations sent, oldest first (wrk answers each connection in order)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
end

local function post(operation, body)
  table.insert(inflight, operation)
  wrk.headers["X-Amz-Target"] = "AWSStepFunctions." .. operation
  return wrk.format(nil, "/", nil, body)
end

function request()
  n = n + 1
  if #tokens > 0 then
    local token = table.remove(tokens, 1)
    return post("SendTaskSuccess", '{"taskToken":"' .. token .. '","output":"{\\"ok\\":true}"}')
  elseif started > polled then
    polled = polled + 1
    return post("GetActivityTask", '{"activityArn":"' .. activity .. '","workerName":"w' .. id .. '"}')
  end
  started = started + 1
  return post("StartExecution", '{"stateMachineArn":"' .. machine .. '","name":"a' .. id .. "-" .. n ..
    '","input":"{\\"n\\":' .. n .. '}"}')
end

function response(status, headers, text)
  local operation = table.remove(inflight, 1)
  if status ~= 200 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write(operation, " answered ", status, ": ", text:sub(1, 300), "\n") end
  elseif operation == "GetActivityTask" then
    local token = text:match('"taskToken":"([^"]+)"')
    if token then
      table.insert(tokens, token)
    else
      empty = empty + 1
      polled = polled - 1  -- ask again later
    end
  elseif operation == "SendTaskSuccess" then
    roundtrips = roundtrips + 1
  end
end

function done(summary, latency, requests)
  local trips, bad, none = 0, 0, 0
  for _, t in ipairs(threads) do
    trips = trips + t:get("roundtrips")
    bad = bad + t:get("failures")
    none = none + t:get("empty")
  end
  io.write(string.format("RESULT roundtrips=%d failures=%d empty_polls=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f\n",
    trips, bad, none, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
