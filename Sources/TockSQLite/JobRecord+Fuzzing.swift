import GRDB
import TockCore

/// The row decoder as the fuzz target and its regression tests call it.
@_spi(Fuzzing) public enum JobRowDecoding {
    /// The column names, in the order ``decode(_:)`` reads a row's values.
    public static var columns: [String] { JobRecord.columns }

    /// The job a `jobs` row holds (selected in ``columns`` order), and the first column
    /// that could not be read, if any.
    public static func decode(_ row: Row) -> (job: Job, problem: String?) {
        let read = JobRecord.read(row)
        return (read.job, read.problem?.description)
    }
}
