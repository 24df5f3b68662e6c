import Foundation
import Hummingbird
import Logging
import TockCore
import TockSchedule
import TockScheduler
import TockValues

/// The HTTP API over one backend: `/healthz`, `/readyz` and `/api/v1/…` (jobs, their
/// actions, queues, workers, events, the scheduler). Stateless: every answer comes from the backend, so any
/// number of API processes can serve one backend. JSON is written as the CLI's `--json`
/// writes it; errors are `application/problem+json`.
public struct APIRoutes: Sendable {
    public let client: JobClient
    /// The schedule files' events and `jobs:` declarations (what an enqueue leaves out
    /// comes from its job's declaration).
    public let schedule: ScheduleSet
    let declarations: [String: JobDeclaration]
    /// The process's one reader of the event log, for the streams.
    public let hub: EventHub
    /// The largest request body read, in bytes.
    public var maximumBodySize = JobLimits.maximumArgumentBytes + 64 * 1024

    public init(client: JobClient, schedule: ScheduleSet, hub: EventHub) {
        self.client = client
        self.schedule = schedule
        self.declarations = schedule.declarations
        self.hub = hub
    }

    /// A router with `/metrics` alone, for `--metrics-listen` (scrapers that do not send
    /// tokens).
    public func metricsRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/metrics") { _, _ in try await self.answer { try await self.metrics() } }
        return router
    }

    /// A router with every route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in Response.json(["status": "ok"]) }
        router.get("/metrics") { _, _ in try await self.answer { try await self.metrics() } }
        router.get("/readyz") { _, _ in try await self.answer { try await self.ready() } }
        let jobs = router.group("/api/v1/jobs")
        jobs.post { request, _ in try await self.answer { try await self.enqueue(request) } }
        jobs.get { request, _ in try await self.answer { try await self.list(request) } }
        jobs.get("{id}") { _, context in try await self.answer { try await self.show(context.parameters.require("id")) } }
        addRealtimeRoutes(to: router)
        jobs.delete("{id}") { _, context in try await self.answer { try await self.delete(context.parameters.require("id")) } }
        for action in ["cancel", "stop", "requeue"] {
            jobs.post("{id}/\(action)") { _, context in
                try await self.answer { try await self.act(action, on: context.parameters.require("id")) }
            }
        }
        router.get("/api/v1/queues") { _, _ in
            try await self.answer { .json(JobJSON.queues(self.client.configuration, counts: try await self.client.backend.queueCounts())) }
        }
        router.get("/api/v1/workers") { _, _ in
            try await self.answer {
                let now = Date()
                return .json(.array(try await self.client.backend.workers().map { JobJSON.object($0, now: now) }))
            }
        }
        router.get("/api/v1/events") { _, _ in try await self.answer { try await self.events() } }
        router.get("/api/v1/events/{name}") { _, context in
            try await self.answer { .json(try await self.eventJSON(self.event(context.parameters.require("name")))) }
        }
        router.post("/api/v1/events/{name}/run") { _, context in
            try await self.answer { try await self.run(self.event(context.parameters.require("name"))) }
        }
        for (action, enabled) in [("enable", true), ("disable", false)] {
            router.post("/api/v1/events/{name}/\(action)") { _, context in
                try await self.answer {
                    let event = try self.event(context.parameters.require("name"))
                    try await self.client.backend.setEventEnabled(event.name, enabled: enabled)
                    return .json(try await self.eventJSON(event))
                }
            }
        }
        router.get("/api/v1/scheduler") { _, _ in try await self.answer { try await self.scheduler() } }
        for (action, paused) in [("pause", true), ("resume", false)] {
            router.post("/api/v1/scheduler/\(action)") { _, _ in
                try await self.answer {
                    try await self.client.backend.setPaused(paused)
                    return try await self.scheduler()
                }
            }
        }
        return router
    }

    /// Runs a route, turning what it throws into a problem answer.
    func answer(_ route: () async throws -> Response) async throws -> Response {
        do {
            return try await route()
        } catch let problem as Problem {
            return problem.response
        } catch let error as TockError {
            return Problem(error).response
        } catch let error as HTTPError {
            throw error
        } catch {
            return Problem(status: .serviceUnavailable, title: "Backend unavailable", detail: "\(error)").response
        }
    }

    func ready() async throws -> Response {
        do {
            _ = try await client.backend.queueCounts()
            return .json(["status": "ready"])
        } catch {
            return Problem(status: .serviceUnavailable, title: "Not ready", detail: "the backend does not answer: \(error)").response
        }
    }

    /// 202 and `Location` for a new job; 200 with the job as it stands when its id (or
    /// `Idempotency-Key`) exists already.
    func enqueue(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: maximumBodySize)
        let now = Date()
        let parsed = try EnqueueBody(
            String(buffer: body), idempotencyKey: request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value, now: now)
        let outcome = try await client.enqueue(parsed.request(declarations[parsed.name], origin: "api"), now: now)
        let location = "/api/v1/jobs/\(outcome.job.id)"
        return .json(JobJSON.object(outcome.job), status: outcome.created ? .accepted : .ok, headers: [.location: location])
    }

    func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = JobFilter()
        if let status = query["status"].map(String.init) {
            guard let value = JobStatus(rawValue: status) else {
                throw Problem.invalid("status", "unknown status '\(status)'; one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.status = value
        }
        filter.queue = query["queue"].map(String.init)
        filter.batch = query["batch"].map(String.init)
        if let limit = query["limit"].map(String.init) {
            do {
                filter.limit = try CheckedInteger.integer(limit, field: "limit", in: 1...JobLimits.maximumListing)
            } catch {
                throw Problem.invalid("limit", "\(error)")
            }
        }
        return .json(.array(try await client.backend.jobs(matching: filter).map(JobJSON.object)))
    }

    func show(_ id: String) async throws -> Response {
        let id = try JobID(id)
        guard let job = try await client.backend.job(id) else { throw TockError.jobNotFound(id) }
        return .json(JobJSON.object(job))
    }

    func delete(_ id: String) async throws -> Response {
        let id = try JobID(id)
        guard try await client.backend.delete(id) else { throw TockError.jobNotFound(id) }
        return Response(status: .noContent)
    }

    /// `cancel`, `stop`, `requeue`: 200 with the job after it; 409 when its state forbids it.
    func act(_ action: String, on id: String) async throws -> Response {
        let id = try JobID(id)
        let now = Date()
        let job: Job
        switch action {
        case "cancel": job = try await client.backend.cancel(id, now: now, failureTTL: client.configuration.failureTTL)
        case "stop": job = try await client.backend.requestStop(id, now: now)
        default: job = try await client.backend.requeue(id, now: now)
        }
        return .json(JobJSON.object(job))
    }

    // MARK: - Events and the scheduler

    func event(_ name: String) throws -> ScheduledEvent {
        guard let event = schedule.event(named: name) else {
            throw Problem(status: .notFound, title: "No such event", detail: "no event named '\(name)' in the schedule files")
        }
        return event
    }

    func eventJSON(_ event: ScheduledEvent) async throws -> JSONValue {
        let state = try await client.backend.eventStates()[event.name]
        let lastJob = try await state?.lastJob.asyncMap { try await client.backend.job($0) } ?? nil
        return EventJSON.object(event, state: state, lastJob: lastJob, now: Date())
    }

    func events() async throws -> Response {
        let states = try await client.backend.eventStates()
        let now = Date()
        var objects: [JSONValue] = []
        for event in schedule.events {
            let state = states[event.name]
            let lastJob = try await state?.lastJob.asyncMap { try await client.backend.job($0) } ?? nil
            objects.append(EventJSON.object(event, state: state, lastJob: lastJob, now: now))
        }
        return .json(.array(objects))
    }

    /// `tock events run`: the event's job now, outside its schedule; 202 and `Location`.
    func run(_ event: ScheduledEvent) async throws -> Response {
        let outcome = try await client.enqueue(EnqueueRequest(event, declarations: declarations, origin: "manual:\(event.name)"))
        return .json(JobJSON.object(outcome.job), status: .accepted, headers: [.location: "/api/v1/jobs/\(outcome.job.id)"])
    }

    func scheduler() async throws -> Response {
        let lease = try await client.backend.lease()
        let paused = try await client.backend.isPaused()
        return .json(EventJSON.scheduler(lease: lease, paused: paused, schedule: schedule, now: Date()))
    }
}
