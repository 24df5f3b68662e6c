/// The Lua scripts that make each backend operation atomic. Redis runs a script to the end
/// before anything else, so a script that checks and then writes cannot be interleaved
/// with another client's write. Keys are built inside the scripts from the prefix, so the
/// backend needs one Redis, not a Redis Cluster.
///
/// Job transitions themselves are computed in Swift (``TockCore/Job``'s lifecycle, the
/// same as every backend); the scripts only check the job is still as it was read, and
/// apply the change.
enum RedisScripts {
    /// Helpers shared by the scripts: appending a job event (stream + pub/sub), queueing
    /// the RQ dependents of a job that ended, and ending a job's executions in its queue's
    /// `wip` registry.
    static let helpers = """
        local prefix, maxlen = ARGV[1], ARGV[2]
        local function emit(job, queue, status, at, progress, batch)
          local cursor = redis.call('INCR', prefix .. 'tock:events:cursor')
          local fields = {'job', job, 'queue', queue, 'status', status, 'at', at}
          -- The message is written by hand: cjson.encode of a table costs more than the XADD.
          local message = '{"cursor":' .. cursor .. ',"job":"' .. job .. '","queue":' .. cjson.encode(queue)
            .. ',"status":"' .. status .. '","at":"' .. at .. '"'
          if progress and progress ~= '' then
            fields[#fields + 1] = 'progress'; fields[#fields + 1] = progress
            message = message .. ',"progress":' .. progress
          end
          if batch and batch ~= '' then
            fields[#fields + 1] = 'batch'; fields[#fields + 1] = batch
            message = message .. ',"batch":' .. cjson.encode(batch)
          end
          redis.call('XADD', prefix .. 'tock:events', 'MAXLEN', '~', maxlen, cursor .. '-0', unpack(fields))
          redis.call('PUBLISH', prefix .. 'tock:events', message .. '}')
        end
        -- RQ's enqueue_dependents: after `parent` ended (`status` finished or failed), each
        -- deferred job in its dependents set whose dependencies are now met is queued (RQ's
        -- rules: a failed dependency counts only for allow_dependency_failures; canceled
        -- and stopped never; dependencies whose job is gone do not hold anything back).
        local function release(parent, status, now)
          local dependentsKey = prefix .. 'job:' .. parent .. ':dependents'
          local ids = redis.call('SMEMBERS', dependentsKey)
          if #ids == 0 then return end
          local released = {}
          for _, id in ipairs(ids) do
            local key = prefix .. 'job:' .. id
            local state = redis.call('HMGET', key, 'status', 'allow_dependency_failures', 'origin', 'enqueue_at_front', 'group_id')
            local allowFailures = state[2] == '1'
            local met = state[1] == 'deferred' and (status == 'finished' or (status == 'failed' and allowFailures))
            if met then
              for _, dependency in ipairs(redis.call('SMEMBERS', key .. ':dependencies')) do
                if dependency ~= parent then
                  local other = redis.call('HGET', prefix .. 'job:' .. dependency, 'status')
                  if other and other ~= 'finished' and not (allowFailures and other == 'failed') then
                    met = false
                    break
                  end
                end
              end
            end
            if met then
              local queue = state[3] or 'default'
              local queueKey = prefix .. 'queue:' .. queue
              redis.call('ZREM', prefix .. 'deferred:' .. queue, id)
              redis.call('HSET', key, 'status', 'queued', 'enqueued_at', now)
              redis.call('SADD', prefix .. 'queues', queueKey)
              if state[4] == '1' then redis.call('LPUSH', queueKey, id) else redis.call('RPUSH', queueKey, id) end
              emit(id, queue, 'queued', now, '', state[5])
              released[#released + 1] = id
            end
          end
          if #released == #ids then
            redis.call('DEL', dependentsKey)
          elseif #released > 0 then
            redis.call('SREM', dependentsKey, unpack(released))
          end
        end
        local function executions(queue, id)
          local wip = prefix .. 'wip:' .. queue
          local head = id .. ':'
          local found = {}
          for _, member in ipairs(redis.call('ZRANGE', wip, 0, -1)) do
            if string.sub(member, 1, #head) == head then found[#found + 1] = member end
          end
          return wip, found
        end
        local function endexec(queue, id)
          local wip, members = executions(queue, id)
          for _, member in ipairs(members) do
            redis.call('ZREM', wip, member)
            redis.call('DEL', prefix .. 'execution:' .. member)
            redis.call('ZREM', prefix .. 'executions:' .. id, string.sub(member, #id + 2))
          end
        end

        """

