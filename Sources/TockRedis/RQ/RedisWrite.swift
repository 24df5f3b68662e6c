/// A guarded write for ``RedisScripts/write``: units of conditions and operations, all
/// conditions checked before anything is written.
struct RedisWrite: Sendable {
    struct Unit: Sendable {
        var conditions: [[String]] = []
        var operations: [[RedisArgument]] = []

        /// Skips the unit when `key` exists (idempotent creation).
        mutating func skipIfExists(_ key: String) { conditions.append(["absent", key]) }
        /// Fails the write when `key` exists.
        mutating func requireAbsent(_ key: String) { conditions.append(["mustbeabsent", key]) }
        /// Fails the write unless `key`'s `field` is `value` (missing reads as empty).
        mutating func require(_ key: String, field: String, is value: String) {
            conditions.append(["field", key, field, value])
        }
        /// Fails the write when `queue` would hold more than `maximum` jobs.
        mutating func limitQueue(_ queue: String, to maximum: Int) {
            conditions.append(["queuelimit", queue, String(maximum)])
        }
        /// Fails the write unless the scheduler lease's token is `token`.
        mutating func requireLease(token: Int64) { conditions.append(["lease", String(token)]) }

        mutating func run(_ command: [RedisArgument]) { operations.append(command) }
    }

    /// Why a write was refused.
    enum Refusal: Error, Sendable, Equatable {
        /// A `field` condition: the job changed since it was read.
        case changed(unit: Int, key: String, field: String, found: String)
        case exists(unit: Int, key: String)
        case queueFull(queue: String, maximum: Int)
        case fenced(current: String)
    }

    var units: [Unit] = []

    mutating func append(_ unit: Unit) { units.append(unit) }

    /// The script's ARGV after the prefix and the stream length.
    var arguments: [RedisArgument] {
        var arguments: [RedisArgument] = [RedisArgument(units.count)]
        for unit in units {
            arguments.append(RedisArgument(unit.conditions.count))
            arguments.append(RedisArgument(unit.operations.count))
            for condition in unit.conditions {
                arguments.append(RedisArgument(condition.count))
                arguments += condition.map { RedisArgument($0) }
            }
            for operation in unit.operations {
                arguments.append(RedisArgument(operation.count))
                arguments += operation
            }
        }
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
