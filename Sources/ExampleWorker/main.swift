// An application's own worker: Tock embedded as a library, with a Swift handler
// registered in code. Build and run it next to `tock`:
//
//     swift run example-worker --backend sqlite:./tock.db --queue short,default
//     swift run example-worker --backend redis://127.0.0.1:6379/0   (jobs Python RQ enqueued, too)
//     tock enqueue cabs_app.api.takes_a_long_time --queue short --kwargs '{"invoices": 20}' --wait
//
// It takes the same configuration as `tock worker` (tock.yaml, TOCK_* variables).
import Foundation
import Logging
import ServiceLifecycle
import TockConfiguration
import TockCore
import TockBackends
import TockValues
import TockWorker

let registry: HandlerRegistry = {
    var registry = HandlerRegistry()
    // "Post 10,000 invoices": too long for a web request, so it runs here, reporting progress.
    registry.register("cabs_app.api.takes_a_long_time") { context in
        let count: Int
        do {
            count = try context.kwargs["invoices"]?.integer(field: "kwargs.invoices", in: 1...100_000) ?? 10
        } catch {
            throw JobFailure("\(error)", retryable: false)
        }
        for invoice in 1...count {
            try Task.checkCancellation()  // a timeout or `tock jobs stop` cancels the handler
            try await Task.sleep(for: .milliseconds(50))
            try await context.reportProgress(Double(invoice) / Double(count) * 100, "posted invoice \(invoice) of \(count)")
        }
        return ["posted": .number(Double(count))]
    }
    return registry
}()

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

let logger = Logger(label: "example-worker")
do {
    var configuration = try ConfigurationLoader(path: option("--config")).load()
    if let backend = option("--backend") { configuration.backend = backend }
    let backend = try BackendOpener.open(configuration)
    let queues = option("--queue")?.split(separator: ",").map(String.init) ?? ["short", "default"]
    let worker = Worker(
        backend: backend, configuration: configuration, queues: queues, registry: registry, logger: logger)
    let group = ServiceGroup(services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    try await group.run()
} catch {
    FileHandle.standardError.write(Data("example-worker: error: \(error)\n".utf8))
    exit(1)
}
