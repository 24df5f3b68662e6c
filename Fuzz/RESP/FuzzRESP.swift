import Foundation
import TockFuzzSupport
@_spi(Fuzzing) import TockRedis

// Input: bytes as Redis would send them (RESP2). hiredis' reader parses them and Tock
// copies each reply into a RedisValue, as RedisSession does. See
// Fuzz/Support/FuzzInput.swift for how this builds with and without libFuzzer.
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

#if !FUZZING
@main struct FuzzRESPReplay {
    static func main() { exit(FuzzInput.replay(Array(CommandLine.arguments.dropFirst()), run)) }
}
#endif
