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
    public func script(_ script: RedisScript, keys: [RedisArgument] = [], args: [RedisArgument] = []) async throws(RedisError) -> RedisValue {
        try await self.script(script, keys: keys, args: RedisCommand(args))
    }

    /// Runs a Lua script by EVALSHA, falling back to EVAL (which caches it) on NOSCRIPT, with
    /// arguments already encoded.
    public func script(_ script: RedisScript, keys: [RedisArgument] = [], args: RedisCommand) async throws(RedisError) -> RedisValue {
        func call(_ name: String, _ first: String) -> RedisCommand {
            var command = RedisCommand([.init(name), .init(first), .init(keys.count)] + keys)
            command.append(contentsOf: args)
            return command
        }
        do {
            return try await send(call("EVALSHA", script.digest))
        } catch let .server(_, message) where message.hasPrefix("NOSCRIPT") {
            return try await send(call("EVAL", script.source))
        }
    }
}
