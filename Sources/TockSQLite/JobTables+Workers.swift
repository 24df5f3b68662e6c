import Foundation
import GRDB
import TockCore
import TockValues

extension JobTables {
    /// Creates or replaces the worker's record.
    func saveWorker(_ worker: WorkerRecord) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO workers (name, hostname, pid, queues, state, current_job, successful_job_count,
                    failed_job_count, total_working_time, birth, last_heartbeat)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            worker.name, worker.hostname, worker.pid, JSONText.encode(worker.queues), worker.state.rawValue,
            worker.currentJob?.rawValue, worker.successfulJobCount, worker.failedJobCount, worker.totalWorkingTime,
            StoredTime.microseconds(worker.birth), StoredTime.microseconds(worker.lastHeartbeat),
        ])
    }

    /// Every worker's record, by name.
    func workers() throws -> [WorkerRecord] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT name, hostname, pid, queues, state, current_job, successful_job_count, failed_job_count,
                    total_working_time, birth, last_heartbeat
                FROM workers ORDER BY name
                """)
        return try Row.fetchAll(statement).map { row in
            let name: String = row[0]
            let label = "worker '\(name)'"
            let stateText: String = row[4]
            guard let state = WorkerRecord.State(rawValue: stateText) else {
                throw StoredValueError(row: label, column: "state", detail: "unknown state '\(stateText)'")
            }
            let currentJob: String? = row[5]
            return WorkerRecord(
                name: name, hostname: row[1], pid: row[2],
                queues: try JSONText.strings(row[3], column: "queues", row: label), state: state,
                currentJob: currentJob.map(JobID.init(unchecked:)), successfulJobCount: row[6],
                failedJobCount: row[7], totalWorkingTime: row[8], birth: StoredTime.date(row[9]),
                lastHeartbeat: StoredTime.date(row[10]))
        }
    }
}
