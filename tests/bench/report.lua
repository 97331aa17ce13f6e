-- wrk prints one JSON line at the end of a run; tests/bench/load.py reads it.

-- With BENCH_FRESH set, every request adds a start date (a random day of 1970-2021, before any
-- article) to the URL's query: the same results, but a page no one has asked for, so never cached.
if os.getenv("BENCH_FRESH") then
  math.randomseed(tonumber(tostring({}):match("0x(%x+)"), 16) % 2147483647)  -- each thread its own
  request = function()
    return wrk.format(nil, wrk.path .. "&since=" .. os.date("!%Y-%m-%d", math.random(0, 19000) * 86400))
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, "non_2xx_3xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
