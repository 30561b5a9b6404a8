-- Deadline day for wrk: each request registers a new initiative for a random officer's
-- unit with that officer's token. Counts answers by status and keeps the id of every
-- acknowledged (201) initiative, for scripts/rush to find in the database afterwards.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  for line in io.lines(os.getenv("RUSH_TOKENS")) do
    local unit, token = line:match("^(%S+) (%S+)$")
    if unit then tokens[#tokens + 1] = { unit, token } end
  end
  statuses = {}
  ids = {}
  counter = 0
  -- Several wrk processes (one per server) share thread ids: the process number keeps their
  -- titles and their choice of officers apart, so no request repeats another's model.
  process = tonumber(os.getenv("RUSH_PROCESS") or "0")
  math.randomseed(id * 7919 + process * 104729)
end

function request()
  counter = counter + 1
  local t = tokens[math.random(#tokens)]
  local body = string.format(
    '{"kind":"%s","registrantName":"Tổ công đoàn %d","sector":"kinh-te","title":"Mô hình ngày hết hạn %d-%d-%d","expectedResult":"Kết quả dự kiến của mô hình"}',
    (counter % 3 == 0) and "individual" or "collective", counter % 7, process, id, counter)
  return wrk.format("POST", "/api/v1/campaigns/GEN/units/" .. t[1] .. "/initiatives",
    { ["Authorization"] = "Bearer " .. t[2], ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    local location = headers["Location"] or headers["location"]
    if location then ids[#ids + 1] = location:match("([^/]+)$") end
  end
end

function done(summary, latency, requests)
  local total = {}
  local out = io.open(os.getenv("RUSH_ACKS"), "w")
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
    for _, id in ipairs(thread:get("ids")) do out:write(id, "\n") end
  end
  out:close()
  local parts = {}
  for status, n in pairs(total) do parts[#parts + 1] = string.format('"%d": %d', status, n) end
  io.write(string.format(
    'RUSH {"p50_us": %d, "p99_us": %d, "requests": %d, "duration_us": %d, "socket_errors": %d, "statuses": {%s}}\n',
    latency:percentile(50), latency:percentile(99), summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ", ")))
end
