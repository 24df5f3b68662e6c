import Foundation
import TockCron
import TockFuzzSupport

// Input: a cron expression; text after the first newline is the hash key for `H`.
// A parsed expression must describe itself and find its next and previous fires without
// trapping. See Fuzz/Support/FuzzInput.swift for the two entry points.

private let start = Date(timeIntervalSince1970: 1_800_000_000)

private func run(_ bytes: [UInt8]) {
    let text = FuzzInput.text(bytes)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let hashKey = parts.count > 1 ? String(parts[1]) : nil
    guard let expression = try? CronExpression(String(parts[0]), hashKey: hashKey) else { return }
    _ = expression.summary
    let schedule = CronSchedule(expression)
    if let next = schedule.next(after: start) {
        FuzzInput.require(next > start, "next(after:) \(next) is not after \(start) for '\(expression.text)'")
    }
    if let previous = schedule.previous(before: start) {
        FuzzInput.require(previous < start, "previous(before:) \(previous) is not before \(start) for '\(expression.text)'")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCron(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(FuzzInput.bytes(data, size))
    return 0
}

#if FUZZING
@_cdecl("FuzzCron_main")
public func fuzzCronMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.runLibFuzzer(argc, argv, fuzzCron)
}
#else
@main struct FuzzCronReplay {
    static func main() { exit(FuzzInput.replay(Array(CommandLine.arguments.dropFirst()), run)) }
}
#endif
