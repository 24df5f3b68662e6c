import Foundation

/// What the fuzz targets share.
///
/// Each target under `Fuzz/<Name>/` is one file defining `LLVMFuzzerTestOneInput` with
/// `@_cdecl`, and its entry point chosen by the `FUZZING` compile flag:
///
/// - `scripts/fuzz` builds with `-sanitize=fuzzer,address -DFUZZING`. SwiftPM links an
///   executable's `main` to `<Target>_main` (`--defsym`), so the target defines that with
///   `@_cdecl` and hands control to libFuzzer (``runLibFuzzer(_:_:_:)``,
///   `LLVMFuzzerRunDriver`).
/// - A normal `swift build` (CI's) has no libFuzzer: `#if !FUZZING` the target has a
///   `@main` that runs the files or directories it is given once each (`swift run FuzzJSON
///   Fuzz/JSON/corpus`), to replay a corpus or a crash without the fuzzer. So every target
///   builds and links like any executable. A one-file executable target not named
///   `main.swift` is compiled with `-parse-as-library`: no top-level code, no second `main`.
public enum FuzzInput {
    /// Runs `body` on each file named in the arguments (directories: each file in them).
    /// - Returns: the exit status: 0, or 2 when a path cannot be read.
    public static func replay(_ arguments: [String], _ body: ([UInt8]) -> Void) -> Int32 {
        var count = 0
        for path in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                print("no such file: \(path)")
                return 2
            }
            let files: [String]
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files = names.sorted().map { "\(path)/\($0)" }
            } else {
                files = [path]
            }
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    print("cannot read \(file)")
                    return 2
                }
                body(Array(data))
                count += 1
            }
        }
        print("\(count) inputs ran")
        return 0
    }

    #if FUZZING
    /// Runs libFuzzer (its command-line flags in `argv`) on `testOneInput`.
    public static func runLibFuzzer(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt {
        var argc = argc
        var argv = argv
        return llvmFuzzerRunDriver(&argc, &argv, testOneInput)
    }
    #endif

    /// The bytes libFuzzer passes (`data` may be nil when `size` is 0).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The input as text, invalid UTF-8 repaired as `String(decoding:)` repairs it.
    public static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Stops the process with `message` when a property of the target does not hold: to
    /// libFuzzer a crash, with the input saved.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError(message()) }
    }
}

#if FUZZING
/// libFuzzer's `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*cb)(const uint8_t *, size_t))`.
@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
