import Foundation
import Testing

@testable import TaskAPI

/// The hand-written parts of the writer against what Foundation would have written.
@Suite struct JSONWriterTests {
    @Test func integersAreWrittenAsSwiftPrintsThem() {
        let values: [Int64] = [0, 7, -7, 10, 99, 100, -1_000_000, 1_733_000_000_000, .max, .min]
        var writer = JSONWriter()
        writer.beginArray()
        for value in values { writer.int(value) }
        writer.int(UInt8(255))
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[" + values.map(String.init).joined(separator: ",") + ",255]")
    }
}
