import Foundation
import TockFuzzSupport
import TockValues

// Input: JSON text. What parses prints as text that parses to the same value. See
// Fuzz/Support/FuzzInput.swift for the two entry points.

private func run(_ bytes: [UInt8]) {
    guard let value = try? JSONParser.parse(FuzzInput.text(bytes)) else { return }
    let printed = JSONText.encode(value)
    let reparsed: JSONValue
    do {
        reparsed = try JSONParser.parse(printed)
    } catch {
        fatalError("JSONText.encode wrote text JSONParser refuses (\(error.reason) at \(error.offset)): \(printed.prefix(200))")
    }
    FuzzInput.require(reparsed == value, "parse(print(x)) != x for \(printed.prefix(200))")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    run(FuzzInput.bytes(data, size))
    return 0
}

#if FUZZING
@_cdecl("FuzzJSON_main")
public func fuzzJSONMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.runLibFuzzer(argc, argv, fuzzJSON)
}
#else
@main struct FuzzJSONReplay {
    static func main() { exit(FuzzInput.replay(Array(CommandLine.arguments.dropFirst()), run)) }
}
#endif
