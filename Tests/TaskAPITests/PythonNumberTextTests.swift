import Testing

@testable import TaskAPI

/// Numbers echoed in a 422 as the old service echoed them: what Python's `repr` makes of the
/// float Pydantic read, or the int as it came.
@Suite struct PythonNumberTextTests {
    /// Each recorded from the service we replace (`{"title": N}` to `POST /tasks`).
    @Test func jsonNumbersAreWrittenBackAsTheOldServiceWroteThem() {
        let cases = [
            ("12.50", "12.5"), ("1e2", "100.0"), ("1E+02", "100.0"), ("-0", "0"), ("-0.0", "-0.0"), ("0.1e1", "1.0"),
            ("10000000000000000000000", "10000000000000000000000"), ("123456789012345678901234567890.5", "1.2345678901234568e+29"),
            ("2.5e-400", "0.0"), ("5e-324", "5e-324"), ("1.7976931348623157e308", "1.7976931348623157e+308"), ("7", "7"),
            // Too large for a float: the old service answered 500; the text comes back as sent.
            ("1e400", "1e400"), ("-1e400", "-1e400"),
        ]
        for (sent, echoed) in cases { #expect(PythonNumberText.of(jsonNumber: sent) == echoed, "\(sent)") }
    }

    /// Printed by Python 3.11's `repr`: an exponent from 1e16 up and below 1e-4, of at least two
    /// digits; fixed-point between, even past 2^53, where Swift's `description` takes one.
    @Test func floatsAreLaidOutAsPythonsReprLaysThemOut() {
        let cases: [(Double, String)] = [
            (9_999_999_999_999_998, "9999999999999998.0"), (1e16, "1e+16"), (9_007_199_254_740_992, "9007199254740992.0"),
            (1e15 + 0.3, "1000000000000000.2"), (123_456_789_012_345_680, "1.2345678901234568e+17"), (0.0001, "0.0001"),
            (9.999999999999999e-05, "9.999999999999999e-05"), (1e-05, "1e-05"), (-2.5e-7, "-2.5e-07"), (-1e100, "-1e+100"),
            (0.1 + 0.2, "0.30000000000000004"), (1.0 / 3, "0.3333333333333333"), (4.35, "4.35"), (1.5, "1.5"), (0, "0.0"),
        ]
        for (value, text) in cases { #expect(PythonNumberText.repr(value) == text, "\(value)") }
    }

    /// Any float: the text reads back as the same float, and has an exponent exactly when
    /// Python's would.
    @Test func everyFloatReadsBackAndHasAnExponentOnlyOutsideTheFixedRange() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value = Double(bitPattern: random.next())
            guard value.isFinite, value != 0 else { continue }
            let text = PythonNumberText.repr(value)
            #expect(Double(text) == value, "\(text)")
            #expect(text.contains("e") == !(1e-4..<1e16).contains(abs(value)), "\(text)")
        }
    }
}
