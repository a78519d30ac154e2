-- wrk: one pledge per request, each with a new Idempotency-Key (durable
-- writes, no replay). Token and campaign come from the environment.
local token = os.getenv("ESSOR_BENCH_TOKEN")
local campaign = os.getenv("ESSOR_BENCH_CAMPAIGN")
local counter = 0
local thread_tag = tostring(math.random(1, 1e9))

function setup(thread)
  thread:set("thread_tag", tostring(math.random(1, 1e9)))
end

request = function()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
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
