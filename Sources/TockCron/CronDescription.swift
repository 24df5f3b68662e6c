extension CronExpression {
    /// A one-line English description: `every 15 minutes`, `at 02:30 every day`.
    public var summary: String { "TODO" }
}
