import Testing

@testable import TaskAPI

struct DurationTextTests {
    @Test func millisecondsHaveThreeDecimalsRoundedDownToTheMicrosecond() {
        #expect(Duration.zero.millisecondsText == "0.000")
        #expect(Duration.nanoseconds(81_999).millisecondsText == "0.081")
        #expect(Duration.microseconds(1_005).millisecondsText == "1.005")
        #expect(Duration.milliseconds(250).millisecondsText == "250.000")
        #expect((Duration.seconds(12) + .microseconds(34)).millisecondsText == "12000.034")
        #expect(Duration.microseconds(-1_500).millisecondsText == "-1.500")
    }
}
