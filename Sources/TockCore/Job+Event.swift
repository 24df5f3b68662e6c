extension Job {
    /// The scheduled event this job runs for, read from its origin: a fire
    /// (`scheduler:NAME@INSTANT`; event names may contain `@`, instants do not) or an
    /// operator's run (`manual:NAME`). `nil` for other jobs.
    public var event: String? {
        if origin.hasPrefix("scheduler:"), let at = origin.lastIndex(of: "@") {
            let name = origin[origin.index(origin.startIndex, offsetBy: 10)..<at]
            return name.isEmpty ? nil : String(name)
        }
        if origin.hasPrefix("manual:") {
            let name = origin.dropFirst(7)
            return name.isEmpty ? nil : String(name)
        }
        return nil
    }
}
