// The Lua scripts of the Redis coordinator (redis.ts). Each runs atomically in Redis, which is
// what makes the cluster-wide steps safe: a connect and a relay to the same name cannot
// interleave, a grace deadline is reaped by one node only, a dead node's counts are subtracted
// once. Keys are built from the prefix (ARGV[1]) inside the scripts; this is a single Redis, not
// Redis Cluster. Grace deadlines use Redis's clock (TIME), so nodes' clocks need not agree;
// challenge and signal expiry use the service clock passed in, as the embedded service does.

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

const NOW_MS = `local t = redis.call('TIME'); local nowms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** ARGV: prefix, node, name. Returns {total connections, queued signals (JSON)}. */
const CONNECT = `
local p, node, name = ARGV[1], ARGV[2], ARGV[3]
local n = redis.call('HINCRBY', p .. 'online', name, 1)
redis.call('HINCRBY', p .. 'node:' .. node, name, 1)
redis.call('ZREM', p .. 'grace', name)
local q = redis.call('LRANGE', p .. 'q:' .. name, 0, -1)
redis.call('DEL', p .. 'q:' .. name)
return {n, q}`;

/** ARGV: prefix, node, name, graceMs. Returns 1 when the name went offline (grace started). */
const DISCONNECT = `
local p, node, name = ARGV[1], ARGV[2], ARGV[3]
local mine = tonumber(redis.call('HGET', p .. 'node:' .. node, name) or '0')
if mine <= 0 then return 0 end
if mine == 1 then redis.call('HDEL', p .. 'node:' .. node, name) else redis.call('HINCRBY', p .. 'node:' .. node, name, -1) end
local n = redis.call('HINCRBY', p .. 'online', name, -1)
if n > 0 then return 0 end
redis.call('HDEL', p .. 'online', name)
${NOW_MS}
redis.call('ZADD', p .. 'grace', 'NX', nowms + tonumber(ARGV[4]), name)
return 1`;

/** ARGV: prefix, graceMs, names... Starts grace for the names with no connection. */
const START_GRACE = `
local p = ARGV[1]
${NOW_MS}
for i = 3, #ARGV do
  if tonumber(redis.call('HGET', p .. 'online', ARGV[i]) or '0') <= 0 then
    redis.call('ZADD', p .. 'grace', 'NX', nowms + tonumber(ARGV[2]), ARGV[i])
  end
