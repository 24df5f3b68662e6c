import Testing
import TockCore

/// The two functions every printed or logged text from a job or a URL goes through.
@Suite struct TextSafetyTests {
    @Test(arguments: [
        ("redis://app:s3cret@cache:6379/0", "redis://app:***@cache:6379/0"),
        ("redis://:s3cret@cache", "redis://:***@cache"),
        ("redis://s3cret@cache", "redis://***@cache"),
        ("redis://app:p@ss/w:rd@cache:notaport/0", "redis://app:***@cache:notaport/0"),
        ("--backend=redis://app:s3cret@cache", "--backend=redis://app:***@cache"),
        ("unix:///run/redis.sock?db=2&password=s3cret&user=app", "unix:///run/redis.sock?db=2&password=***&user=app"),
        ("redis://cache:6379/0", "redis://cache:6379/0"),
        ("sqlite:./tock.db", "sqlite:./tock.db"),
    ])
    func urlsLoseTheirPassword(url: String, redacted: String) {
        #expect(SecretRedaction.url(url) == redacted)
    }

    @Test func controlCharactersBecomeVisibleEscapes() {
        #expect(TerminalText.escaped("a\u{1b}[2Jb\nc\rd\te\u{7}f\u{7f}g\u{9b}h\u{202e}i") == #"a\e[2Jb\nc\rd\te\x07f\x7fg\u{9b}h\u{202e}i"#)
        #expect(TerminalText.escaped("plain text, ünïcödé, back\\slash") == "plain text, ünïcödé, back\\slash")
    }

    @Test func cellsAreCutWithAnEllipsis() {
        #expect(TerminalText.cell("abcdef", limit: 6) == "abcdef")
        #expect(TerminalText.cell("abcdefg", limit: 6) == "abcde…")
        #expect(TerminalText.cell("\n\n\n\n", limit: 6) == #"\n\n\…"#)
    }
}
