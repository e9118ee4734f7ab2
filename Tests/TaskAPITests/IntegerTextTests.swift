import Testing

@testable import TaskAPI

/// Integers in query strings, read as the service we replace read them (each case recorded from
/// its answers to `GET /tasks?offset=...`).
@Suite struct IntegerTextTests {
    @Test func takesWhatPydanticTakes() {
        let cases: [(String, IntegerText)] = [
            ("5", .value(5)), ("+5", .value(5)), ("-0", .value(0)), ("05", .value(5)), (" 5 ", .value(5)), ("\t5", .value(5)), ("5\n", .value(5)),
            ("5\r", .value(5)), ("\u{0B}5\u{0C}", .value(5)), ("\u{A0}5\u{A0}", .value(5)), ("\u{2003}5", .value(5)),
            ("1_0", .value(10)), ("+1_0", .value(10)), ("1_000_000", .value(1_000_000)), ("0_5", .value(5)),
            ("5.0", .value(5)), ("5.00", .value(5)), ("1_0.0", .value(10)), ("0.0", .value(0)), ("-00.000", .value(0)),
            ("9223372036854775807", .value(Int.max)), ("9223372036854775807.0", .value(Int.max)), ("-9223372036854775808", .value(Int.min)),
            (String(repeating: "0", count: 4301), .value(0)),
        ]
        for (text, expected) in cases { #expect(IntegerText(parsing: text) == expected, "\(text.debugDescription)") }
    }

    @Test func numbersPastIntAreOutOfRangeNotUnreadable() {
        #expect(IntegerText(parsing: "9223372036854775808") == .outOfRange(negative: false))
        #expect(IntegerText(parsing: "100000000000000000000.0") == .outOfRange(negative: false))
        #expect(IntegerText(parsing: "1_" + String(repeating: "0", count: 30)) == .outOfRange(negative: false))
        #expect(IntegerText(parsing: "-9223372036854775809") == .outOfRange(negative: true))
        #expect(IntegerText(parsing: String(repeating: "1", count: 4300)) == .outOfRange(negative: false))
        #expect(IntegerText(parsing: "-" + String(repeating: "1", count: 4300)) == .outOfRange(negative: true))
        #expect(IntegerText(parsing: String(repeating: "1", count: 4301)) == .tooLong)
        #expect(IntegerText(parsing: "-" + String(repeating: "1", count: 4301)) == .tooLong)
        #expect(IntegerText(parsing: String(repeating: "1", count: 4301) + "x") == .tooLong)
    }

    @Test func refusesWhatPydanticRefuses() {
        let invalid = [
            "", " ", "+", "-", "+-5", "--5", "ten", "5.", ".5", "5.5", "5.0.0", "5,0", "5 .0", "1 0", "5.0_0", "5_.0", "-_1", "_10", "10_", "1__0",
            "0x5", "5e0", "1e1", "nan", "inf", "١٢", "５", "\u{1C}5", "\u{200B}5",
        ]
        for text in invalid { #expect(IntegerText(parsing: text) == .invalid, "\(text.debugDescription)") }
    }
}