end
return 0`;

/** ARGV: prefix. Pops the due deadlines; returns the names still offline. */
const REAP_GRACE = `
local p = ARGV[1]
${NOW_MS}
local due = redis.call('ZRANGEBYSCORE', p .. 'grace', '-inf', nowms)
local out = {}
for _, name in ipairs(due) do
  redis.call('ZREM', p .. 'grace', name)
  if tonumber(redis.call('HGET', p .. 'online', name) or '0') <= 0 then out[#out + 1] = name end
end
return out`;

/**
 * ARGV: prefix, to, signal JSON, max, ttlMs, now. 'online' if connected anywhere; else drops
 * expired signals from the head and queues, unless the queue holds max.
 */
const RELAY_OR_QUEUE = `
local p, to = ARGV[1], ARGV[2]
if tonumber(redis.call('HGET', p .. 'online', to) or '0') > 0 then return 'online' end
local q = p .. 'q:' .. to
while true do
  local head = redis.call('LINDEX', q, 0)
  if not head or cjson.decode(head).expiresAt >= tonumber(ARGV[6]) then break end
  redis.call('LPOP', q)
end
if redis.call('LLEN', q) >= tonumber(ARGV[4]) then return 'full' end
redis.call('RPUSH', q, ARGV[3])
redis.call('PEXPIRE', q, ARGV[5])
return 'queued'`;

/** ARGV: prefix, key, perSecond, burst, now. A token bucket, as rate-limit.ts's TokenBucket. */
const TAKE = `
local k = ARGV[1] .. 'rl:' .. ARGV[2]
local rate, burst, now = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local h = redis.call('HMGET', k, 't', 'l')
local tokens = tonumber(h[1]) or burst
local last = tonumber(h[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) / 1000 * rate)
local ok = 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 end
redis.call('HSET', k, 't', string.format('%.17g', tokens), 'l', string.format('%.17g', math.max(now, last)))
redis.call('PEXPIRE', k, math.ceil(burst / rate * 1000) + 1000)
return ok`;

/** ARGV: prefix, challenge, record JSON, address, expires, now, perAddress, total, ttlMs. */
const OPEN_CHALLENGE = `
local p, c = ARGV[1], ARGV[2]
local byAddress, all = p .. 'chaddr:' .. ARGV[4], p .. 'chall'
redis.call('ZREMRANGEBYSCORE', byAddress, '-inf', '(' .. ARGV[6])
redis.call('ZREMRANGEBYSCORE', all, '-inf', '(' .. ARGV[6])
if redis.call('ZCARD', byAddress) >= tonumber(ARGV[7]) then return 'address' end
if redis.call('ZCARD', all) >= tonumber(ARGV[8]) then return 'total' end
redis.call('SET', p .. 'ch:' .. c, ARGV[3], 'PX', ARGV[9])
redis.call('ZADD', byAddress, ARGV[5], c)
redis.call('PEXPIRE', byAddress, ARGV[9])
redis.call('ZADD', all, ARGV[5], c)
return 'ok'`;

/** ARGV: prefix, challenge, ttlMs. Returns the open record, 'replay', or false. */
const CONSUME_CHALLENGE = `
local p, c = ARGV[1], ARGV[2]
local v = redis.call('GET', p .. 'ch:' .. c)
if v then
  redis.call('DEL', p .. 'ch:' .. c)
  redis.call('ZREM', p .. 'chaddr:' .. cjson.decode(v).address, c)
  redis.call('ZREM', p .. 'chall', c)
end
if redis.call('EXISTS', p .. 'chused:' .. c) == 1 then return 'replay' end
if v then redis.call('SET', p .. 'chused:' .. c, '1', 'PX', ARGV[3]) end
return v`;

/** ARGV: prefix, node, ttlMs. Takes or renews the sweeper lease; 1 if this node holds it. */
const LEASE = `
local k = ARGV[1] .. 'sweeper'
local holder = redis.call('GET', k)
if holder == ARGV[2] then redis.call('PEXPIRE', k, ARGV[3]) return 1 end
if holder then return 0 end
redis.call('SET', k, ARGV[2], 'PX', ARGV[3])
return 1`;

/** ARGV: prefix, node. Gives the lease up if this node holds it. */
const RELEASE = `
if redis.call('GET', ARGV[1] .. 'sweeper') == ARGV[2] then redis.call('DEL', ARGV[1] .. 'sweeper') end
return 0`;

/** ARGV: prefix, node, aliveMs. Renews this node's liveness; 0 if it is no longer registered. */
const BEAT = `
redis.call('SET', ARGV[1] .. 'alive:' .. ARGV[2], '1', 'PX', ARGV[3])
return redis.call('SISMEMBER', ARGV[1] .. 'nodes', ARGV[2])`;

/** ARGV: prefix, node, aliveMs, then name, count pairs. Registers the node with its counts. */
const REGISTER = `
local p, node = ARGV[1], ARGV[2]
redis.call('SET', p .. 'alive:' .. node, '1', 'PX', ARGV[3])
if redis.call('SADD', p .. 'nodes', node) == 0 then return 0 end
redis.call('DEL', p .. 'node:' .. node)
for i = 4, #ARGV, 2 do
  local name, c = ARGV[i], tonumber(ARGV[i + 1])
  redis.call('HSET', p .. 'node:' .. node, name, c)
  redis.call('HINCRBY', p .. 'online', name, c)
  redis.call('ZREM', p .. 'grace', name)
end
return 1`;

/**
 * ARGV: prefix, node, graceMs, force. Removes a node whose liveness key expired (or this node,
 * leaving, with force = 1): subtracts its counts once; returns the names that went offline.
 */
const REAP_NODE = `
local p, node = ARGV[1], ARGV[2]
if ARGV[4] ~= '1' and redis.call('EXISTS', p .. 'alive:' .. node) == 1 then return {} end
redis.call('DEL', p .. 'alive:' .. node)
if redis.call('SREM', p .. 'nodes', node) == 0 then return {} end
${NOW_MS}
local h = redis.call('HGETALL', p .. 'node:' .. node)
local out = {}
for i = 1, #h, 2 do
  local n = redis.call('HINCRBY', p .. 'online', h[i], -tonumber(h[i + 1]))
  if n <= 0 then
    redis.call('HDEL', p .. 'online', h[i])
    redis.call('ZADD', p .. 'grace', 'NX', nowms + tonumber(ARGV[3]), h[i])
    out[#out + 1] = h[i]
  end
end
redis.call('DEL', p .. 'node:' .. node)
return out`;

const SCRIPTS = {
  connect: CONNECT,
  disconnect: DISCONNECT,
  startGrace: START_GRACE,
  reapGrace: REAP_GRACE,
  relayOrQueue: RELAY_OR_QUEUE,
  take: TAKE,
  openChallenge: OPEN_CHALLENGE,
  consumeChallenge: CONSUME_CHALLENGE,
  lease: LEASE,
  release: RELEASE,
  beat: BEAT,
  register: REGISTER,
  reapNode: REAP_NODE,
};

export type ScriptName = keyof typeof SCRIPTS;

const SHAS = Object.fromEntries(
  Object.entries(SCRIPTS).map(([k, lua]) => [k, createHash('sha1').update(lua).digest('hex')]),
) as Record<ScriptName, string>;

/** Runs a script by its SHA-1, loading it on the first NOSCRIPT. */
export async function runScript(redis: Redis, name: ScriptName, args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(SHAS[name], 0, ...args);
  } catch (e) {
    if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
    return redis.eval(SCRIPTS[name], 0, ...args);
  }
}
