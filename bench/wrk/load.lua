-- One wrk script for every path of bench/load.py.
--
--   wrk -t2 -c50 -d10s -s bench/wrk/load.lua http://127.0.0.1:PORT -- TARGETS [etag]
--
-- TARGETS is a file of tab-separated lines "METHOD  PATH  BEARER  BODY" (BEARER and BODY may
-- be "-"); each request picks one line at random, so one line is one fixed request and a
-- hundred lines spread the load over a hundred sites. With "etag" each target remembers the
-- ETag of its last answer and sends it back as If-None-Match, as the screens' fetch() does.
-- done() prints one line "WRKJSON {...}" that bench/wrkrun.py reads.

local targets = {}
local use_etag = false
local etags = {}      -- target index -> last ETag seen
local formatted = {}  -- target index -> request string for that ETag (rebuilt when it changes)
local last_etag = nil -- when the server echoes no request id: the thread's last ETag
counts = {}           -- status -> responses; global so done() can read it with thread:get
local threads = {}

local function split(line)
  local out = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do out[#out + 1] = field end
  return out
end

local function build(index)
  local t = targets[index]
  local headers = {}
  if t.bearer ~= "-" then headers["Authorization"] = "Bearer " .. t.bearer end
  if t.body ~= "-" then headers["Content-Type"] = "application/json" end
  if use_etag then
    -- The product echoes X-Request-ID: it tells which target an answer belongs to when a
    -- thread's fifty connections answer out of order.
    headers["X-Request-ID"] = string.format("bench-target-%06d", index)
    local etag = etags[index] or (#targets == 1 and last_etag) or nil
    if etag then headers["If-None-Match"] = etag end
  end
  return wrk.format(t.method, t.path, headers, t.body ~= "-" and t.body or nil)
end

function setup(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      local f = split(line)
      targets[#targets + 1] = {method = f[1], path = f[2], bearer = f[3], body = f[4]}
    end
  end
  use_etag = args[2] == "etag"
  math.randomseed(os.time() * 1000 + (id or 0))
  for i = 1, #targets do formatted[i] = build(i) end
end

function request()
  return formatted[math.random(#targets)]
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if not use_etag then return end
  local etag = headers["ETag"] or headers["Etag"] or headers["etag"]
  if not etag then return end
  local rid = headers["X-Request-ID"] or headers["X-Request-Id"] or headers["x-request-id"]
  local index = rid and tonumber(rid:match("^bench%-target%-(%d+)$"))
  if index == nil then
    if #targets ~= 1 then return end
    index = 1
  end
  if etags[index] ~= etag then
    etags[index] = etag
    last_etag = etag
    formatted[index] = build(index)
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts") or {}
    for status, n in pairs(c) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do parts[#parts + 1] = string.format('"%d": %d', status, n) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d}, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max, table.concat(parts, ", ")))
end
