import Foundation
import TockCore
import TockValues

/// Jobs at fixed times, as the conformance suite makes them.
enum TestJobs {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(_ id: String, queue: String = "default", at time: Date = t0) -> Job {
        Job(
            id: JobID(unchecked: id), name: "app.tasks.work", queue: queue, timeout: 300, createdAt: time, enqueuedAt: time,
            origin: "test")
    }
}
