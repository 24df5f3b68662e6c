import ArgumentParser
import Foundation
import TockBackends
import TockConfiguration
import TockCore

/// `--config` and `--backend`, which every command that touches jobs takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (YAML or JSON; default: $TOCK_CONFIG, else ./tock.yaml if present).", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Backend URL: sqlite:PATH, redis://[user:password@]host:port/db (RQ layout; ?prefix=NAME: for another key prefix), unix:///path?db=N or memory: (default from the configuration: sqlite:./tock.db).", valueName: "URL"))
    var backend: String?

    /// The configuration: file, then `TOCK_*` variables, then these flags.
    func configuration() throws -> Configuration {
        var configuration = try ConfigurationLoader(path: config).load()
        if let backend { configuration.backend = backend }
        return configuration
    }

    /// The configuration and its backend, opened.
    func client() throws -> JobClient {
        let configuration = try configuration()
        return JobClient(backend: try BackendOpener.open(configuration), configuration: configuration)
    }
}
