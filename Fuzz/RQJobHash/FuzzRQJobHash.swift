import Foundation
import TockFuzzSupport
@_spi(Fuzzing) import TockRedis

// Input: an `rq:job:<id>` hash, one `field=value` line per field (the value is the rest of
// the line, as bytes). The `data` field is given as its JSON text
// (`["name", null, [args], {kwargs}]`) and compressed here as RQ stores it; `data!=` gives
// the stored bytes as they are. A hash reads as a job or as an error, never a trap, and the
// lenient placeholder always reads. See Fuzz/Support/FuzzInput.swift for the two entry
// points.

private func hash(_ bytes: [UInt8]) -> [String: [UInt8]] {
    var hash: [String: [UInt8]] = [:]
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
        guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else { continue }
        let field = String(decoding: line[line.startIndex..<equals], as: UTF8.self)
        let value = Array(line[(equals + 1)...])
        switch field {
        case "data": hash["data"] = RQJobHashDecoding.compressed(String(decoding: value, as: UTF8.self))
        case "data!": hash["data"] = value
        default: hash[field] = value
        }
    }
    return hash
}

private func run(_ bytes: [UInt8]) {
    let decoded = RQJobHashDecoding.decode(id: "fuzz", hash: hash(bytes))
    if case .success(let job) = decoded.job {
        FuzzInput.require(job.retriesLeft >= 0, "retries_left read as \(job.retriesLeft)")
        FuzzInput.require(job.retryIntervals.allSatisfy { $0 >= 0 }, "a negative retry interval was read")
    }
    _ = decoded.placeholder.name
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRQJobHash(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(FuzzInput.bytes(data, size))
    return 0
}

#if FUZZING
@_cdecl("FuzzRQJobHash_main")
public func fuzzRQJobHashMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.runLibFuzzer(argc, argv, fuzzRQJobHash)
}
#else
@main struct FuzzRQJobHashReplay {
    static func main() { exit(FuzzInput.replay(Array(CommandLine.arguments.dropFirst()), run)) }
}
#endif
