import Hummingbird
import Synchronization
import TockCore

/// At most `api.max_streams_per_client` open event streams per token, so one client
/// cannot hold every stream the process can carry. Without tokens (loopback only, every
/// caller trusted) streams are not counted. A stream takes a slot when it opens and gives it back
/// when it ends, however it ends.
final class StreamGate: Sendable {
    let limit: Int
    private let open = Mutex<[String: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot for `client`; a 429 problem when it holds `limit` already.
    func enter(_ client: String) throws(Problem) {
        let admitted = open.withLock { open -> Bool in
            guard open[client, default: 0] < limit else { return false }
            open[client, default: 0] += 1
            return true
        }
        guard admitted else {
            var headers = HTTPFields()
            headers[.retryAfter] = "5"
            throw Problem(
                status: .tooManyRequests, title: "Too many streams",
                detail: "\(client) has \(limit) event streams open (api.max_streams_per_client); close one, or follow several jobs on one stream with ?batch= or ?queue=",
                headers: headers)
        }
    }

    func leave(_ client: String) {
        open.withLock { open in
            open[client, default: 1] -= 1
            if open[client] == 0 { open.removeValue(forKey: client) }
        }
    }
}

extension APIRoutes {
    /// The token a stream request carries, by name, for ``StreamGate``; `nil` without
    /// configured tokens.
    func streamClient(_ request: Request) -> String? {
        guard !access.isOpen else { return nil }
        if let header = request.headers[.authorization], let token = access.token(presented: String(header.dropFirst(7))) {
            return "token '\(token.name)'"
        }
        if let signed = request.uri.queryParameters["token"].map(String.init), let name = signed.split(separator: ".").first {
            return "token '\(name)'"
        }
        return nil
    }
}
