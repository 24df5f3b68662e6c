/// Runs `body` to its end even when the calling task is cancelled, and waits for it.
///
/// For the writes that must happen *because* of a cancellation — recording that a job was
/// interrupted, unregistering the worker in a cold shutdown — on backends that refuse to
/// start work in a cancelled task (GRDB throws `CancellationError`). The task is awaited
/// at once, so it does not outlive the caller (as swift-subprocess's `withUncancelledTask`).
func uncancelled<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
    await Task { await body() }.value
}