    /// A guarded write of several units (``RedisWrite``). ARGV: prefix, event stream length,
    /// unit count, then per unit: condition count, operation count, the conditions, the
    /// operations (each a word count and its words). All conditions are checked before
    /// anything is written.
    ///
    /// Conditions: `absent KEY` (the unit is skipped if KEY exists: idempotent enqueue),
    /// `mustbeabsent KEY`, `field KEY FIELD VALUE` (fails unless the hash field is VALUE;
    /// missing reads as empty), `queuelimit QUEUE MAX` (fails if the queue would hold more
    /// than MAX, counting the units written), `lease TOKEN` (fails unless the scheduler
    /// lease's token is TOKEN).
    ///
    /// Operations: any Redis command, or `tock.event JOB QUEUE STATUS AT PROGRESS BATCH`,
    /// `tock.endexec QUEUE JOB`, `tock.dependents JOB STATUS NOW` (queues the RQ
    /// dependents whose dependencies JOB's end met), `tock.max KEY FIELD NUMBER` (sets the
    /// field unless it holds a larger number).
    ///
    /// Returns `{'ok', written per unit (1 or 0)…}` or `{'fail', unit, kind, details…}`.
    static let write = RedisScript(
        functions + """
        return apply(3)
        """)

    /// Takes the first `queued` job of the given queues, in order, and starts it as RQ's
    /// worker does (execution hash, `wip` registry, worker state), in one step: no job is
    /// lost between popping and starting. Ids whose job is no longer queued (canceled,
    /// deleted, expired) are dropped from the list on the way.
    /// Paused queues (the set `tock:queues:paused`) are skipped, checked in the same
    /// script: a pause binds every Tock worker from the moment it is written.
    ///
    /// ARGV: prefix, event stream length, worker, now (RQ text), wip deadline (epoch),
    /// execution id, now (epoch), execution TTL (s), queue names…
    /// Returns `{queue, id, HGETALL of the job}` or nil.
    static let claim = RedisScript(
        functions + """
        return take(3)
        """)

    /// A busy worker's end of one job and claim of the next, in one round trip: ``write``,
    /// then (if it was written) ``claim``. ARGV: prefix, event stream length, the number of
    /// words of the write, the write's words, the claim's words. Returns `{write reply,
    /// claim reply}`.
    static let writeThenClaim = RedisScript(
        functions + """
        local reply = apply(4)
        if reply[1] ~= 'ok' then return {reply, false} end
        return {reply, take(4 + tonumber(ARGV[3]))}
        """)

    /// ``helpers`` and the bodies of ``write`` and ``claim`` as functions of the index of
    /// their first argument.
    static let functions = helpers + """
        local function apply(i)
          local units = tonumber(ARGV[i])
          i = i + 1
          local plan = {}
          for u = 1, units do
            local conditions, operations = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
            i = i + 2
            local unit = {conditions = {}, operations = {}}
            for c = 1, conditions do
              local n = tonumber(ARGV[i]); unit.conditions[c] = {i + 1, i + n}; i = i + n + 1
            end
            for o = 1, operations do
              local n = tonumber(ARGV[i]); unit.operations[o] = {i + 1, i + n}; i = i + n + 1
            end
            plan[u] = unit
          end
          local skip = {}
          for u = 1, units do
            for _, range in ipairs(plan[u].conditions) do
              local a = range[1]
              local kind = ARGV[a]
              if kind == 'absent' then
                if redis.call('EXISTS', ARGV[a + 1]) == 1 then skip[u] = true end
              elseif kind == 'mustbeabsent' then
                if redis.call('EXISTS', ARGV[a + 1]) == 1 then return {'fail', u, kind, ARGV[a + 1]} end
              elseif kind == 'field' then
                local value = redis.call('HGET', ARGV[a + 1], ARGV[a + 2]) or ''
                if value ~= ARGV[a + 3] then return {'fail', u, kind, ARGV[a + 1], ARGV[a + 2], value} end
              elseif kind == 'lease' then
                local token = redis.call('HGET', prefix .. 'tock:scheduler:lease', 'token') or ''
                if token ~= ARGV[a + 1] then return {'fail', u, kind, token} end
              end
            end
          end
          local adding, limits = {}, {}
          for u = 1, units do
            if not skip[u] then
              for _, range in ipairs(plan[u].conditions) do
                local a = range[1]
                if ARGV[a] == 'queuelimit' then
                  adding[ARGV[a + 1]] = (adding[ARGV[a + 1]] or 0) + 1
                  limits[ARGV[a + 1]] = tonumber(ARGV[a + 2])
                end
              end
            end
          end
          for queue, count in pairs(adding) do
            if redis.call('LLEN', prefix .. 'queue:' .. queue) + count > limits[queue] then
              return {'fail', 0, 'queuelimit', queue, tostring(limits[queue])}
            end
          end
          local reply = {'ok'}
          for u = 1, units do
            if skip[u] then
              reply[#reply + 1] = 0
            else
              for _, range in ipairs(plan[u].operations) do
                local a, b = range[1], range[2]
                local op = ARGV[a]
                if op == 'tock.event' then
                  emit(ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6])
                elseif op == 'tock.endexec' then
                  endexec(ARGV[a + 1], ARGV[a + 2])
                elseif op == 'tock.dependents' then
                  release(ARGV[a + 1], ARGV[a + 2], ARGV[a + 3])
                elseif op == 'tock.max' then
                  local current = tonumber(redis.call('HGET', ARGV[a + 1], ARGV[a + 2]) or '')
                  if current == nil or current < tonumber(ARGV[a + 3]) then
                    redis.call('HSET', ARGV[a + 1], ARGV[a + 2], ARGV[a + 3])
                  end
                else
                  redis.call(unpack(ARGV, a, b))
                end
              end
              reply[#reply + 1] = 1
            end
          end
          return reply
        end
        local function take(i)
          local worker, now, deadline, exec, epoch, ttl = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
          local paused = prefix .. 'tock:queues:paused'
          for q = i + 6, #ARGV do
            local name = ARGV[q]
            local queueKey = prefix .. 'queue:' .. name
            local isPaused = redis.call('SISMEMBER', paused, name) == 1
            while not isPaused do
              local id = redis.call('LPOP', queueKey)
              if not id then break end
              local jobKey = prefix .. 'job:' .. id
              if redis.call('HGET', jobKey, 'status') == 'queued' then
                redis.call('HSET', jobKey, 'status', 'started', 'started_at', now, 'worker_name', worker,
                  'last_heartbeat', now, 'ended_at', '')
                redis.call('HDEL', jobKey, 'tock_progress')
                local member = id .. ':' .. exec
                redis.call('ZADD', prefix .. 'wip:' .. name, deadline, member)
                local executionKey = prefix .. 'execution:' .. member
                redis.call('HSET', executionKey, 'id', exec, 'created_at', epoch, 'last_heartbeat', epoch, 'worker_name', worker)
                redis.call('EXPIRE', executionKey, ttl)
                redis.call('ZADD', prefix .. 'executions:' .. id, tonumber(deadline) + 60, exec)
                redis.call('EXPIRE', prefix .. 'executions:' .. id, tonumber(ttl) + 60)
                local workerKey = prefix .. 'worker:' .. worker
                if redis.call('EXISTS', workerKey) == 1 then
                  redis.call('HSET', workerKey, 'state', 'busy', 'current_job', id)
                end
                emit(id, name, 'started', now, '', redis.call('HGET', jobKey, 'group_id'))
                return {name, id, redis.call('HGETALL', jobKey)}
              end
            end
          end
          return false
        end

        """

