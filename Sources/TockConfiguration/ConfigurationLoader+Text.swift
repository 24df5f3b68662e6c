import TockCore

extension ConfigurationLoader {
    /// The configuration `text` (a `tock.yaml`) gives over the defaults, validated as
    /// ``load()`` validates a file; no environment variable is read.
    ///
    /// For the configuration fuzz target and its regression tests.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - source: the name errors give for it.
    @_spi(Fuzzing) public static func configuration(yaml text: String, source: String = "tock.yaml") throws(ConfigurationError) -> Configuration {
        var configuration = Configuration()
        try ConfigurationFile(path: source, text: text).apply(to: &configuration)
        try configuration.validate(source: source)
        return configuration
    }
}
