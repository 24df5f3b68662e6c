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
        try Self.configuration(config: config, backend: backend)
    }

    /// The configuration from the file `config` (or the default), `TOCK_*` variables and
    /// a `--backend` flag: what a daemon reads again on SIGHUP.
    static func configuration(config: String?, backend: String?) throws(ConfigurationError) -> Configuration {
        var configuration = try ConfigurationLoader(path: config).load()
        if let backend { configuration.backend = backend }
        return configuration
    }

    /// The configuration and its backend, opened, for a command that runs once and exits.
    ///
    /// - `memory:` is refused: its jobs would be gone when the command exits (it suits
    ///   `tock dev`, tests and Swift code).
    /// - With `reading`, a SQLite file that does not exist is an error instead of a new,
    ///   empty database: `tock jobs` run in another directory than the daemons would
    ///   otherwise show nothing, silently.
    func client(reading: Bool = false) throws -> JobClient {
        let configuration = try configuration()
        if BackendOpener.isMemory(configuration.backend) {
            throw ValidationError(
                "the memory: backend lives inside one process, so a command's jobs are gone when it exits; "
                    + "use sqlite:PATH or redis://… (memory: suits tock dev, tests and Swift code)")
        }
        if reading, let path = BackendOpener.sqlitePath(configuration.backend), !path.isEmpty,
            !FileManager.default.fileExists(atPath: path)
        {
            throw ValidationError(
                "no Tock database at \(path) (backend \(configuration.backend)); run where the scheduler and workers run, "
                    + "or name their database with --backend sqlite:PATH or --config")
        }
        return JobClient(backend: try BackendOpener.open(configuration), configuration: configuration)
    }
}
