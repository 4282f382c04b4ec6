-- wrk script of bench/http_load.py: optionally rotates through the request paths listed in a file (one a line,
-- given after `--`), and prints the run's figures as one JSON line starting with "WRK-JSON " (latencies in
-- microseconds; non-2xx/3xx answers are counted in errors_status).
--
--     wrk -t2 -c64 -d20s --latency -s bench/wrk.lua http://127.0.0.1:8000/ -- paths.txt

local paths = {}
local counter = 0

function init(args)
  if args[1] ~= nil then
    for line in io.lines(args[1]) do
      if line ~= "" then
        paths[#paths + 1] = line
      end
    end
    -- each thread starts at a different place in the list
    counter = math.random(#paths) - 1
  end
end

function request()
  if #paths == 0 then
    return wrk.request()
  end
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, ' ..
    '"errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
