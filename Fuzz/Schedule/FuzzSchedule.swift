import Foundation
import TockFuzzSupport
import TockSchedule

// Input: one schedule file (YAML). Loading reports problems and never traps; the events
// of a file without errors give a timeline. See Fuzz/Support/FuzzInput.swift for the two
// entry points.

private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let loader = ScheduleLoader(options: .init(now: now))

private func run(_ bytes: [UInt8]) {
    let result = loader.load(sources: [(file: "fuzz.yaml", yaml: FuzzInput.text(bytes))])
    for problem in result.problems { _ = "\(problem)" }
    guard !result.hasErrors else { return }
    let fires = result.schedules.upcomingFires(after: 1_800_000_000, limit: 20)
    FuzzInput.require(fires.count <= 20, "upcomingFires gave \(fires.count) fires for a limit of 20")
    FuzzInput.require(zip(fires, fires.dropFirst()).allSatisfy { $0.instant <= $1.instant }, "the timeline is not in order")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchedule(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(FuzzInput.bytes(data, size))
    return 0
}

#if FUZZING
@_cdecl("FuzzSchedule_main")
public func fuzzScheduleMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.runLibFuzzer(argc, argv, fuzzSchedule)
}
#else
@main struct FuzzScheduleReplay {
    static func main() { exit(FuzzInput.replay(Array(CommandLine.arguments.dropFirst()), run)) }
}
#endif
