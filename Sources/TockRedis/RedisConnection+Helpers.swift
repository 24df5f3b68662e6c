extension RedisConnection {
    /// Runs `commands` atomically: MULTI, the commands, EXEC in one pipeline. Returns EXEC's
    /// replies, one per command (a command failing at run time is an `.error` value).
    ///
    /// Throws `RedisError.server` if a command was rejected while queueing (EXECABORT), and
    /// `RedisError.transactionAborted` if EXEC returned null (a WATCHed key changed).
    public func transaction(_ commands: [[RedisArgument]]) async throws(RedisError) -> [RedisValue] {
        let replies = try await pipeline([["MULTI"]] + commands + [["EXEC"]])
        for (index, reply) in replies.enumerated() {
            guard case let .error(message) = reply else { continue }
            let name = index == 0 ? "MULTI" : index == replies.count - 1 ? "EXEC" : commands[index - 1].first?.text.uppercased() ?? ""
            throw RedisError.server(command: "\(name) in transaction", message: message)
        }
        switch replies.last {
        case let .array(values)?: return values
        case .null?: throw RedisError.transactionAborted
        case let other: throw RedisError.protocolError("EXEC replied \(String(describing: other)), expected an array")
        }
    }

    /// Runs a Lua script by EVALSHA, falling back to EVAL (which caches it) on NOSCRIPT.
    public func script(_ source: String, keys: [RedisArgument] = [], args: [RedisArgument] = []) async throws(RedisError) -> RedisValue {
        let digest = digest(of: source)
        let rest: [RedisArgument] = [.init(keys.count)] + keys + args
        do {
            return try await send(["EVALSHA", .init(digest)] + rest)
        } catch let .server(_, message) where message.hasPrefix("NOSCRIPT") {
            return try await send(["EVAL", .init(source)] + rest)
        }
    }

    /// The SHA1 digest EVALSHA and SCRIPT LOAD use for `source`, in lowercase hex.
    public static func scriptDigest(_ source: String) -> String {
        SHA1.hex(Array(source.utf8))
    }
}
