-- wrk script for `make bench` (bench/run.py).
-- Every request carries the session cookie of one of many benchmark employees, in rotation.
-- BENCH_COOKIES: file with one "<sessionid>\t<csrf secret>" line per employee.
-- BENCH_METHOD=POST sends a reply form: BENCH_FORM (url-encoded fields), the CSRF token and
-- a fresh random submission key (BENCH_KEY_FIELD) per request, so no two requests collide
-- on the double-submit guard.
-- done() prints one line "BENCH_JSON {...}" with counts, errors and latency percentiles (us).

local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("tid", thread_counter)
end

local cookies = {}
local method = os.getenv("BENCH_METHOD") or "GET"
local form = os.getenv("BENCH_FORM") or ""
local key_field = os.getenv("BENCH_KEY_FIELD") or "submission_key"
local counter = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_COOKIES")) do
    local sid, csrf = line:match("^([^\t]+)\t([^\t]+)$")
    if sid then
      table.insert(cookies, { sid = sid, csrf = csrf })
    end
  end
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
  counter = (tid or 0) * 7
end

local function uuid4()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  counter = counter + 1
  local c = cookies[counter % #cookies + 1]
  local headers = { ["Cookie"] = "sessionid=" .. c.sid .. "; csrftoken=" .. c.csrf }
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "csrfmiddlewaretoken=" .. c.csrf .. "&" .. key_field .. "=" .. uuid4()
    if form ~= "" then
      body = body .. "&" .. form
    end
    return wrk.format("POST", nil, headers, body)
  end
  return wrk.format("GET", nil, headers, nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99)))
end
