import Foundation
import TockCore
import TockValues

/// The dashboard's pages, rendered from what the backend holds at request time. The
/// script (`dashboard.js`) then keeps them current from the event stream.
enum DashboardPages {
    typealias H = DashboardHTML

    /// The jobs list's filter, from the page's query.
    struct JobsFilter: Sendable {
        var status: JobStatus?
        var queue: String?
        var batch: String?

        var backendFilter: JobFilter { JobFilter(status: status, queue: queue, batch: batch, limit: 100) }
    }

    // MARK: Overview

    static func overview(
        queues: [QueueOverview], workers: [WorkerOverview], leader: String?, schedulerPaused: Bool, events: Int,
        failures: [Job], now: Date
    ) -> String {
        let busy = workers.filter { $0.record.state == .busy && !$0.isDead(at: now) }.count
        let dead = workers.filter { $0.isDead(at: now) }.count
        let idle = workers.count - busy - dead
        let leaderText = leader.map { "<span class=\"mono\">\(H.escape($0))</span>" } ?? "<span class=\"warn\">none</span>"
        let body = """
            <section aria-labelledby="queues-heading">
            <h2 id="queues-heading">Queues</h2>
            \(queueTable(queues, now: now, actions: false))
            </section>
            <div class="cards">
            <section class="card" aria-labelledby="workers-heading">
            <h2 id="workers-heading"><a href="/workers">Workers</a></h2>
            <p class="figures"><span><b data-count="busy">\(busy)</b> busy</span> <span><b data-count="idle">\(idle)</b> idle</span> <span><b data-count="dead">\(dead)</b> dead</span></p>
            </section>
            <section class="card" aria-labelledby="scheduler-heading">
            <h2 id="scheduler-heading">Scheduler</h2>
            <p>Leader: <span data-field="leader">\(leaderText)</span></p>
            <p>State: <span data-field="scheduler-state">\(schedulerPaused ? "<span class=\"warn\">paused</span>" : "running")</span> · \(events) events</p>
            </section>
            </div>
            <section aria-labelledby="failures-heading">
            <h2 id="failures-heading">Recent failures</h2>
            \(jobTable(failures, id: "failures", empty: "No failed jobs."))
            <p><a href="/jobs?status=failed">All failed jobs</a></p>
            </section>
            """
        return H.page(title: "Overview", section: .overview, page: "overview", body: body)
    }

    static func queueTable(_ queues: [QueueOverview], now: Date, actions: Bool) -> String {
        let statuses = JobStatus.allCases
        let header = statuses.map { "<th scope=\"col\" class=\"num\">\($0.rawValue)</th>" }.joined()
        let rows = queues.map { queue in
            let name = H.escape(queue.name)
            let counts = statuses.map { status in
                let count = queue.counts[status] ?? 0
                return
                    "<td class=\"num\"><a href=\"/jobs?queue=\(H.component(queue.name))&amp;status=\(status.rawValue)\" data-count=\"\(status.rawValue)\">\(count)</a></td>"
            }.joined()
            let paused = queue.paused ? "<span class=\"warn\">paused</span>" : "active"
            let button =
                actions
                ? "<td><button type=\"button\" data-queue-action=\"\(queue.paused ? "resume" : "pause")\" data-queue=\"\(name)\">\(queue.paused ? "Resume" : "Pause")</button></td>"
                : ""
            return """
                <tr data-queue="\(name)"><th scope="row"><a href="/jobs?queue=\(H.component(queue.name))">\(name)</a></th>\(counts)<td class="num" data-field="latency">\(H.seconds(queue.latency(at: now)))</td><td data-field="paused">\(paused)</td>\(button)</tr>
                """
        }.joined(separator: "\n")
        let actionHeader = actions ? "<th scope=\"col\">Action</th>" : ""
        return """
            <div class="scroll"><table id="queues" data-actions="\(actions)">
            <thead><tr><th scope="col">Queue</th>\(header)<th scope="col" class="num">latency</th><th scope="col">state</th>\(actionHeader)</tr></thead>
            <tbody>
            \(rows.isEmpty ? "<tr><td colspan=\"\(statuses.count + 3)\" class=\"none\">No queues.</td></tr>" : rows)
            </tbody>
            </table></div>
            """
    }

    // MARK: Jobs

