import Foundation
import TockCore

/// Hides a password given on the command line (`--backend redis://app:PASSWORD@host`)
/// from `ps` and `/proc/PID/cmdline`, as far as a process can: the arguments are copied
/// first, then the password is overwritten in the memory the kernel shows. Until then
/// (the first milliseconds) it is visible; a password file
/// (`TOCK_BACKEND_PASSWORD_FILE`, systemd's `LoadCredential=`) never is.
enum ArgumentSecrets {
    /// The arguments as given, after the originals are redacted in place.
    static func hide() -> [String] {
        let arguments = CommandLine.arguments
        for (index, argument) in arguments.enumerated() {
            let redacted = SecretRedaction.url(argument)
            guard redacted != argument, let pointer = CommandLine.unsafeArgv[index] else { continue }
            let length = strlen(pointer)
            var bytes = Array(redacted.utf8.prefix(length))
            if bytes.count < Array(redacted.utf8).count {
                // Shorter than its redaction (a one- or two-character password): stars after "://".
                let start = argument.utf8.count - (argument.range(of: "://").map { argument[$0.upperBound...].utf8.count } ?? 0)
                bytes = Array(argument.utf8.prefix(start)) + Array(repeating: UInt8(ascii: "*"), count: length - start)
            }
            bytes += Array(repeating: 0, count: length - bytes.count)
            pointer.withMemoryRebound(to: UInt8.self, capacity: length) { target in
                for offset in 0..<length { target[offset] = bytes[offset] }
            }
        }
        return arguments
    }
}
