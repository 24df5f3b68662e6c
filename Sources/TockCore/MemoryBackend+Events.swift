extension MemoryBackend {
    public func newestEventCursor() -> Int64 {
        eventLog.last?.cursor ?? 0
    }
}
