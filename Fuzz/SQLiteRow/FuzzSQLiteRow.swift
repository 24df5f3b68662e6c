import Foundation
import GRDB
import TockFuzzSupport
@_spi(Fuzzing) import TockSQLite

// Input: one `jobs` row, a line per column in JobRecord's order (id, name, args, kwargs,
// queue, timeout, status, created_at, …); missing lines are NULL. A line is `n` (NULL),
// `i<integer>`, `r<real>`, `t<text>` or `b<hex blob>`. The values go through SQLite (an
// in-memory database, `SELECT ?, ?, …`) so each column has the storage class SQLite gives
// it, and the row is decoded as a listing or a claim decodes it: a job, with the first
// unreadable column as its problem, never a trap. See Fuzz/Support/FuzzInput.swift for the
// two entry points.

private let database = try! DatabaseQueue()
private let columns = JobRowDecoding.columns
private let select = "SELECT " + columns.map { "? AS \($0)" }.joined(separator: ", ")

private func value(_ line: ArraySlice<UInt8>) -> DatabaseValue {
    guard let kind = line.first else { return .null }
    let rest = String(decoding: line.dropFirst(), as: UTF8.self)
    switch kind {
    case UInt8(ascii: "i"): return Int64(rest).map { $0.databaseValue } ?? .null
    case UInt8(ascii: "r"): return Double(rest).map { $0.databaseValue } ?? .null
    case UInt8(ascii: "t"): return rest.databaseValue
    case UInt8(ascii: "b"):
        let hex = Array(rest.utf8)
        var bytes: [UInt8] = []
        var index = 0
        while index + 1 < hex.count {
            guard let byte = UInt8(String(decoding: hex[index...index + 1], as: UTF8.self), radix: 16) else { break }
            bytes.append(byte)
            index += 2
        }
        return Data(bytes).databaseValue
    default: return .null
    }
}

private func run(_ bytes: [UInt8]) {
    var values = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).prefix(columns.count).map(value)
    values += Array(repeating: .null, count: columns.count - values.count)
    let row = try! database.read { db in try Row.fetchOne(db, sql: select, arguments: StatementArguments(values)) }
    guard let row else { fatalError("SELECT gave no row") }
    let (job, problem) = JobRowDecoding.decode(row)
    FuzzInput.require(job.retriesLeft >= 0, "retries_left read as \(job.retriesLeft) (problem: \(problem ?? "none"))")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSQLiteRow(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(FuzzInput.bytes(data, size))
    return 0
}

#if FUZZING
@_cdecl("FuzzSQLiteRow_main")
public func fuzzSQLiteRowMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.runLibFuzzer(argc, argv, fuzzSQLiteRow)
}
#else
@main struct FuzzSQLiteRowReplay {
    static func main() { exit(FuzzInput.replay(Array(CommandLine.arguments.dropFirst()), run)) }
}
#endif
