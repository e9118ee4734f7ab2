import Foundation
import TaskStoreTestSupport
import Testing
@testable import TaskAPI

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
        for bad in ["a", "A", "ab=", "a+b/", "ab c", "é", "abcde", "AAAAA"] { #expect(Base64URL.decode(bad) == nil, "\(bad)") }
        // "A" and "AAAAA" leave 6 bits, less than a byte but more than any padding, zero or not.
        // "AA" is one zero byte; "AB" spells it with a bit set past the byte, as does "AAB" of two.
        #expect(Base64URL.decode("AA") == [0] && Base64URL.decode("AB") == nil)
        #expect(Base64URL.decode("AAA") == [0, 0] && Base64URL.decode("AAB") == nil)
    }
}
