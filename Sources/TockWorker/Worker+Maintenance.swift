import Foundation
import Logging
import TockCore

extension Worker {
    /// Every ``Options/maintenanceInterval``, until cancelled: fails or retries jobs whose
    /// worker stopped heartbeating, and deletes records past their TTL. Any worker may do
    /// this for all; the backend makes each change once.
    func maintain() async {
        while !Task.isCancelled {
            do {
                let recovered = try await backend.recoverAbandonedJobs(
                    now: Date(), heartbeatTimeout: TimeInterval(configuration.heartbeatTimeout),
                    failureTTL: configuration.failureTTL)
                for job in recovered {
                    let worker = job.worker ?? "?"
                    logger.warning("recovered job \(job.id) ('\(job.name)') of dead worker \(worker): \(job.status)")
                }
                let purged = try await backend.purgeExpired(now: Date())
                if purged > 0 { logger.info("purged \(purged) expired job record(s)") }
            } catch {
                if Task.isCancelled { return }
                logger.error("maintenance failed: \(error)")
            }
            do {
                try await Task.sleep(for: options.maintenanceInterval)
            } catch {
                return
            }
        }
    }
}
