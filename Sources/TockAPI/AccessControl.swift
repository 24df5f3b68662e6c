import Crypto
import Foundation
import Hummingbird
import TockCore

/// Who may call what (docs/security.md): bearer tokens from `api.tokens`, each stored as
/// its SHA-256 with scopes. Without tokens everything is open (the server then listens on
/// loopback only, which `tock serve` enforces).
///
/// The scope a request needs follows from its method and path alone, so every route —
/// including routes added later — is covered without a per-route annotation:
/// `GET`/`HEAD` need `read`; `POST /api/v1/jobs` and `POST /api/v1/batches` need
/// `enqueue`; every other mutation needs `admin`. `/healthz`, `/readyz` and the OpenAPI
/// document are open.
///
/// Written here rather than with hummingbird-auth: its authenticators attach an identity
/// to a custom request context, while Tock needs only "which token, may it do this", and
/// the scope follows from the route, not from the handler.
public struct AccessControl: Sendable {
    public let tokens: [APISettings.Token]

    public init(tokens: [APISettings.Token]) {
        self.tokens = tokens
    }

    public var isOpen: Bool { tokens.isEmpty }

    /// The scope `method path` needs; `nil` when it is open to anyone.
    public static func scope(method: HTTPRequest.Method, path: String) -> APISettings.Scope? {
        if ["/healthz", "/readyz", "/api/v1/openapi.json"].contains(path) || method == .options { return nil }
        if method == .get || method == .head { return .read }
        if method == .post, path == "/api/v1/jobs" || path == "/api/v1/batches" { return .enqueue }
        if method == .post, path == StreamToken.path { return .read }
        return .admin
    }

    /// The configured token whose SHA-256 is that of `presented`, comparing every
    /// configured hash in constant time (no early exit on the first differing byte or
    /// the first match).
    public func token(presented: String) -> APISettings.Token? {
        let digest = Array(SHA256.hash(data: Data(presented.utf8)))
        var found: APISettings.Token?
        for token in tokens where Self.constantTimeEqual(token.sha256, digest) {
            found = token
        }
        return found
    }

    /// The token that may open an event stream (`read`): from an `Authorization: Bearer`
    /// header, or a signed stream token (`?token=`). `nil` when neither is valid.
    func streamReader(authorization: String?, signed: String?, now: Date) -> APISettings.Token? {
        if let authorization, authorization.lowercased().hasPrefix("bearer "),
            let token = token(presented: String(authorization.dropFirst(7))), token.allows(.read)
        {
            return token
        }
        return signed.flatMap { StreamToken.verify($0, tokens: tokens, now: now) }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// Checks every request against ``AccessControl``: 401 (with `WWW-Authenticate: Bearer`)
/// without a valid token, 403 when the token lacks the scope. The token itself is never
/// logged or echoed; answers name the token by its configured name.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: AccessControl

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !access.isOpen, let scope = AccessControl.scope(method: request.method, path: request.uri.path) else {
            return try await next(request, context)
        }
        let token: APISettings.Token
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer "), let found = access.token(presented: String(header.dropFirst(7))) else {
                return Self.unauthorized("the bearer token is not one of api.tokens")
            }
            token = found
        } else if let signed = request.uri.queryParameters["token"].map(String.init), StreamToken.accepts(request) {
            // EventSource cannot send headers: a stream may carry a short-lived signed token instead.
            guard let found = StreamToken.verify(signed, tokens: access.tokens, now: Date()) else {
                return Self.unauthorized("the stream token is not valid or has expired; get a new one from POST \(StreamToken.path)")
            }
            token = found
        } else {
            return Self.unauthorized("send Authorization: Bearer TOKEN (a token from api.tokens)")
        }
        guard token.allows(scope) else {
            return Problem(
                status: .forbidden, title: "Not allowed",
                detail: "token '\(token.name)' has scopes \(token.scopes.map(\.rawValue).sorted().joined(separator: ", ")); \(request.method) \(request.uri.path) needs '\(scope.rawValue)'"
            ).response
        }
        return try await next(request, context)
    }

    static func unauthorized(_ detail: String) -> Response {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = #"Bearer realm="tock""#
        return Problem(status: .unauthorized, title: "Authentication required", detail: detail, headers: headers).response
    }
}

/// A short-lived, signed token for event streams (`?token=`), because a browser's
/// `EventSource` cannot send an `Authorization` header. Minted by
/// `POST /api/v1/stream-tokens` for a token with `read`; valid for ``lifetime`` on the
/// stream endpoints only. `NAME.EXPIRY.SIGNATURE`, the signature an HMAC-SHA256 keyed by
/// the configured token's hash: every API process with the same configuration verifies
/// it (stateless), and removing the token from the configuration revokes its stream
/// tokens too.
public enum StreamToken {
    public static let path = "/api/v1/stream-tokens"
    public static let lifetime: TimeInterval = 600

    static func mint(for token: APISettings.Token, now: Date) -> (token: String, expires: Date) {
        let expiry = Int(now.timeIntervalSince1970 + lifetime)
        return ("\(token.name).\(expiry).\(signature(token, expiry: expiry))", Date(timeIntervalSince1970: TimeInterval(expiry)))
    }

    static func verify(_ text: String, tokens: [APISettings.Token], now: Date) -> APISettings.Token? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expiry = Int(parts[1]), TimeInterval(expiry) > now.timeIntervalSince1970,
            let token = tokens.first(where: { $0.name == parts[0] }), token.allows(.read)
        else { return nil }
        return AccessControl.constantTimeEqual(Array(signature(token, expiry: expiry).utf8), Array(parts[2].utf8)) ? token : nil
    }

    /// Stream endpoints: `/api/v1/stream`, `/api/v1/ws`, `/api/v1/jobs/ID/stream`.
    static func accepts(_ request: Request) -> Bool {
        let path = request.uri.path
        return request.method == .get && (path == "/api/v1/stream" || path == "/api/v1/ws" || (path.hasPrefix("/api/v1/jobs/") && path.hasSuffix("/stream")))
    }

    static func signature(_ token: APISettings.Token, expiry: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("tock-stream|\(token.name)|\(expiry)".utf8), using: SymmetricKey(data: token.sha256))
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
