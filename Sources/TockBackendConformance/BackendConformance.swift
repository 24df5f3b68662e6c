import Foundation
import TockCore
import TockValues

/// The behaviour every backend must have, written once and run against each (memory,
/// SQLite, Redis, …) by that backend's tests:
///
/// ```swift
/// @Test(arguments: BackendConformance.checkNames)
/// func conformance(_ name: String) async throws {
///     try await BackendConformance.run(name) { try SQLiteBackend(path: temporaryFile()) }
/// }
/// ```
///
/// Each check gets a fresh backend. A failed check throws ``ConformanceFailure`` saying
/// what was expected and what the backend did.
public enum BackendConformance {
    typealias Check = @Sendable (any TockBackend) async throws -> Void

    static let checks: [(String, Check)] = [
        ("enqueueStoresTheJobAndLogsAnEvent", EnqueueChecks.enqueueStoresTheJobAndLogsAnEvent),
        ("enqueueIsIdempotentById", EnqueueChecks.enqueueIsIdempotentById),
        ("fullQueueRefusesTheWholeBatch", EnqueueChecks.fullQueueRefusesTheWholeBatch),
        ("claimFollowsQueuePriorityThenAge", ClaimChecks.claimFollowsQueuePriorityThenAge),
        ("concurrentClaimsTakeEachJobOnce", ClaimChecks.concurrentClaimsTakeEachJobOnce),
        ("completeOnlyByTheClaimingWorker", ClaimChecks.completeOnlyByTheClaimingWorker),
        ("aLateEndOfAnEarlierClaimIsRefused", ClaimChecks.aLateEndOfAnEarlierClaimIsRefused),
        ("completeThenClaimTakesTheNextJob", ClaimChecks.completeThenClaimTakesTheNextJob),
        ("failedJobsRetryAfterTheirIntervals", RetryChecks.failedJobsRetryAfterTheirIntervals),
        ("delayedJobsBecomeQueuedOnTime", RetryChecks.delayedJobsBecomeQueuedOnTime),
        ("interruptedJobsGoBackToTheirQueue", RetryChecks.interruptedJobsGoBackToTheirQueue),
        ("abandonedJobsAreRetriedOrFailed", WorkerChecks.abandonedJobsAreRetriedOrFailed),
        ("jobsALiveWorkerNoLongerReportsAreAbandoned", WorkerChecks.jobsALiveWorkerNoLongerReportsAreAbandoned),
        ("heartbeatsKeepJobsAliveAndCarryStopRequests", WorkerChecks.heartbeatsKeepJobsAliveAndCarryStopRequests),
        ("workersAreRegisteredAndRemoved", WorkerChecks.workersAreRegisteredAndRemoved),
        ("operatorActionsFollowTheLifecycle", OperatorChecks.operatorActionsFollowTheLifecycle),
        ("requeueFailedRequeuesEveryFailedJob", OperatorChecks.requeueFailedRequeuesEveryFailedJob),
        ("expiredJobsArePurged", OperatorChecks.expiredJobsArePurged),
        ("listingsFilterAndCount", OperatorChecks.listingsFilterAndCount),
        ("eventsFollowFromACursor", EventChecks.eventsFollowFromACursor),
        ("newestEventCursorIsTheLastLogged", EventChecks.newestEventCursorIsTheLastLogged),
        ("progressIsStoredAndLogged", EventChecks.progressIsStoredAndLogged),
        ("waitForChangeWakesOnEnqueueAndTimesOut", EventChecks.waitForChangeWakesOnEnqueueAndTimesOut),
        ("batchesCountChunksAndCompleteOnce", BatchChecks.batchesCountChunksAndCompleteOnce),
        ("batchWithAFailedChunkFails", BatchChecks.batchWithAFailedChunkFails),
        ("openBatchRunsNothingUntilSealed", StreamedBatchChecks.openBatchRunsNothingUntilSealed),
        ("discardAndFullQueueLeaveNothingRunning", StreamedBatchChecks.discardAndFullQueueLeaveNothingRunning),
        ("leaseIsAcquiredRenewedRefusedAndTakenOver", SchedulerChecks.leaseIsAcquiredRenewedRefusedAndTakenOver),
        ("releaseLetsAnotherTakeOverAtOnce", SchedulerChecks.releaseLetsAnotherTakeOverAtOnce),
        ("recordFireEnqueuesTheJobAndSetsTheState", SchedulerChecks.recordFireEnqueuesTheJobAndSetsTheState),
        ("staleTokenIsFencedAndWritesNothing", SchedulerChecks.staleTokenIsFencedAndWritesNothing),
        ("sameFireTwiceEnqueuesOnce", SchedulerChecks.sameFireTwiceEnqueuesOnce),
        ("skippedFireMovesLastFireWithoutAJob", SchedulerChecks.skippedFireMovesLastFireWithoutAJob),
        ("recordFiresCountsSkipsWithTheirReason", SchedulerChecks.recordFiresCountsSkipsWithTheirReason),
        ("lastFireNeverMovesBackwards", SchedulerChecks.lastFireNeverMovesBackwards),
        ("fireIntoAFullQueueWritesNothing", SchedulerChecks.fireIntoAFullQueueWritesNothing),
        ("enabledOverrideRoundTrips", SchedulerChecks.enabledOverrideRoundTrips),
        ("lastSuccessKeepsTheLatest", SchedulerChecks.lastSuccessKeepsTheLatest),
        ("pauseAndResume", SchedulerChecks.pauseAndResume),
        ("neverFiredEventHasNoState", SchedulerChecks.neverFiredEventHasNoState),
        ("jobsAtTheLimitsReadBack", LimitChecks.jobsAtTheLimitsReadBack),
        ("listingLimitsAtTheEdgesDoNotTrap", LimitChecks.listingLimitsAtTheEdgesDoNotTrap),
        ("randomJobsReadBackEqual", PropertyChecks.randomJobsReadBackEqual),
        ("pausedQueueAcceptsJobsAndIsSkipped", QueuePauseChecks.pausedQueueAcceptsJobsAndIsSkipped),
        ("pausingOneQueueLeavesOthersAlone", QueuePauseChecks.pausingOneQueueLeavesOthersAlone),
        ("resumeWakesWaitingWorkers", QueuePauseChecks.resumeWakesWaitingWorkers),
        ("oldestQueuedAtIsTheHeadOfTheClaimOrder", QueuePauseChecks.oldestQueuedAtIsTheHeadOfTheClaimOrder),
        ("listingsFilterByEveryCriterion", ListingChecks.listingsFilterByEveryCriterion),
        ("cursorPagesCoverEveryJobOnceWhileJobsArrive", ListingChecks.cursorPagesCoverEveryJobOnceWhileJobsArrive),
        ("bulkActionsTouchOnlyMatchingJobs", ListingChecks.bulkActionsTouchOnlyMatchingJobs),
    ]

