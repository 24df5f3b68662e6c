import Foundation
import TockCore
import TockValues

/// Follows a job until it ends, drawing a progress bar on stderr (the job's progress
/// message and error escaped: ``TockCore/TerminalText``).
struct JobFollower {
    let backend: any TockBackend

    func follow(_ id: JobID) async throws -> Job {
        // What was printed before (the job's id) shows above the bar, also through a pipe.
        fflush(nil)
        var last = ""
        while true {
            guard let job = try await backend.job(id) else { throw TockError.jobNotFound(id) }
            let line = Self.line(for: job)
            if line != last {
                FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
                last = line
            }
            if job.status.isTerminal {
                FileHandle.standardError.write(Data("\n".utf8))
                if let error = job.error, job.status != .finished {
                    FileHandle.standardError.write(Data("error: \(TerminalText.escaped(error))\n".utf8))
                }
                return job
            }
            await backend.waitForChange(timeout: .milliseconds(500))
        }
    }

    static func line(for job: Job) -> String {
        let percent = job.status == .finished ? 100 : job.progress?.percent ?? 0
        let width = 30
        let filled = CheckedInteger.clamped((percent / 100 * Double(width)).rounded(), to: 0...width)
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let message = job.progress?.message.map { " " + TerminalText.cell($0, limit: 60) } ?? ""
        return "\(job.id) \(bar) \(CheckedInteger.clamped(percent, to: 0...100))% \(job.status)\(message)"
    }
}
