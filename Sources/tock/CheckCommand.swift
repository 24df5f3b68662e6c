import ArgumentParser

/// `tock check`: validates schedule files and prints every problem.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check schedule files; print every problem in every file.",
        discussion: "Exits 0 when there are no errors (warnings allowed), 1 when there are, 2 on usage errors."
    )

    @Argument(help: "Schedule files or directories (default: schedules/).")
    var paths: [String] = []

    func run() async throws {
        throw ValidationError("arrives shortly")
    }
}
