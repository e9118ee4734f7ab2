import Testing

@testable import TaskAPI

/// Each rule with the reason the old service gave for it (checked against it: the same `msg`
/// and `ctx.reason` for every address here).
@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("a b@example.com", "it must not contain spaces or control characters"),
        ("a\u{01}b@example.com", "it must not contain spaces or control characters"),
        ("a\u{7F}b@example.com", "it must not contain spaces or control characters"),
        ("a@b@c.co", "it must have exactly one @-sign"),
        ("no-at-sign", "it must have exactly one @-sign"),
        ("@example.com", "there must be something before the @-sign"),
        ("a@localhost", "the part after the @-sign must be a domain name with a dot"),
        ("a@b..co", "the part after the @-sign must be a domain name with a dot"),
        ("a@.co", "the part after the @-sign must be a domain name with a dot"),
        ("a@co.", "the part after the @-sign must be a domain name with a dot"),
        (String(repeating: "a", count: 243) + "@example.com", "it must be at most 254 characters long"),
    ])
    func refusedAddressesSayWhy(address: String, reason: String) {
        #expect(EmailAddress.normalize(address) == .failure(EmailAddress.Reason(reason)))
    }

    @Test func addressesAreTrimmedAndLowerCased() {
        #expect(EmailAddress.normalize("  Ada@Example.COM\t") == .success("ada@example.com"))
        #expect(EmailAddress.normalize("\u{1F}Ada@Example.COM\u{1C}") == .success("ada@example.com"), "as Python's strip()")
        #expect(EmailAddress.normalize("ΟΔΟΣ@Example.com") == .success("οδος@example.com"), "as Python's lower(): a final sigma")
        let longest = String(repeating: "a", count: 242) + "@example.com"
        #expect(EmailAddress.normalize(longest) == .success(longest), "254 characters is the most")
    }

    /// "@" and "." separate by code point, as Python's `split` does, even where a combining mark
    /// after them makes one Swift Character of the two (the old service took both of these).
    @Test func separatorsFollowedByACombiningMarkStillSeparate() {
        for address in ["a@b.\u{301}com", "a@\u{301}b.co"] {
            #expect(EmailAddress.normalize(address).map { Array($0.unicodeScalars) } == .success(Array(address.unicodeScalars)), "\(address.debugDescription)")
        }
        #expect(EmailAddress.normalize("a@\u{301}b@c.co") == .failure(EmailAddress.Reason("it must have exactly one @-sign")))
        #expect(EmailAddress.normalize("a@b\u{301}.") == .failure(EmailAddress.Reason("the part after the @-sign must be a domain name with a dot")))
    }
}
