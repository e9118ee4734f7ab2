import Testing

@testable import taskd

/// How a `TASKD_*` variable is named and how a switch's value reads.
struct EnvironmentTests {
    @Test func aFlagsVariableIsItsNameInCapitalsWithUnderscores() {
        #expect(Environment.variable(for: "data-dir") == "TASKD_DATA_DIR")
        #expect(Environment.variable(for: "trust-forwarded-for") == "TASKD_TRUST_FORWARDED_FOR")
    }

    /// Every word README.md names for on and off, in any case; anything else is neither, and
    /// stops the start rather than being taken for off.
    @Test func aSwitchIsOnOffOrNeither() {
        for word in ["1", "true", "yes", "on", "TRUE", "Yes", "ON"] { #expect(Environment.switchState(word) == true, "\(word)") }
        for word in ["0", "false", "no", "off", "", "False", "NO", "Off"] { #expect(Environment.switchState(word) == false, "\(word)") }
        for word in ["maybe", "2", "y", "enabled", " on"] { #expect(Environment.switchState(word) == nil, "\(word)") }
    }
}