    static func jobs(_ jobs: [Job], filter: JobsFilter, queueNames: [String]) -> String {
        func option(_ value: String, _ label: String, selected: Bool) -> String {
            "<option value=\"\(H.escape(value))\"\(selected ? " selected" : "")>\(H.escape(label))</option>"
        }
        let statusOptions =
            option("", "any", selected: filter.status == nil)
            + JobStatus.allCases.map { option($0.rawValue, $0.rawValue, selected: filter.status == $0) }.joined()
        var names = queueNames
        if let queue = filter.queue, !names.contains(queue) { names.append(queue) }
        let queueOptions =
            option("", "any", selected: filter.queue == nil) + names.map { option($0, $0, selected: filter.queue == $0) }.joined()
        let batchField =
            filter.batch.map { "<input type=\"hidden\" name=\"batch\" value=\"\(H.escape($0))\"><span>batch <span class=\"mono\">\(H.escape($0))</span></span>" }
            ?? ""
        let body = """
            <form class="filters" method="get" action="/jobs">
            <label>Status <select name="status">\(statusOptions)</select></label>
            <label>Queue <select name="queue">\(queueOptions)</select></label>
            \(batchField)
            <button type="submit">Filter</button>
            <a href="/jobs">Clear</a>
            </form>
            <p class="hint">Newest first; the latest 100 that match. New jobs appear as they are enqueued.</p>
            \(jobTable(jobs, id: "jobs", empty: "No jobs match."))
            """
        var attributes = ""
        if let status = filter.status { attributes += " data-filter-status=\"\(status.rawValue)\"" }
        if let queue = filter.queue { attributes += " data-filter-queue=\"\(H.escape(queue))\"" }
        if let batch = filter.batch { attributes += " data-filter-batch=\"\(H.escape(batch))\"" }
        return H.page(title: "Jobs", section: .jobs, page: "jobs", attributes: attributes, body: body)
    }

    /// Jobs as rows; the script builds the same cells for jobs that appear live.
    static func jobTable(_ jobs: [Job], id: String, empty: String) -> String {
        let rows = jobs.map(jobRow).joined(separator: "\n")
        return """
            <div class="scroll"><table id="\(id)" class="jobs">
            <thead><tr><th scope="col">ID</th><th scope="col">Name</th><th scope="col">Queue</th><th scope="col">Status</th><th scope="col">Enqueued</th><th scope="col" class="num">Took</th><th scope="col">Error</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table></div>
            <p class="none empty"\(jobs.isEmpty ? "" : " hidden")>\(H.escape(empty))</p>
            """
    }

    static func jobRow(_ job: Job) -> String {
        """
        <tr data-job="\(H.escape(job.id.rawValue))"><td>\(H.jobLink(job.id))</td><td data-field="name">\(H.escape(job.name))</td><td data-field="queue">\(H.escape(job.queue))</td><td>\(H.status(job.status))</td><td data-field="enqueued_at">\(H.time(job.enqueuedAt))</td><td class="num" data-field="duration">\(H.seconds(job.duration))</td><td class="error" data-field="error">\(H.escape(H.firstLine(job.error)))</td></tr>
        """
    }

    // MARK: Job detail

    static func job(_ job: Job) -> String {
        let pickup = job.startedAt.flatMap { started in job.enqueuedAt.map { started.timeIntervalSince($0) } }
        let percent = job.progress?.percent ?? (job.status == .finished ? 100 : 0)
        let batch = job.batch.map { "<a href=\"/jobs?batch=\(H.component($0))\" class=\"mono\">\(H.escape($0))</a>" } ?? "—"
        let worker = job.worker.map { "<span class=\"mono\">\(H.escape($0))</span>" } ?? "—"
        let buttons = ["cancel", "stop", "requeue", "delete"].map { action in
            let hidden = DashboardPages.allows(action, job.status) ? "" : " hidden"
            let danger = action == "delete" ? " class=\"danger\"" : ""
            return "<button type=\"button\" data-action=\"\(action)\"\(danger)\(hidden)>\(action.prefix(1).uppercased() + action.dropFirst())</button>"
        }.joined(separator: " ")
        let body = """
            <div class="actions" role="group" aria-label="Actions">\(buttons)</div>
            <p id="action-result" class="notice" role="alert" hidden></p>
            <section aria-labelledby="progress-heading">
            <h2 id="progress-heading">Progress</h2>
            <progress id="progress" max="100" value="\(Int(percent.rounded()))" aria-describedby="progress-message">\(Int(percent.rounded()))%</progress>
            <span id="progress-percent">\(Int(percent.rounded()))%</span> <span id="progress-message">\(H.escape(job.progress?.message ?? ""))</span>
            </section>
            <dl class="fields">
            <dt>ID</dt><dd class="mono">\(H.escape(job.id.rawValue))</dd>
            <dt>Name</dt><dd data-field="name">\(H.escape(job.name))</dd>
            <dt>Queue</dt><dd><a href="/jobs?queue=\(H.component(job.queue))">\(H.escape(job.queue))</a></dd>
            <dt>Status</dt><dd>\(H.status(job.status))</dd>
            <dt>Origin</dt><dd data-field="origin">\(H.escape(job.origin))</dd>
            <dt>Batch</dt><dd>\(batch)</dd>
            <dt>Worker</dt><dd data-field="worker">\(worker)</dd>
            <dt>Created</dt><dd>\(H.time(job.createdAt))</dd>
            <dt>Enqueued</dt><dd data-field="enqueued_at">\(H.time(job.enqueuedAt))</dd>
            <dt>Started</dt><dd data-field="started_at">\(H.time(job.startedAt))</dd>
            <dt>Ended</dt><dd data-field="ended_at">\(H.time(job.endedAt))</dd>
            <dt>Pickup latency</dt><dd data-field="pickup">\(H.seconds(pickup))</dd>
            <dt>Duration</dt><dd data-field="duration">\(H.seconds(job.duration))</dd>
            <dt>Timeout</dt><dd>\(job.timeout > 0 ? "\(job.timeout) s" : "none")</dd>
            <dt>Retries left</dt><dd data-field="retries_left">\(job.retriesLeft)</dd>
            </dl>
            <section aria-labelledby="error-heading" id="error-section"\(job.error == nil ? " hidden" : "")>
            <h2 id="error-heading">Error</h2>
            <pre class="error" data-field="error">\(H.escape(job.error ?? ""))</pre>
            </section>
            <section aria-labelledby="result-heading">
            <h2 id="result-heading">Result</h2>
            <pre data-field="result">\(job.result.map(H.prettyJSON) ?? "null")</pre>
            </section>
            <section aria-labelledby="args-heading">
            <h2 id="args-heading">Arguments</h2>
            <h3>args</h3>
            <pre>\(H.prettyJSON(.array(job.args)))</pre>
            <h3>kwargs</h3>
            <pre>\(H.prettyJSON(.object(job.kwargs)))</pre>
            </section>
            """
        return H.page(
            title: "Job \(job.name)", section: .jobs, page: "job", attributes: " data-job=\"\(H.escape(job.id.rawValue))\"", body: body)
    }

