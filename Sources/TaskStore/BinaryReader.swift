import Foundation

/// Why bytes could not be decoded, and where.
public struct DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    public var description: String { "\(reason) at byte \(offset)" }
}

/// Reads what `BinaryWriter` wrote. Every read is bounds-checked and throws `DecodeError`
/// with the offset, so damaged input never traps.
struct BinaryReader {
    private let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= buffer.count }
    var remaining: Int { buffer.count - offset }

    func failure(_ reason: String) -> DecodeError { DecodeError(offset: offset, reason: reason) }

    mutating func readByte() throws(DecodeError) -> UInt8 {
        guard offset < buffer.count else { throw failure("unexpected end of data") }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func readVarint() throws(DecodeError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            // The tenth byte holds bit 63 alone: more is past 64 bits, and a continuation
            // would make an eleventh byte, so this check also ends every longer varint.
            if shift == 63 && byte > 1 { throw failure("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readSigned() throws(DecodeError) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func readInt() throws(DecodeError) -> Int {
        let value = try readSigned()
        guard let int = Int(exactly: value) else { throw failure("integer out of range") }
        return int
    }

    mutating func readUInt32() throws(DecodeError) -> UInt32 {
        let value = try readVarint()
        guard let narrow = UInt32(exactly: value) else { throw failure("value \(value) exceeds 32 bits") }
        return narrow
    }

    /// A length that must fit in what is left, so damaged lengths cannot allocate wildly.
    mutating func readLength() throws(DecodeError) -> Int {
        let length = try readVarint()
        guard length <= UInt64(remaining) else { throw failure("length \(length) exceeds the \(remaining) bytes left") }
        return Int(length)
    }

    mutating func readString() throws(DecodeError) -> String {
        let length = try readLength()
        defer { offset += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + length]), as: UTF8.self)
    }

    /// The next `count` bytes, which must all be there.
    mutating func readBytes(_ count: Int) throws(DecodeError) -> UnsafeRawBufferPointer {
        guard count <= remaining else { throw failure("\(count) bytes wanted, \(remaining) left") }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
    }

    mutating func readUUID() throws(DecodeError) -> UUID {
        guard remaining >= 16 else { throw failure("unexpected end of data in a UUID") }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + 16])) }
        offset += 16
        return UUID(uuid: raw)
    }

    mutating func readTimestamp() throws(DecodeError) -> Timestamp { Timestamp(milliseconds: try readSigned()) }

    mutating func readBool() throws(DecodeError) -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        case let other: throw DecodeError(offset: offset - 1, reason: "invalid flag byte \(other)")
        }
    }

    mutating func readOptional<Value>(_ body: (inout BinaryReader) throws(DecodeError) -> Value) throws(DecodeError) -> Value? {
        try readBool() ? try body(&self) : nil
    }

    /// A case stored as its index in `allCases`: the declaration order is part of the format.
    mutating func readCase<Value: CaseIterable>(_ type: Value.Type) throws(DecodeError) -> Value {
        let index = Int(try readByte())
        let cases = Array(Value.allCases)
        guard index < cases.count else { throw DecodeError(offset: offset - 1, reason: "unknown \(Value.self) \(index)") }
        return cases[index]
    }
}
