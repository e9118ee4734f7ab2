import Foundation
import NIOCore
import TaskStore

/// Writes JSON straight into bytes: no intermediate dictionaries, no Foundation encoder (which
/// costs about 3.5 µs a task here). Callers write keys and values in order; the writer adds
/// the commas.
///
/// The bytes are in a buffer of its own rather than an array: an array checks that it is
/// uniquely referenced and has room on every append, and a task is about 100 small appends
/// (a quarter of a `GET /tasks` page went to writing its JSON). Noncopyable, so the buffer has
/// one owner, which frees it.
struct JSONWriter: ~Copyable {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// How many bytes are written.
    private(set) var count = 0
    private var needsComma = false

    /// About what one task takes, with a short description: a room to reserve per task.
    static let bytesPerTask = 512

    init(capacity: Int = 256) {
        self.capacity = Swift.max(capacity, 64)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// What is written so far.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: count)) }

    var byteBuffer: ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        buffer.writeBytes(UnsafeRawBufferPointer(start: storage, count: count))
        return buffer
    }

    mutating func beginObject() {
        separate()
        append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member name; the value written next belongs to it. Names in the code are literals,
    /// copied as they are: no scan for bytes to escape.
    mutating func key(_ name: StaticString) {
        separate()
        let length = name.utf8CodeUnitCount
        writeInPlace(length + 3) { text in
            text[0] = UInt8(ascii: "\"")
            (text + 1).initialize(from: name.utf8Start, count: length)
            text[length + 1] = UInt8(ascii: "\"")
            text[length + 2] = UInt8(ascii: ":")
            return length + 3
        }
        needsComma = false
    }

    /// A member name that came in with a request, escaped as any string is. Not an overload
    /// of `key`: a literal would then be taken for a `String` and lose the fast path.
    mutating func escapedKey(_ name: String) {
        string(name)
        append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            var index = Self.firstEscapedByte(in: utf8, from: 0)
            while index < utf8.count {
                let byte = utf8[index]
                append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                switch byte {
                case UInt8(ascii: "\""): append(UInt8(ascii: "\\"), UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
                case 0x0A: append(UInt8(ascii: "\\"), UInt8(ascii: "n"))
                case 0x0D: append(UInt8(ascii: "\\"), UInt8(ascii: "r"))
                case 0x09: append(UInt8(ascii: "\\"), UInt8(ascii: "t"))
                // As Python's json writes them, so answers match the old service's byte for byte.
                case 0x08: append(UInt8(ascii: "\\"), UInt8(ascii: "b"))
                case 0x0C: append(UInt8(ascii: "\\"), UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    writeInPlace(6) { text in
                        text[0] = UInt8(ascii: "\\")
                        text[1] = UInt8(ascii: "u")
                        text[2] = UInt8(ascii: "0")
                        text[3] = UInt8(ascii: "0")
                        text[4] = hex.utf8Start[Int(byte >> 4)]
                        text[5] = hex.utf8Start[Int(byte & 0xF)]
                        return 6
                    }
                }
                runStart = index + 1
                index = Self.firstEscapedByte(in: utf8, from: runStart)
            }
            append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// The index of the first byte from `start` on that JSON must escape (a control character,
    /// `"` or `\\`), or the count if none. Eight bytes at a time: looking at each byte was 15%
    /// of a `GET /tasks` page, nearly all of it over strings with nothing to escape.
    static func firstEscapedByte(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        @inline(__always) func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }
        var index = start
        if let base = utf8.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            // Exact as a whole word: some byte is below 0x20, or equal to `"` or `\\`.
            @inline(__always) func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
            while index + 8 <= utf8.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                let below = (word &- ones &* 0x20) & ~word & highs != 0
                if below || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C)) { break }
                index += 8
            }
        }
        while index < utf8.count && !needsEscape(utf8[index]) { index += 1 }
        return index
    }

    /// An id, in its lowercase form, straight into the bytes.
    mutating func uuid(_ id: UUID) {
        separate()
        writeInPlace(38) { text in
            text[0] = UInt8(ascii: "\"")
            id.appendLowercase(to: text + 1)
            text[37] = UInt8(ascii: "\"")
            return 38
        }
        needsComma = true
    }

    mutating func string(_ value: String?) {
        guard let value else { return null() }
        string(value)
    }

    mutating func int<T: BinaryInteger>(_ value: T) {
        separate()
        // Digits written in place: `String(value)` allocated a string per number. 40 bytes
        // hold any 128-bit integer and its sign.
        writeInPlace(40) { text in
            var magnitude = value.magnitude
            var length = 0
            if value < 0 {
                text[0] = UInt8(ascii: "-")
                length = 1
            }
            let start = length
            repeat {
                text[length] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                length += 1
                magnitude /= 10
            } while magnitude > 0
            var digits = UnsafeMutableBufferPointer(start: text + start, count: length - start)
            digits.reverse()
            return length
        }
        needsComma = true
    }

    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    mutating func null() { raw("null") }

    /// Already-valid JSON text, written as it is.
    mutating func raw(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { append($0) }
        needsComma = true
    }

    /// A value of at most `maximum` bytes, already valid JSON, that `write` puts at the pointer
    /// it is given, returning how many it wrote.
    mutating func raw(maximum: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        separate()
        writeInPlace(maximum, write)
        needsComma = true
    }

    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let text): raw(PythonNumberText.of(jsonNumber: text))
        case .string(let text), .unpairedSurrogateString(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let members):
            beginObject()
            for (name, member) in members {
                escapedKey(name)
                self.value(member)
            }
            endObject()
        }
    }

    private mutating func separate() {
        if needsComma { append(UInt8(ascii: ",")) }
    }

    // MARK: The buffer

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ first: UInt8, _ second: UInt8) {
        reserve(2)
        storage[count] = first
        storage[count + 1] = second
        count += 2
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (storage + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Room for `maximum` bytes, which `write` fills from the start, returning how many it wrote.
    @inline(__always)
    private mutating func writeInPlace(_ maximum: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(maximum)
        let written = write(storage + count)
        precondition((0...maximum).contains(written), "wrote \(written) bytes into room for \(maximum)")
        count += written
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toHold: count + extra) }
    }

    private mutating func grow(toHold needed: Int) {
        let grown = Swift.max(needed, capacity * 2)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.initialize(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity = grown
    }
}
