/// A guarded write for ``RedisScripts/write``: units of conditions and operations, all
/// conditions checked before anything is written.
struct RedisWrite: Sendable {
    /// Conditions and operations, encoded as the script reads them: each its word count,
    /// then its words.
    struct Unit: Sendable {
        private(set) var conditionCount = 0
        private(set) var operationCount = 0
        private(set) var conditions = RedisCommand()
        private(set) var operations = RedisCommand()

        /// Skips the unit when `key` exists (idempotent creation).
        mutating func skipIfExists(_ key: String) { condition(["absent", RedisArgument(key)]) }
        /// Fails the write when `key` exists.
        mutating func requireAbsent(_ key: String) { condition(["mustbeabsent", RedisArgument(key)]) }
        /// Fails the write unless `key`'s `field` is `value` (missing reads as empty).
        mutating func require(_ key: String, field: String, is value: String) {
            condition(["field", RedisArgument(key), RedisArgument(field), RedisArgument(value)])
        }
        /// Fails the write when `queue` would hold more than `maximum` jobs.
        mutating func limitQueue(_ queue: String, to maximum: Int) {
            condition(["queuelimit", RedisArgument(queue), RedisArgument(maximum)])
        }
        /// Fails the write unless the scheduler lease's token is `token`.
        mutating func requireLease(token: Int64) { condition(["lease", RedisArgument(token)]) }

        /// Runs a Redis command or one of the script's `tock.` operations.
        mutating func run(_ command: [RedisArgument]) { run(RedisCommand(command)) }
        /// Runs each of `commands`, in order.
        mutating func run(_ commands: [[RedisArgument]]) { for command in commands { run(command) } }
        /// Runs an encoded command.
        mutating func run(_ command: RedisCommand) {
            operations.append(command.count)
            operations.append(contentsOf: command)
            operationCount += 1
        }

        private mutating func condition(_ words: [RedisArgument]) {
            conditions.append(words.count)
            for word in words { conditions.append(word) }
            conditionCount += 1
        }
    }

    /// Why a write was refused.
    enum Refusal: Error, Sendable, Equatable {
        /// A `field` condition: the job changed since it was read.
        case changed(unit: Int, key: String, field: String, found: String)
        case exists(unit: Int, key: String)
        case queueFull(queue: String, maximum: Int)
        case fenced(current: String)
    }

    /// How many units it has.
    private(set) var unitCount = 0
    /// The units as the script reads them (after the unit count).
    private var encodedUnits = RedisCommand()

    mutating func append(_ unit: Unit) {
        encodedUnits.append(unit.conditionCount)
        encodedUnits.append(unit.operationCount)
        encodedUnits.append(contentsOf: unit.conditions)
        encodedUnits.append(contentsOf: unit.operations)
        unitCount += 1
    }

    /// The script's ARGV after the prefix and the stream length.
    var arguments: RedisCommand {
        var arguments = RedisCommand()
        arguments.append(unitCount)
        arguments.append(contentsOf: encodedUnits)
        return arguments
    }

    /// Reads the script's reply: per unit whether it was written, or why nothing was.
    static func outcome(_ reply: RedisValue) throws(RedisError) -> Result<[Bool], Refusal> {
        guard let values = reply.array, let head = values.first?.string else {
            throw RedisError.protocolError("write script replied \(reply)")
        }
        if head == "ok" { return .success(values.dropFirst().map { $0.integer == 1 }) }
        let words = values.map { $0.string ?? "" }
        let unit = Int(words.count > 1 ? words[1] : "") ?? 0
        switch words.count > 2 ? words[2] : "" {
        case "field" where words.count >= 6:
            return .failure(.changed(unit: unit, key: words[3], field: words[4], found: words[5]))
        case "mustbeabsent" where words.count >= 4:
            return .failure(.exists(unit: unit, key: words[3]))
        case "queuelimit" where words.count >= 5:
            return .failure(.queueFull(queue: words[3], maximum: Int(words[4]) ?? 0))
        case "lease" where words.count >= 4:
            return .failure(.fenced(current: words[3]))
        default:
            throw RedisError.protocolError("write script replied \(words)")
        }
    }
}
