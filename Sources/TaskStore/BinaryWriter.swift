import Foundation

/// Appends the compact binary encoding shared by WAL records and snapshots: LEB128 varints,
/// zigzag for signed numbers, length-prefixed UTF-8, raw 16-byte UUIDs.
struct BinaryWriter {
    var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func write(_ byte: UInt8) { bytes.append(byte) }

    mutating func write(varint value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func write(signed value: Int64) {
        write(varint: UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func write(_ value: Int) { write(signed: Int64(value)) }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            write(varint: UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func write(_ uuid: UUID) {
        withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ timestamp: Timestamp) { write(signed: timestamp.milliseconds) }

    mutating func write(_ flag: Bool) { bytes.append(flag ? 1 : 0) }

    /// Writes a presence byte, then the value if there is one.
    mutating func write<Value>(optional value: Value?, _ body: (inout BinaryWriter, Value) -> Void) {
        guard let value else { return write(false) }
        write(true)
        body(&self, value)
    }

    /// Writes a case as its index in `allCases`: the declaration order is part of the format.
    mutating func write<Value: CaseIterable & Equatable>(case value: Value) {
        bytes.append(UInt8(Value.allCases.firstIndex(of: value).map { Value.allCases.distance(from: Value.allCases.startIndex, to: $0) }!))
    }
}