    /// Which actions the job's state allows (as ``TockCore/Job``'s lifecycle checks them).
    static func allows(_ action: String, _ status: JobStatus) -> Bool {
        switch action {
        case "cancel": status.isWaiting
        case "stop": status == .started
        case "requeue": status.isTerminal
        default: status != .started
        }
    }

    // MARK: Workers and queues

    static func workers(_ workers: [WorkerOverview], now: Date) -> String {
        let body = """
            \(workerTable(workers, now: now))
            """
        return H.page(title: "Workers", section: .workers, page: "workers", body: body)
    }

    static func workerTable(_ workers: [WorkerOverview], now: Date) -> String {
        let rows = workers.map { overview in
            let worker = overview.record
            let dead = overview.isDead(at: now)
            let state = dead ? "<span class=\"status status-failed\">dead</span>" : H.escape(worker.state.rawValue)
            let current = worker.currentJob.map(H.jobLink) ?? "—"
            let elapsed = overview.currentJobStartedAt.map { H.seconds(max(0, now.timeIntervalSince($0))) } ?? "—"
            let utilization = (worker.utilization(at: now) * 10).rounded() / 10
            return """
                <tr><th scope="row" class="mono">\(H.escape(worker.name))</th><td>\(H.escape(worker.hostname))</td><td class="num">\(worker.pid)</td><td>\(H.escape(worker.queues.joined(separator: ", ")))</td><td>\(state)</td><td>\(current)</td><td class="num">\(elapsed)</td><td><meter min="0" max="100" value="\(utilization)">\(utilization)%</meter> \(utilization)%</td><td class="num">\(worker.successfulJobCount)</td><td class="num">\(worker.failedJobCount)</td><td class="num">\(H.seconds(overview.heartbeatAge(at: now)))</td></tr>
                """
        }.joined(separator: "\n")
        return """
            <div class="scroll"><table id="workers">
            <thead><tr><th scope="col">Name</th><th scope="col">Host</th><th scope="col" class="num">PID</th><th scope="col">Queues</th><th scope="col">State</th><th scope="col">Current job</th><th scope="col" class="num">Elapsed</th><th scope="col">Utilization</th><th scope="col" class="num">OK</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Heartbeat</th></tr></thead>
            <tbody>
            \(rows.isEmpty ? "<tr><td colspan=\"11\" class=\"none\">No workers.</td></tr>" : rows)
            </tbody>
            </table></div>
            """
    }

    static func queues(_ queues: [QueueOverview], now: Date) -> String {
        let body = """
            <p id="action-result" class="notice" role="alert" hidden></p>
            \(queueTable(queues, now: now, actions: true))
            <p class="hint">A paused queue keeps its jobs; workers claim none from it until it is resumed.</p>
            """
        return H.page(title: "Queues", section: .queues, page: "queues", body: body)
    }

    static func notFound(_ what: String) -> String {
        H.page(title: "Not found", section: .jobs, page: "missing", body: "<p>\(H.escape(what))</p><p><a href=\"/jobs\">All jobs</a></p>")
    }
}
