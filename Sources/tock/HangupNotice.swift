import Logging
import ServiceLifecycle
import UnixSignals

/// Takes SIGHUP (which would otherwise end the process, leaving its jobs `started`) and
/// logs what it means for a process that has nothing to reload: `tock worker` runs the
/// `jobs:` it read at start until it is restarted.
struct HangupNotice: Service {
    let logger: Logger
    let message: Logger.Message

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in await UnixSignalsSequence(trapping: .sighup) {
                logger.notice(message)
            }
        }
    }
}
