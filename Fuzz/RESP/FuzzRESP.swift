import Foundation
import TockFuzzSupport
@_spi(Fuzzing) import TockRedis

// Input: bytes as Redis would send them (RESP2). hiredis' reader parses them and Tock
// copies each reply into a RedisValue, as RedisSession does. See
// Fuzz/Support/FuzzInput.swift for the two entry points.
// hiredis is the system's libhiredis (not instrumented): coverage counts Tock's side only.

private func run(_ bytes: [UInt8]) {
    let (values, _) = RedisValue.replies(fromRESP: bytes)
    for value in values {
        _ = value.string
        _ = value.integer
        _ = value.array
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRESP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(FuzzInput.bytes(data, size))
    return 0
}

#if FUZZING
@_cdecl("FuzzRESP_main")
public func fuzzRESPMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.runLibFuzzer(argc, argv, fuzzRESP)
}
#else
@main struct FuzzRESPReplay {
    static func main() { exit(FuzzInput.replay(Array(CommandLine.arguments.dropFirst()), run)) }
}
#endif
