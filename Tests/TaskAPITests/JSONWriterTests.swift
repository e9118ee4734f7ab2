import Foundation
import NIOCore
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

    /// Strings of every length to 40 (so every position in and across the eight-byte words the
    /// scan reads), of plain text, multi-byte characters and every byte JSON must escape,
    /// against a byte-by-byte escaper.
    @Test func stringsAreEscapedAsByteByByte() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [String] = ["a", "Z", " ", "~", "é", "☕", "😀", "\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}", "\u{01}", "\u{1F}", "\u{7F}", "/"]
        for length in 0...40 {
            for _ in 0..<50 {
                let text = String((0..<length).map { _ in pieces.randomElement(using: &rng)! }.joined().prefix(length))
                var writer = JSONWriter()
                writer.string(text)
                #expect(writer.bytes == Self.escapedByteByByte(text), "\(Array(text.utf8))")
            }
        }
        for byte in UInt8(0)..<0x80 {
            let text = String(repeating: "x", count: 9) + String(UnicodeScalar(byte)) + String(repeating: "y", count: 9)
            var writer = JSONWriter()
            writer.string(text)
            #expect(writer.bytes == Self.escapedByteByByte(text), "byte \(byte)")
        }
    }

    /// As the old service's `json.dumps(ensure_ascii=False)` wrote it (a description recorded
    /// from it): backspace and form feed by their short escapes, DEL and the rest of Unicode as
    /// they are, other control characters as `\u00XX`.
    @Test func controlCharactersAreSpelledAsPythonSpellsThem() {
        var writer = JSONWriter()
        writer.string("d\u{08}\u{0C}\u{1F}\u{01}\u{7F}é")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""d\b\f\u001f\u0001\#u{7F}é""#)
    }

    /// The writer's own buffer grows by copying what it holds: a document many times its
    /// first capacity comes out whole, and the same as Foundation reads it back.
    @Test func aDocumentFarLargerThanTheFirstCapacityIsWrittenWhole() throws {
        var writer = JSONWriter(capacity: 1)
        let texts = (0..<2_000).map { "item \($0) \(String(repeating: "é", count: $0 % 37))\"\n" }
        writer.beginArray()
        for (index, text) in texts.enumerated() {
            writer.beginObject()
            writer.key("text")
            writer.string(text)
            writer.key("index")
            writer.int(index)
            writer.key("id")
            writer.uuid(UUID(uuid: (UInt8(index & 0xFF), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)))
            writer.endObject()
        }
        writer.endArray()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [[String: Any]])
        #expect(parsed.count == texts.count)
        #expect(parsed.map { $0["text"] as? String } == texts)
        #expect(parsed.map { $0["index"] as? Int } == Array(0..<texts.count))
        #expect(writer.count == writer.bytes.count && writer.byteBuffer.readableBytes == writer.count)
    }

    private static func escapedByteByByte(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): bytes += Array(#"\\"#.utf8)
            case 0x0A: bytes += Array(#"\n"#.utf8)
            case 0x0D: bytes += Array(#"\r"#.utf8)
            case 0x09: bytes += Array(#"\t"#.utf8)
            case 0x08: bytes += Array(#"\b"#.utf8)
            case 0x0C: bytes += Array(#"\f"#.utf8)
            case ..<0x20: bytes += Array(String(format: "\\u%04x", byte).utf8)
            default: bytes.append(byte)
            }
        }
        return bytes + [UInt8(ascii: "\"")]
    }
}
