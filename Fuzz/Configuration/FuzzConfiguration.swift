import Foundation
@_spi(Fuzzing) import TockConfiguration
import TockFuzzSupport

// Input: a tock.yaml. It is a configuration or a ConfigurationError, never a trap. See
// Fuzz/Support/FuzzInput.swift for the two entry points.

private func run(_ bytes: [UInt8]) {
    do {
        let configuration = try ConfigurationLoader.configuration(yaml: FuzzInput.text(bytes))
        FuzzInput.require(!configuration.queues.isEmpty, "a valid configuration has no queue")
    } catch {
        _ = error.description
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfiguration(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(FuzzInput.bytes(data, size))
    return 0
}

#if FUZZING
@_cdecl("FuzzConfiguration_main")
public func fuzzConfigurationMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.runLibFuzzer(argc, argv, fuzzConfiguration)
}
#else
@main struct FuzzConfigurationReplay {
    static func main() { exit(FuzzInput.replay(Array(CommandLine.arguments.dropFirst()), run)) }
}
#endif
