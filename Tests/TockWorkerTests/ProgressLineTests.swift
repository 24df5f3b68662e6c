import Testing
import TockCore

@testable import TockWorker

@Suite struct ProgressLineTests {
    @Test(arguments: [
        ("42 importing invoices", JobProgress(percent: 42, message: "importing invoices")),
        ("  7.5%   halfway there  ", JobProgress(percent: 7.5, message: "halfway there")),
        ("100", JobProgress(percent: 100)),
        ("250 too much", JobProgress(percent: 100, message: "too much")),
    ])
    func parsesLines(_ line: String, _ expected: JobProgress) {
        #expect(ProgressLine.parse(line[...]) == expected)
    }

    @Test(arguments: ["importing", "", "nan what", "4 2x"])
    func refusesLinesWithoutALeadingNumber(_ line: String) {
        if line == "4 2x" {
            #expect(ProgressLine.parse(line[...]) == JobProgress(percent: 4, message: "2x"))
        } else {
            #expect(ProgressLine.parse(line[...]) == nil)
        }
    }

    @Test func splitterHandlesChunksCRLFAndALastLineWithoutNewline() {
        var splitter = ProgressLineSplitter()
        #expect(splitter.feed(Array("1 a\r\n2".utf8)) == [JobProgress(percent: 1, message: "a")])
        #expect(splitter.feed(Array("0 b\nnoise\n\n".utf8)) == [JobProgress(percent: 20, message: "b")])
        #expect(splitter.feed(Array("99 last".utf8)) == [])
        #expect(splitter.finish() == [JobProgress(percent: 99, message: "last")])
        #expect(splitter.rejected == 1)
    }

    @Test func outputTailKeepsTheLastBytes() {
        var tail = OutputTail(limit: 4)
        tail.append(Array("abc".utf8))
        #expect(tail.text == "abc")
        #expect(!tail.truncated)
        tail.append(Array("defghij".utf8))
        tail.append(Array("k".utf8))
        #expect(tail.text == "hijk")
        #expect(tail.truncated)
    }
}
