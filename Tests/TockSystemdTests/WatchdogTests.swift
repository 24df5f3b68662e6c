import Foundation
import Testing
import TockSystemd

extension ProcessEnvironmentTests {
    /// `WATCHDOG_USEC` / `WATCHDOG_PID` as `sd_watchdog_enabled` reads them.
    @Suite struct Watchdog {
        let notifier = SystemdNotifier()
        let ownPID = String(getpid())

        @Test func halfTheTimeoutForThisProcess() {
            withEnvironment(["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": ownPID]) {
                #expect(notifier.watchdogSetting == .enabled(timeout: .seconds(30)))
                #expect(notifier.watchdogInterval == .seconds(15))
            }
        }

        @Test func withoutAPIDItIsOurs() {
            withEnvironment(["WATCHDOG_USEC": "1500000", "WATCHDOG_PID": nil]) {
                #expect(notifier.watchdogInterval == .milliseconds(750))
            }
        }

        @Test func anotherProcesssWatchdogIsNotOurs() {
            let other = getpid() == 1 ? "2" : "1"
            withEnvironment(["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": other]) {
                #expect(notifier.watchdogSetting == .disabled)
                #expect(notifier.watchdogInterval == nil)
            }
        }

        @Test func noWatchdog() {
            withEnvironment(["WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) {
                #expect(notifier.watchdogSetting == .disabled)
                #expect(notifier.watchdogInterval == nil)
            }
        }

        @Test(arguments: ["thirty", "0", "-5"])
        func malformedIsAnErrorValue(value: String) {
            withEnvironment(["WATCHDOG_USEC": value, "WATCHDOG_PID": ownPID]) {
                // EINVAL for "thirty" and "0", ERANGE for "-5": any code, as long as it is a value.
                guard case .invalid(let error) = notifier.watchdogSetting else {
                    Issue.record("WATCHDOG_USEC=\(value) was taken: \(notifier.watchdogSetting)")
                    return
                }
                #expect(error.operation == "sd_watchdog_enabled")
                #expect(notifier.watchdogInterval == nil)
            }
        }
    }
}