    /// A worker's heartbeat: its hash (RQ's fields), its place in `rq:workers` and
    /// `rq:workers:<q>`, the key's TTL; for each of its running jobs, `last_heartbeat` and
    /// the `wip` deadline. Returns the ids of those jobs an operator asked to stop.
    ///
    /// ARGV: prefix, event stream length, worker, key TTL (s), now (RQ text), wip deadline
    /// (epoch), job count, job ids…, field count, fields and values…, queue names…
    static let heartbeat = RedisScript(
        helpers + """
        local worker, ttl, now, deadline = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
        local jobs = tonumber(ARGV[7])
        local i = 8 + jobs
        local fieldCount = tonumber(ARGV[i])
        local fields = {}
        for k = i + 1, i + fieldCount * 2 do fields[#fields + 1] = ARGV[k] end
        i = i + fieldCount * 2 + 1
        local workerKey = prefix .. 'worker:' .. worker
        redis.call('HSET', workerKey, unpack(fields))
        redis.call('HDEL', workerKey, 'death')
        redis.call('EXPIRE', workerKey, ttl)
        redis.call('SADD', prefix .. 'workers', workerKey)
        for k = i, #ARGV do redis.call('SADD', prefix .. 'workers:' .. ARGV[k], workerKey) end
        local stops = {}
        for k = 8, 7 + jobs do
          local id = ARGV[k]
          local jobKey = prefix .. 'job:' .. id
          local state = redis.call('HMGET', jobKey, 'status', 'worker_name', 'tock_stop', 'origin')
          if state[1] == 'started' and state[2] == worker then
            redis.call('HSET', jobKey, 'last_heartbeat', now)
            local wip, members = executions(state[4], id)
            for _, member in ipairs(members) do redis.call('ZADD', wip, 'XX', deadline, member) end
            if state[3] == '1' then stops[#stops + 1] = id end
          end
        end
        return stops
        """)

    /// Takes or renews the scheduler's lease. ARGV: prefix, (unused), holder, now (epoch),
    /// expiry (epoch). Returns `{token, expiry}`, or nil while another holder's lease runs.
    static let acquireLease = RedisScript(
        helpers + """
        local key = prefix .. 'tock:scheduler:lease'
        local holder, now, expiry = ARGV[3], tonumber(ARGV[4]), ARGV[5]
        local current = redis.call('HMGET', key, 'holder', 'token', 'expires_at')
        local token, expires = tonumber(current[2]), tonumber(current[3] or '0') or 0
        if current[1] and current[1] ~= holder and expires > now then return false end
        local granted
        if token == nil then granted = 1
        elseif current[1] == holder and expires > now then granted = token
        else granted = token + 1 end
        redis.call('HSET', key, 'holder', holder, 'token', granted, 'expires_at', expiry)
        return {tostring(granted), expiry}
        """)

    /// Gives the lease up if `holder` has it. ARGV: prefix, (unused), holder.
    static let releaseLease = RedisScript(
        helpers + """
        local key = prefix .. 'tock:scheduler:lease'
        if redis.call('HGET', key, 'holder') == ARGV[3] then redis.call('HSET', key, 'expires_at', '0') end
        return 1
        """)
}
