import TaskStoreTestSupport
import Testing
import TaskStore
@testable import TaskAPI

/// Expected values computed with Python's datetime, not by hand.
@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-12-01T10:00:00+02:00", Int64(1_796_112_000_000), "2026-12-01T08:00:00.000Z"),
        ("2024-02-29T23:59:59.9999-00:30", 1_709_252_999_999, "2024-03-01T00:29:59.999Z"),
        ("1969-12-31T23:59:59.5Z", -500, "1969-12-31T23:59:59.500Z"),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        ("9999-12-31T23:59:59.999+14:00", 253_402_250_399_999, "9999-12-31T09:59:59.999Z"),
    ])
    func parsesAnyOffsetAndFormatsUTCMilliseconds(input: String, milliseconds: Int64, formatted: String) throws {
        let timestamp = try RFC3339.parse(input)
        #expect(timestamp.milliseconds == milliseconds)
        #expect(RFC3339.format(timestamp) == formatted)
    }

    @Test func refusesWhatIsNotAnAwareDateTime() {
        #expect(throws: RFC3339.ParseError.missingOffset) { try RFC3339.parse("2026-12-01T10:00:00") }
        #expect(throws: RFC3339.ParseError.missingOffset) { try RFC3339.parse("2026-12-01") }
        for bad in ["2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "tomorrow", "2026-12-01T25:00:00Z", "2026-12-01T10:00:00+0", "2026-12-01T10:00:00Zjunk", ""] {
            #expect(throws: RFC3339.ParseError.self, "\(bad)") { try RFC3339.parse(bad) }
        }
    }
}

@Suite struct Base64URLTests {
    @Test func roundTripsEveryLengthAndMatchesFoundation() {
        var rng = SeededGenerator(seed: 5)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let encoded = Base64URL.encode(bytes)
            let foundation = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(encoded == foundation)
            #expect(Base64URL.decode(encoded) == bytes)
        }
    }

    @Test func refusesWhatIsNotUnpaddedBase64URL() {
        for bad in ["a", "ab=", "a+b/", "ab c", "é", "abcde"] { #expect(Base64URL.decode(bad) == nil, "\(bad)") }
    }
}

import Foundation