    /// The names of every check, for parameterized tests.
    public static let checkNames: [String] = checks.map(\.0)

    /// Runs the check `name` against a fresh backend from `makeBackend`.
    public static func run(_ name: String, makeBackend: () async throws -> any TockBackend) async throws {
        guard let check = checks.first(where: { $0.0 == name })?.1 else {
            throw ConformanceFailure("no conformance check named '\(name)'")
        }
        try await check(try await makeBackend())
    }
}

/// A conformance check that did not hold.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String, line: UInt = #line) {
        description = "\(message) (BackendConformance, line \(line))"
    }
}

/// Throws unless `condition` holds.
func expect(_ condition: Bool, _ message: @autoclosure () -> String, line: UInt = #line) throws {
    if !condition { throw ConformanceFailure(message(), line: line) }
}

/// Throws unless `a == b`, naming both.
func expectEqual<T: Equatable>(_ a: T, _ b: T, _ what: String, line: UInt = #line) throws {
    if a != b { throw ConformanceFailure("\(what): got \(a), expected \(b)", line: line) }
}

/// A fixed clock for checks: times are given, never read from the system.
let t0 = Date(timeIntervalSince1970: 1_800_000_000)

/// A queued job as `JobClient` would make it.
func makeJob(
    _ id: String, name: String = "app.tasks.work", queue: String = "default", at time: Date = t0,
    retries: Int = 0, intervals: [Int] = [], scheduledFor: Date? = nil, batch: String? = nil,
    args: [JSONValue] = [], kwargs: [String: JSONValue] = [:]
) -> Job {
    Job(
        id: JobID(unchecked: id), name: name, args: args, kwargs: kwargs, queue: queue, timeout: 300,
        status: scheduledFor == nil ? .queued : .scheduled, createdAt: time, enqueuedAt: scheduledFor == nil ? time : nil,
        retriesLeft: retries, retryIntervals: intervals, batch: batch, origin: "test", scheduledFor: scheduledFor)
}

/// A worker record with a fixed birth.
func makeWorker(_ name: String, heartbeat: Date = t0, queues: [String] = ["default"]) -> WorkerRecord {
    WorkerRecord(name: name, hostname: "test-host", pid: 4242, queues: queues, birth: t0, lastHeartbeat: heartbeat)
}

/// Expects `body` to throw a `TockError` for which `matches` holds.
func expectTockError(_ what: String, line: UInt = #line, _ matches: (TockError) -> Bool, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as TockError {
        try expect(matches(error), "\(what): wrong error \(error)", line: line)
        return
    }
    throw ConformanceFailure("\(what): expected an error, none was thrown", line: line)
}
