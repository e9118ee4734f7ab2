import TaskStoreTestSupport
import Testing
@testable import TaskStore

/// A frame's checksum covers its stored bytes, so a deflated payload that does not inflate to
/// exactly what its header says (a writer's bug) must be refused here, never read as records.
@Suite struct InflaterTests {
    private static let text = Array(String(repeating: "a task and its category, ", count: 40).utf8)

    private static func deflated(_ input: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        let length = input.withUnsafeBytes { Deflater().compress($0, appendingTo: &output) }
        #expect(try #require(length) == output.count)
        return output
    }

    private static func inflates(_ stored: [UInt8], to expectedLength: Int) -> [UInt8]? {
        var output: [UInt8] = []
        let ok = stored.withUnsafeBytes { Inflater().decompress($0, expectedLength: expectedLength, into: &output) }
        return ok ? output : nil
    }

    @Test func aStreamInflatesToExactlyItsLength() throws {
        #expect(Self.inflates(try Self.deflated(Self.text), to: Self.text.count) == Self.text)
    }

    @Test func aStreamLongerOrShorterThanItsHeaderSaysIsRefused() throws {
        let stored = try Self.deflated(Self.text)
        #expect(Self.inflates(stored, to: Self.text.count - 1) == nil)
        #expect(Self.inflates(stored, to: Self.text.count + 1) == nil)
        #expect(Self.inflates(stored, to: Self.text.count * 2) == nil)
    }

    @Test func bytesAfterTheStreamsEndAreRefused() throws {
        #expect(Self.inflates(try Self.deflated(Self.text) + [0], to: Self.text.count) == nil)
    }

    /// Cut by its last byte, a stream has still given all its bytes but not its end.
    @Test func aStreamCutShortOfItsEndIsRefused() throws {
        let stored = try Self.deflated(Self.text)
        #expect(Self.inflates(Array(stored.dropLast()), to: Self.text.count) == nil)
    }

    @Test func nothingStoredInflatesToNothingOnly() {
        #expect(Self.inflates([], to: 0) == [])
        #expect(Self.inflates([], to: 1) == nil)
    }
}
