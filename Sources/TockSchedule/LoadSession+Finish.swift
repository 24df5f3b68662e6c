extension LoadSession {
    /// Checks what spans files — duplicate event and job names, events naming
    /// undeclared jobs — fills in what events inherit from their job, and builds the
    /// result.
    func finish() -> ScheduleLoadResult {
        var problems = problems
        let duplicateJobs = duplicates(jobDeclarations, kind: "job", into: &problems)
        let duplicateEvents = duplicates(eventDeclarations, kind: "event", into: &problems)

        var jobsByName: [String: JobDefinition] = [:]
        for job in jobs where !duplicateJobs.contains(job.location) {
            jobsByName[job.name] = job
        }
        let declaredJobs = Set(jobDeclarations.map(\.name))
        for reference in jobReferences where !declaredJobs.contains(reference.job) {
            problems.append(
                ScheduleProblem(
                    .warning, at: reference.location,
                    "job '\(reference.job)' is not declared under jobs: in any file; "
                        + "fine if it is a Swift handler registered in code"))
        }

        var events: [ScheduledEvent] = []
        for draft in self.events where !duplicateEvents.contains(draft.event.location) {
            var event = draft.event
            if let job = jobsByName[event.job] {
                if !draft.hasOwnQueue, let queue = job.queue { event.queue = queue }
                if !draft.hasOwnTimeout, let timeout = job.timeout { event.timeout = timeout }
            }
            events.append(event)
        }
        let unique = Array(Set(problems))
        return ScheduleLoadResult(
            schedules: ScheduleSet(jobs: jobsByName, events: events, files: files), problems: unique)
    }

    /// Reports every declaration of a name after its first (in load order, then line
    /// and column) and returns where those repeats are.
    private func duplicates(
        _ declarations: [Declaration], kind: String, into problems: inout [ScheduleProblem]
    ) -> Set<FileLocation> {
        let ordered = declarations.sorted {
            ($0.fileIndex, $0.location.line, $0.location.column) < ($1.fileIndex, $1.location.line, $1.location.column)
        }
        var first: [String: FileLocation] = [:]
        var repeats: Set<FileLocation> = []
        for declaration in ordered {
            guard let earlier = first[declaration.name] else {
                first[declaration.name] = declaration.location
                continue
            }
            repeats.insert(declaration.location)
            problems.append(
                ScheduleProblem(
                    .error, at: declaration.location,
                    "duplicate \(kind) name '\(declaration.name)'; it is also declared at \(earlier); "
                        + "\(kind) names must be unique across all schedule files"))
        }
        return repeats
    }
}
