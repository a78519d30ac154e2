-- wrk: one pledge per request, each with a new Idempotency-Key (durable
-- writes, no replay), from a crowd of backers in turn (a crowd, not one
-- person pledging 64 times at once). Tokens (comma-separated) and the
-- campaign come from the environment.
local tokens = {}
for token in string.gmatch(os.getenv("ESSOR_BENCH_TOKENS"), "[^,]+") do
  tokens[#tokens + 1] = token
end
local campaign = os.getenv("ESSOR_BENCH_CAMPAIGN")
local counter = 0
-- Set by setup() in each thread's own Lua state: a global, so that the
-- keys of two threads (and of two runs on one database) never meet.
-- (A local here was the same in every thread, and half the requests
-- were replays of the other thread's.)
thread_tag = nil
-- Where a thread starts in the crowd, also set by setup(): each thread
-- walks the crowd in turn from its own place, so that two threads do not
-- send the same backer's pledges at the same instant (which made pairs of
-- one person pledging twice at once, waiting on each other's rows).
first_backer = 0
local threads = 0
math.randomseed(os.time())

function setup(thread)
  threads = threads + 1
  thread:set("thread_tag", string.format("%d-%d-%d", os.time(), threads, math.random(1, 1e9)))
  thread:set("first_backer", (threads - 1) * 997)
end

request = function()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[(first_backer + counter) % #tokens + 1],
    ["Idempotency-Key"] = "bench-" .. thread_tag .. "-" .. counter,
  }
  return wrk.format("POST", "/api/v1/campaigns/" .. campaign .. "/pledges", headers,
                    '{"amount_cents": 500, "payment_method": "sandbox_card"}')
end

done = function(summary, latency, requests)
  io.write(string.format("JSON {\"requests\": %d, \"non_2xx\": %d, \"errors\": %d}\n",
                         summary.requests, summary.errors.status,
                         summary.errors.connect + summary.errors.read + summary.errors.write +
                           summary.errors.timeout))
end
