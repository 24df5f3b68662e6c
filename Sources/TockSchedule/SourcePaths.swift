import Foundation

/// Turns the paths given to the loader into the files to read.
enum SourcePaths {
    /// The files `paths` stand for: a file as is; a directory's `*.yaml` and `*.yml`
    /// files, sorted by name, not recursing and skipping names starting with `.`.
    /// A file named twice (directly, or through a directory) is read once. A symbolic
    /// link whose target does not exist is an error, not a file silently left out.
    static func expand(_ paths: [String]) -> (files: [String], problems: [ScheduleProblem]) {
        let manager = FileManager.default
        var files: [String] = []
        var problems: [ScheduleProblem] = []
        var seen: Set<String> = []
        func add(_ file: String) {
            if seen.insert(URL(fileURLWithPath: file).standardizedFileURL.path).inserted { files.append(file) }
        }
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(wholePath(path, .error, "cannot read: no such file or directory"))
                continue
            }
            guard isDirectory.boolValue else {
                add(path)
                continue
            }
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: path)
            } catch {
                problems.append(wholePath(path, .error, "cannot list the directory: \(reason(error))"))
                continue
            }
            var schedules: [String] = []
            let problemsBefore = problems.count
            for name in names.sorted() {
                guard !name.hasPrefix("."), name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
                let file = join(path, name)
                var isSubdirectory: ObjCBool = false
                if manager.fileExists(atPath: file, isDirectory: &isSubdirectory) {
                    if !isSubdirectory.boolValue { schedules.append(name) }
                } else if let target = try? manager.destinationOfSymbolicLink(atPath: file) {
                    problems.append(wholePath(
                        file, .error, "cannot read: it is a symbolic link to \(target), which does not exist; fix or remove the link"))
                }
            }
            if schedules.isEmpty, problems.count == problemsBefore {
                problems.append(wholePath(path, .warning, "the directory has no *.yaml or *.yml files"))
            }
            schedules.forEach { add(join(path, $0)) }
        }
        return (files, problems)
    }

    /// The UTF-8 text of `file`, or the problem that kept it from being read.
    static func read(_ file: String) -> FileText {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            return .unreadable(wholePath(file, .error, "cannot read: \(reason(error))"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .unreadable(wholePath(file, .error, "cannot read: the file is not UTF-8 text"))
        }
        return .text(text)
    }

    /// A file's text, or why it could not be read.
    enum FileText {
        case text(String)
        case unreadable(ScheduleProblem)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func wholePath(_ path: String, _ severity: ScheduleProblem.Severity, _ message: String) -> ScheduleProblem {
        ScheduleProblem(severity, at: FileLocation(file: path, line: 0, column: 0), message)
    }

    /// The system's reason, without Foundation's sentence around it when there is a
    /// POSIX error underneath.
    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain, let message = strerror(Int32(underlying.code)) {
            return String(cString: message).lowercased()
        }
        if (error as NSError).domain == NSPOSIXErrorDomain, let message = strerror(Int32((error as NSError).code)) {
            return String(cString: message).lowercased()
        }
        return error.localizedDescription
    }
}
