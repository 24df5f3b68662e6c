/// What went wrong, as a value a user can act on: what was wrong, where, and what
/// would be right. `description` is the one-line message the CLI prints.
public enum TockError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidJobID(String, reason: String)
    case unknownQueue(String, known: [String])
    case queueFull(String, maxQueued: Int)
    case malformedJSON(field: String, detail: String)
    case jobNotFound(JobID)
    /// An operator action that does not apply to the job's status (`cancel` on a
    /// finished job), with what it applies to.
    case invalidTransition(JobID, status: JobStatus, action: String, allowed: String)
    case invalidArgument(String)
    /// The backend could not be reached or read, with the path or URL and the cause.
    case backendUnavailable(String, detail: String)
    case unsupportedBackend(String)
    /// A scheduler write under a lease token that is no longer current.
    case fenced(token: Int64, current: Int64?)

    public var description: String {
        switch self {
        case .invalidJobID(let id, let reason):
            "invalid job id '\(id)': \(reason)"
        case .unknownQueue(let name, let known):
            "unknown queue '\(name)'; configured queues: \(known.joined(separator: ", "))"
        case .queueFull(let name, let max):
            "queue '\(name)' is full (max_queued \(max)); retry later or raise max_queued in the configuration"
        case .malformedJSON(let field, let detail):
            "malformed \(field): \(detail)"
        case .jobNotFound(let id):
            "no job with id '\(id)' (finished and failed jobs are kept only for their TTL)"
        case .invalidTransition(let id, let status, let action, let allowed):
            "cannot \(action) job '\(id)': it is \(status); \(action) applies to \(allowed) jobs"
        case .invalidArgument(let message):
            message
        case .backendUnavailable(let location, let detail):
            "backend \(location) is unavailable: \(detail)"
        case .fenced(let token, let current):
            "refused a scheduler write under lease token \(token): the current token is \(current.map(String.init) ?? "none"); "
                + "another scheduler is the leader"
        case .unsupportedBackend(let url):
            "unsupported backend '\(SecretRedaction.url(url))'; expected sqlite:PATH, redis://[user:password@]host:port/db, unix:///path?db=N or memory:"
        }
    }
}
