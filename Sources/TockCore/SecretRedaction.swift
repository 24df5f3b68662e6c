/// Hides the secrets a backend URL can carry before it is printed or logged: the password
/// of `redis://user:password@host` and the `password=` query item of
/// `unix:///path?password=…`.
///
/// The URL is treated as text, not parsed, so that a malformed one (the kind an error
/// message quotes) is redacted as well: everything between `://` and the last `@` is the
/// user information; what follows its first `:` is replaced by `***` (all of it, when
/// there is no `:`, since a password written without a user looks like a user name).
/// Text without `://` is returned unchanged.
///
/// ```swift
/// SecretRedaction.url("redis://app:s3cret@cache:6379/0")   // "redis://app:***@cache:6379/0"
/// SecretRedaction.url("unix:///run/redis.sock?password=x")  // "unix:///run/redis.sock?password=***"
/// ```
public enum SecretRedaction {
    /// `url` with its password, if any, replaced by `***`.
    public static func url(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        var text = String(url[..<scheme.upperBound])
        var rest = Substring(url[scheme.upperBound...])
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                text += userInfo[..<colon] + ":***"
            } else {
                text += "***"
            }
            rest = rest[at...]
        }
        return text + redactingPasswordItems(rest)
    }

    /// Every `password=VALUE` query item (up to the next `&` or `#`) with `***` as its value.
    private static func redactingPasswordItems(_ text: Substring) -> String {
        var result = ""
        var rest = text
        while let item = rest.range(of: "password=") {
            let before = rest[..<item.lowerBound]
            guard before.last == "?" || before.last == "&" else {
                result += rest[..<item.upperBound]
                rest = rest[item.upperBound...]
                continue
            }
            result += rest[..<item.upperBound] + "***"
            rest = rest[item.upperBound...]
            rest = rest[(rest.firstIndex { $0 == "&" || $0 == "#" } ?? rest.endIndex)...]
        }
        return result + rest
    }
}
