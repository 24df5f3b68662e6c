import Foundation
import TockCore
import TockValues

/// RQ's commands to a worker (`rq.command`), which Python publishes as JSON on
/// `rq:pubsub:<worker>`: `send_stop_job_command` (`stop-job`, with `job_id`) and
/// `send_kill_horse_command` (`kill-horse`: the jobs the worker is running) stop a Tock
/// worker's job as `tock jobs stop` does; the worker acts at its next heartbeat.
/// `send_shutdown_command` is refused with a warning: a backend does not signal its own
/// process (stop a Tock worker with SIGTERM, e.g. `systemctl stop`).
///
/// One subscription per backend, to the pattern of all workers' channels, from the first
/// heartbeat on: commands are rare, and this process's workers come and go.
extension RedisBackend {
    struct WorkerCommands: Sendable {
        /// This process's workers.
        var workers: Set<String> = []
        var subscription: RedisSubscription?
    }

    /// Makes sure the commands to `worker` are heard.
    func listenForCommands(to worker: String) {
        workerCommands.withLock { state in
            state.workers.insert(worker)
            guard state.subscription == nil else { return }
            state.subscription = RedisSubscription(url: url, pattern: keys.commands("*"), logger: logger) {
                [weak self] channel, message in
                self?.handleCommand(channel: channel, message: message)
            }
        }
    }

    /// Stops hearing commands to `worker` (it unregistered).
    func stopListening(to worker: String) {
        _ = workerCommands.withLock { $0.workers.remove(worker) }
    }

    private func handleCommand(channel: String, message: [UInt8]) {
        guard let worker = keys.workerName(fromCommandChannel: channel), workerCommands.withLock({ $0.workers.contains(worker) })
        else { return }  // another process's worker
        let text = String(decoding: message, as: UTF8.self)
        guard let payload = try? JSONParser.parse(text), let command = payload["command"]?.stringValue else {
            logger.warning("ignored an RQ worker command that is not JSON with a command", metadata: ["worker": "\(worker)", "message": "\(text)"])
            return
        }
        switch command {
        case "stop-job":
            guard let id = payload["job_id"]?.stringValue else {
                logger.warning("ignored RQ's stop-job without a job_id", metadata: ["worker": "\(worker)"])
                return
            }
            stop(JobID(unchecked: id), for: worker, command: command)
        case "kill-horse":
            stop(nil, for: worker, command: command)
        case "shutdown":
            logger.warning(
                "RQ's shutdown command is not supported by Tock workers: stop the worker with SIGTERM (systemctl stop)",
                metadata: ["worker": "\(worker)"])
        default:
            logger.warning("ignored an unknown RQ worker command", metadata: ["worker": "\(worker)", "command": "\(command)"])
        }
    }

    /// Asks for `job` to stop; nil: the jobs `worker` is running (which this process claimed
    /// for it and has not completed).
    private func stop(_ job: JobID?, for worker: String, command: String) {
        let jobs = job.map { [$0] } ?? claimed.withLock { $0.values.filter { $0.worker == worker }.map(\.id) }
        if jobs.isEmpty {
            logger.notice("RQ asked to stop the job of an idle worker", metadata: ["worker": "\(worker)", "command": "\(command)"])
        }
        Task {
            for id in jobs {
                do {
                    _ = try await requestStop(id, now: Date())
                    logger.notice("RQ asked to stop a job", metadata: ["worker": "\(worker)", "job": "\(id)", "command": "\(command)"])
                } catch {
                    logger.warning("could not stop a job as RQ asked", metadata: ["worker": "\(worker)", "job": "\(id)", "error": "\(error)"])
                }
            }
        }
    }
}
