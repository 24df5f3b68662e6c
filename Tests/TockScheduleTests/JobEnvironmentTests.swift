import Testing
import TockSchedule

/// `environment:` of a job: what its command gets on top of the worker's minimal base.
@Suite struct JobEnvironmentTests {
    @Test func variablesAreReadAsText() throws {
        let (result, _) = try load("""
            jobs:
              app.sync:
                command: ["/bin/true"]
                environment: {INVOICE_DIR: /srv/invoices, RETRIES: 3, EMPTY: "", _private: x}
            """)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.schedules.jobs["app.sync"]?.environment == ["INVOICE_DIR": "/srv/invoices", "RETRIES": "3", "EMPTY": "", "_private": "x"])
    }

    @Test(arguments: [
        ("TOCK_BACKEND: x", "4:19", "environment variable 'TOCK_BACKEND': names starting with TOCK_ are set by the worker"),
        ("1ST: x", "4:19", "environment variable name '1ST' may use only letters, digits and '_', and not start with a digit"),
        ("A-B: x", "4:19", "environment variable name 'A-B' may use only letters, digits and '_', and not start with a digit"),
        ("A: [1, 2]", "4:22", "environment variable 'A' must be a string, found a list"),
    ])
    func badVariablesAreErrorsAtTheirPlace(entry: String, position: String, message: String) throws {
        let (result, _) = try load("jobs:\n  app.sync:\n    command: [\"/bin/true\"]\n    environment: {\(entry)}\n")
        let problem = try onlyProblem(result)
        #expect(problem.position == position)
        #expect(problem.message == message)
    }
}
