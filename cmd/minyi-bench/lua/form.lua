-- form.lua is wrk's script for the form page: it rotates over the communities given
-- as arguments, asks for gzip as a phone does, and prints what minyi-bench reads as
-- one JSON line.
local paths = {}
local i = 0

function init(args)
  for _, code in ipairs(args) do
    paths[#paths + 1] = "/s/chuangwen/" .. code
  end
  wrk.headers["Accept-Encoding"] = "gzip"
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"transport_errors":%d,"status_errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
