import Foundation
import Hummingbird
import Logging
import NIOCore
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
    public var schedule: ScheduleSet { loaded.current.schedule }
    var declarations: [String: JobDeclaration] { loaded.current.declarations }
    /// The schedule files as last read: at start, then at each ``reload(_:)`` (SIGHUP).
    let loaded: LoadedSchedule
    /// The process's one reader of the event log, for the streams.
    public let hub: EventHub
    /// Tokens and their scopes (none: open, on loopback only).
    public let access: AccessControl
    /// The largest request body read, in bytes (`api.max_body_bytes`).
    public var maximumBodySize: Int
    /// What accumulates over the process's life (HTTP metrics, job timings), appended to
    /// `/metrics` after the backend's figures.
    public var processMetrics = ProcessMetrics()
    /// Open event streams per token (`api.max_streams_per_client`).
    let streams: StreamGate

    public init(client: JobClient, schedule: ScheduleSet, hub: EventHub) {
        self.client = client
        self.loaded = LoadedSchedule(schedule)
        self.hub = hub
        self.access = AccessControl(tokens: client.configuration.api.tokens)
        self.maximumBodySize = client.configuration.api.maxBodyBytes
        self.streams = StreamGate(limit: client.configuration.api.maxStreamsPerClient)
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
        // Outermost first: HTTP metrics see every answer; errors become problem+json; CORS
        // answers preflights before authentication (browsers send none with them).
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        let origins = client.configuration.api.corsOrigins
        if !origins.isEmpty {
            router.add(middleware: AllowedOriginsMiddleware(origins: Set(origins)))
        }
        router.add(middleware: AccessMiddleware(access: access))
        addAccessRoutes(to: router)
        router.get("/healthz") { _, _ in Response.json(["status": "ok"]) }
        router.get("/metrics") { _, _ in try await self.answer { try await self.metrics() } }
        router.get("/readyz") { _, _ in try await self.answer { try await self.ready() } }
        let jobs = router.group("/api/v1/jobs")
        jobs.post { request, _ in try await self.answer { try await self.enqueue(request) } }
        jobs.get("{id}") { _, context in try await self.answer { try await self.show(context.parameters.require("id")) } }
        addRealtimeRoutes(to: router)
        jobs.delete("{id}") { _, context in try await self.answer { try await self.delete(context.parameters.require("id")) } }
        for action in ["cancel", "stop", "requeue"] {
            jobs.post("{id}/\(action)") { _, context in
                try await self.answer { try await self.act(action, on: context.parameters.require("id")) }
            }
        }
        addQueueRoutes(to: router)
        addJobListRoutes(to: router)
        router.get("/api/v1/workers") { _, _ in
            try await self.answer {
                let now = Date()
                return .json(.array(try await self.client.workerOverviews().map { JobJSON.object($0, now: now) }))
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
        addBatchRoutes(to: router)
        addDashboardRoutes(to: router)
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

    /// Serves `schedule` from now on (SIGHUP re-read the schedule files); requests in
    /// flight finish with the one they started with.
    public func reload(_ schedule: ScheduleSet) {
        loaded.replace(with: schedule)
    }

    /// Runs a route, turning what it throws into a problem answer.
    func answer(_ route: () async throws -> Response) async throws -> Response {
        do {
            return try await route()
        } catch let problem as Problem {
            return problem.response
        } catch let error as TockError {
            return Problem(error).response
        } catch is NIOTooManyBytesError {
            return Problem(
                status: .contentTooLarge, title: "Body too large",
                detail: "the request body is over \(maximumBodySize) bytes (api.max_body_bytes); send a batch as NDJSON to POST /api/v1/batches instead"
            ).response
        } catch let error as HTTPError {
            return Problem(status: error.status, title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase).response
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
        guard let text = String(validating: body.readableBytesView, as: UTF8.self) else {
            throw Problem.invalid("body", "not valid UTF-8; JSON bodies must be UTF-8 (RFC 8259)")
        }
        let parsed = try EnqueueBody(
            text, idempotencyKey: request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value, now: now)
        let outcome = try await client.enqueue(parsed.request(declarations[parsed.name], origin: "api"), now: now)
        let location = "/api/v1/jobs/\(outcome.job.id)"
        return .json(JobJSON.object(outcome.job), status: outcome.created ? .accepted : .ok, headers: [.location: location])
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
