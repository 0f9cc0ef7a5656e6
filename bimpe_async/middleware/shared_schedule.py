"""The Lua script behind ``SharedRateLimit``: one schedule of send times, kept in Redis.

Redis runs a script alone, start to finish, so every admission below is one atomic
step seen in one order by every process: no lock, no race, one round trip.

The schedule is GCRA (the generic cell rate algorithm, a token bucket written as a
single timestamp), used to *reserve* rather than to refuse. ``tat`` is the time at
which the bucket would be full again; a caller arriving at ``now`` is given the slot
``max(now, tat - tolerance, hold)`` and moves ``tat`` on by one ``interval``. It is
told how long to wait for its slot instead of "no, try again", so callers are served
in the order they reached Redis, from every process alike, and none can starve
behind luckier retries.

Three keys, under one hash tag so that a Redis Cluster keeps them on one node:

- ``tat``: the schedule's end (microseconds), expiring once it has passed;
- ``hold``: when the server's hold ends (a 429's ``Retry-After``, a spent window's
  reset), expiring then; every admission checks it in the same step;
- ``freed``: slots given back by callers cancelled while they waited, which the next
  arrivals take first (earliest first), so a cancelled wait returns its place.

``ARGV``: the operation, then in microseconds ``interval``, ``tolerance`` (burst - 1
intervals), ``hold_for`` (a hold this process knows of, from now; 0: none),
``slot`` and ``ticket`` (a reservation made earlier, 0: none) and ``now`` ("": use
Redis's own clock, so the processes' clocks need not agree). Operations:

- ``acquire`` without a reservation: reserve a slot. With one (a caller whose slot has
  come, checking for a hold): admit it, unless a hold now covers it, in which case
  reserve a new slot after the hold (the old one lies inside the hold and is dropped).
- ``return``: give a reservation back. The latest one is taken off the schedule's end
  (``ticket`` is the ``tat`` it produced); any other future slot goes to ``freed``.
- ``hold``: only record ``hold_for``.

Returns ``{wait, slot, ticket, held}`` in microseconds: wait before sending (0: send
now), the slot, the ticket to give back (0 for a slot taken from ``freed``), and how
long the hold still lasts (0: none), whatever the operation.
"""

from __future__ import annotations

SCRIPT = """
local function int(x) return string.format('%.0f', x) end

local op = ARGV[1]
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local hold_for = tonumber(ARGV[4])
local slot = tonumber(ARGV[5])
local ticket = tonumber(ARGV[6])
local now = tonumber(ARGV[7])
if now == nil then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end
-- A key's expiry, in milliseconds: a second past the time it describes.
local function kept_until(t) return math.max(1, math.ceil((t - now) / 1000) + 1000) end

local hold = tonumber(redis.call('GET', KEYS[2]) or '0')
if hold_for > 0 and now + hold_for > hold then
  hold = now + hold_for
  redis.call('SET', KEYS[2], int(hold), 'PX', math.ceil(hold_for / 1000))
end
local start = math.max(now, hold)
-- Every answer also says how long the hold still lasts, so each process learns of
-- holds from whatever it asks.
local function answer(wait, granted, receipt) return {wait, granted, receipt, start - now} end
if op == 'hold' then
  return answer(0, 0, 0)
end

if op == 'return' then
  local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
  if ticket > 0 and ticket == tat then
    redis.call('SET', KEYS[1], int(tat - interval), 'PX', kept_until(tat - interval))
  elseif slot >= start then
    redis.call('ZADD', KEYS[3], int(slot), int(slot))
    if redis.call('PTTL', KEYS[3]) < kept_until(slot) then
      redis.call('PEXPIRE', KEYS[3], kept_until(slot))
    end
  end
  return answer(0, 0, 0)
end

if slot > 0 and hold <= now then
  return answer(math.max(0, slot - now), slot, ticket)
end

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. int(start))
local freed = redis.call('ZPOPMIN', KEYS[3])
if freed[1] then
  local claimed = tonumber(freed[1])
  return answer(claimed - now, claimed, 0)
end

local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local reserved = math.max(start, tat - tolerance)
local new_tat = math.max(tat, reserved) + interval
redis.call('SET', KEYS[1], int(new_tat), 'PX', kept_until(new_tat))
return answer(reserved - now, reserved, new_tat)
"""
