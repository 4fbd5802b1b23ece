-- wrk script: POSTs an Alertmanager payload to the relay, every request a different notification.
--
--   wrk -t2 -c16 -d30s -s bench/wrk/webhook.lua http://127.0.0.1:PORT/webhook -- PAYLOAD.json RUN-ID [OUT.json]
--
-- The relay answers an identical notification within the dedupe window with "duplicate":true and stores
-- nothing, so each request gets its own groupKey: ', wrk="<run>-<thread>-<n>"' is put before the closing
-- '}' of the payload's groupKey (a real Alertmanager groupKey names the group's labels the same way). The
-- rest of the payload is the captured bytes. done() writes the figures as JSON to OUT.json (or stdout).

local threads = {}
local next_thread = 1

function setup(thread)
   thread:set("thread_no", next_thread)
   next_thread = next_thread + 1
   table.insert(threads, thread)
end

local head, tail, run_id
local n = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
   local f = assert(io.open(args[1], "rb"))
   local body = f:read("*a")
   f:close()
   run_id = args[2] or "run"
   local key_at = assert(string.find(body, '"groupKey":"', 1, true), "payload without groupKey")
   local close_at = assert(string.find(body, '}"', key_at, true), "groupKey without closing brace")
   head = string.sub(body, 1, close_at - 1) .. ', wrk=\\"' .. run_id .. "-" .. tostring(thread_no) .. "-"
   tail = '\\"' .. string.sub(body, close_at)
end

function request()
   n = n + 1
   return wrk.format("POST", nil, headers, head .. n .. tail)
end

function done(summary, latency, requests)
   local e = summary.errors
   local out = string.format(
      '{"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"min":%d,"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"stdev":%.1f}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.min, latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency:percentile(99.9), latency.max, latency.stdev)
   local path = os.getenv("WRK_OUT")
   if path and path ~= "" then
      local f = assert(io.open(path, "w"))
      f:write(out)
      f:close()
   end
   io.write(out)
end
