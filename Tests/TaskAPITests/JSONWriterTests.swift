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

    /// Strings of every length to 40 (so every position in and across the eight-byte words the
    /// scan reads), of plain text, multi-byte characters and every byte JSON must escape,
    /// against a byte-by-byte escaper.
    @Test func stringsAreEscapedAsByteByByte() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [String] = ["a", "Z", " ", "~", "é", "☕", "😀", "\"", "\\", "\n", "\r", "\t", "\u{00}", "\u{01}", "\u{1F}", "\u{7F}", "/"]
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

    private static func escapedByteByByte(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): bytes += Array(#"\\"#.utf8)
            case 0x0A: bytes += Array(#"\n"#.utf8)
            case 0x0D: bytes += Array(#"\r"#.utf8)
            case 0x09: bytes += Array(#"\t"#.utf8)
            case ..<0x20: bytes += Array(String(format: "\\u%04x", byte).utf8)
            default: bytes.append(byte)
            }
        }
        return bytes + [UInt8(ascii: "\"")]
    }
}
