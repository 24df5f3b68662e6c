import Foundation
import Testing
@testable import TockSystemd

extension ProcessEnvironmentTests {
    /// `SystemdNotifier` against a real datagram socket named by `NOTIFY_SOCKET`.
    @Suite struct Notifier {
        let notifier = SystemdNotifier()

        @Test func nothingIsSentOutsideSystemd() {
            withEnvironment(["NOTIFY_SOCKET": nil]) {
                #expect(!notifier.isActive)
                #expect(notifier.ready(status: "up") == .notUnderSystemd)
                #expect(notifier.status("x") == .notUnderSystemd)
                #expect(notifier.watchdog() == .notUnderSystemd)
                #expect(notifier.reloading() == .notUnderSystemd)
                #expect(notifier.stopping() == .notUnderSystemd)
            }
            withEnvironment(["NOTIFY_SOCKET": ""]) {
                #expect(!notifier.isActive)
            }
        }

        @Test func readyCarriesTheStatusLine() throws {
            let socket = try NotifySocket()
            try withEnvironment(["NOTIFY_SOCKET": socket.path]) {
                #expect(notifier.isActive)
                #expect(notifier.ready(status: "42 events; backend ok") == .sent)
                let message = try #require(socket.receive { $0.hasPrefix("READY=1") })
                #expect(message == "READY=1\nSTATUS=42 events; backend ok")
            }
        }

        @Test func statusWatchdogAndStopping() throws {
            let socket = try NotifySocket()
            withEnvironment(["NOTIFY_SOCKET": socket.path]) {
                #expect(notifier.status("next cabs_app.sync at 12:15:00") == .sent)
                #expect(socket.receive { $0.hasPrefix("STATUS=") } == "STATUS=next cabs_app.sync at 12:15:00")
                #expect(notifier.watchdog() == .sent)
                #expect(socket.receive { $0.hasPrefix("WATCHDOG=") } == "WATCHDOG=1")
                #expect(notifier.stopping() == .sent)
                #expect(socket.receive { $0.hasPrefix("STOPPING=") } == "STOPPING=1")
                #expect(notifier.stopping(status: "warm shutdown") == .sent)
                #expect(socket.receive { $0.hasPrefix("STOPPING=") } == "STOPPING=1\nSTATUS=warm shutdown")
            }
        }

        @Test func reloadingCarriesTheMonotonicClock() throws {
            let socket = try NotifySocket()
            try withEnvironment(["NOTIFY_SOCKET": socket.path]) {
                let before = monotonicMicroseconds()
                #expect(notifier.reloading(status: "reloading schedules") == .sent)
                let after = monotonicMicroseconds()
                let message = try #require(socket.receive { $0.hasPrefix("RELOADING=") })
                let lines = message.split(separator: "\n").map(String.init)
                #expect(lines.count == 3)
                #expect(lines.first == "RELOADING=1")
                #expect(lines.last == "STATUS=reloading schedules")
                let stamp = try #require(lines.dropFirst().first?.split(separator: "=", maxSplits: 1))
                #expect(stamp.first == "MONOTONIC_USEC")
                let microseconds = try #require(UInt64(stamp.last ?? ""))
                #expect(before <= microseconds && microseconds <= after)
            }
        }

        @Test func lineBreaksCannotInjectAssignments() throws {
            let socket = try NotifySocket()
            withEnvironment(["NOTIFY_SOCKET": socket.path]) {
                #expect(notifier.status("bad file\nREADY=1") == .sent)
                #expect(socket.receive { $0.hasPrefix("STATUS=") } == "STATUS=bad file READY=1")
            }
        }

        @Test func aMissingSocketIsAnErrorValue() throws {
            let socket = try NotifySocket()
            withEnvironment(["NOTIFY_SOCKET": socket.directory + "/nobody-listens"]) {
                #expect(notifier.isActive)
                let result = notifier.ready()
                #expect(result == .failed(SystemdError(operation: "sd_notify", code: ENOENT)))
                #expect(!result.wasSent)
            }
        }

        private func monotonicMicroseconds() -> UInt64 {
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC, &time)
            return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1_000
        }
    }
}
