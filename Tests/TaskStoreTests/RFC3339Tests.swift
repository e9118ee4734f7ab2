import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// Expected values computed with Python's datetime, and problems worded by Pydantic 2.14.4 (the
/// old service's), not by hand.
@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-12-01T10:00:00+02:00", Int64(1_796_112_000_000), "2026-12-01T08:00:00.000Z"),
        ("2024-02-29T23:59:59.9999-00:30", 1_709_252_999_999, "2024-03-01T00:29:59.999Z"),
        ("1969-12-31T23:59:59.5Z", -500, "1969-12-31T23:59:59.500Z"),
        ("2000-02-29T12:00:00Z", 951_825_600_000, "2000-02-29T12:00:00.000Z"),
        ("2026-12-01T10:00:00,5Z", 1_796_119_200_500, "2026-12-01T10:00:00.500Z"),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        ("9999-12-31T23:59:59.999+14:00", 253_402_250_399_999, "9999-12-31T09:59:59.999Z"),
        ("2026-12-01t10:00:00+0530", 1_796_099_400_000, "2026-12-01T04:30:00.000Z"),
        ("2026-12-01 10:00:00z", 1_796_119_200_000, "2026-12-01T10:00:00.000Z"),
    ])
    func parsesAnyOffsetAndFormatsUTCMilliseconds(input: String, milliseconds: Int64, formatted: String) throws {
        let timestamp = try RFC3339.parse(input)
        #expect(timestamp.milliseconds == milliseconds)
        #expect(RFC3339.format(timestamp) == formatted)
    }

    @Test func refusesWhatIsNotAnAwareDateTime() {
        #expect(throws: RFC3339.ParseError.missingOffset) { try RFC3339.parse("2026-12-01T10:00:00") }
        #expect(throws: RFC3339.ParseError.missingOffset) { try RFC3339.parse("2026-12-01") }
        #expect(throws: RFC3339.ParseError.missingOffset) { try RFC3339.parse("0000-01-01T00:00:00") }
    }

    /// Each problem in the words of the service we replace (recorded from its answers): the
    /// date's own problem, or, once the date reads well, "extra characters".
    @Test(arguments: [
        ("x", "input is too short"), ("", "input is too short"),
        ("20a6-12-01T00:00:00Z", "invalid character in year"), ("2026-1a-01T00:00:00Z", "invalid character in month"),
        ("2026-12-0aT00:00:00Z", "invalid character in day"), ("2026/12/01T00:00:00Z", "invalid date separator, expected `-`"),
        ("2026-13-01T00:00:00Z", "month value is outside expected range of 1-12"), ("2026-02-30T00:00:00Z", "day value is outside expected range"),
        ("2026-00-10T00:00:00Z", "month value is outside expected range of 1-12"), ("2026-11-00T00:00:00Z", "day value is outside expected range"),
        ("2026-04-31T00:00:00Z", "day value is outside expected range"), ("2026-06-31T00:00:00Z", "day value is outside expected range"),
        ("2026-09-31T00:00:00Z", "day value is outside expected range"), ("2026-11-31T00:00:00Z", "day value is outside expected range"),
        ("2026-12-01T00:00:00+23:60", "unexpected extra characters at the end of the input"),
        ("1900-02-29T00:00:00Z", "day value is outside expected range"), ("2023-02-29T00:00:00Z", "day value is outside expected range"),
        ("2026-12-01T00Z", "unexpected extra characters at the end of the input"),
        ("2026-12-01T24:00:00Z", "unexpected extra characters at the end of the input"),
        ("2026-12-01T23:59:60Z", "unexpected extra characters at the end of the input"),
        ("2026-12-01T00:00:00+24:00", "unexpected extra characters at the end of the input"),
        ("2026-12-01T00:00:00+05", "unexpected extra characters at the end of the input"),
        ("2026-12-01T00:00:00.Z", "unexpected extra characters at the end of the input"),
        ("2026-12-01T00:00:00,Z", "unexpected extra characters at the end of the input"),
        ("2026-12-01X00:00:00Z", "unexpected extra characters at the end of the input"),
        ("2026-12-01T10:00:00Zjunk", "unexpected extra characters at the end of the input"),
    ])
    func wordsEachProblemAsPydanticDoes(input: String, problem: String) {
        #expect(throws: RFC3339.ParseError.invalid(problem)) { try RFC3339.parse(input) }
    }

    /// What Python's `datetime` cannot hold, in UTC too, is refused rather than stored and
    /// written back with a wrapped year (9999-12-31T23:59:59-01:00 came back as year 0000).
    @Test func refusesInstantsOutsideYearsOneToNineThousandNineHundredNinetyNine() throws {
        #expect(throws: RFC3339.ParseError.outOfRange("year 0 is out of range")) { try RFC3339.parse("0000-01-01T00:00:00Z") }
        #expect(throws: RFC3339.ParseError.outOfRange(nil)) { try RFC3339.parse("9999-12-31T23:59:59-01:00") }
        #expect(throws: RFC3339.ParseError.outOfRange(nil)) { try RFC3339.parse("0001-01-01T00:00:00+01:00") }
        #expect(try RFC3339.parse("9999-12-31T23:59:59.999Z") == RFC3339.latest)
        #expect(try RFC3339.parse("0001-01-01T00:00:00Z") == RFC3339.earliest)
    }

    /// The clock's time is cut to its millisecond, never rounded up to one not yet reached
    /// (before 1970 too: down, not toward zero).
    @Test func aDateIsCutToItsMillisecond() {
        #expect(Timestamp(Date(timeIntervalSince1970: 1.0009)).milliseconds == 1000)
        #expect(Timestamp(Date(timeIntervalSince1970: -0.0001)).milliseconds == -1)
    }
}
