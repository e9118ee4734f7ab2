import NIOCore

/// Finds where each HTTP/1.1 response on a keep-alive connection ends, and its status, without
/// building header objects: the load generator shares the server's two cores, so every
/// microsecond it spends per response is one the server under test does not get.
/// Understands Content-Length and chunked bodies, and bodiless 1xx/204/304 answers.
struct ResponseFramer {
    enum FramingError: Error, CustomStringConvertible {
        case malformed(String)
        var description: String {
            switch self { case .malformed(let what): "malformed HTTP response: \(what)" }
        }
    }

    private var pending: ByteBuffer?

    mutating func append(_ incoming: ByteBuffer) {
        if pending == nil || pending!.readableBytes == 0 {
            pending = incoming
        } else {
            var incoming = incoming
            pending!.writeBuffer(&incoming)
        }
    }

    /// The status of the next whole response, which is consumed; nil until all of it is here.
    mutating func next() throws -> Int? {
        guard var buffer = pending, buffer.readableBytes > 0 else { return nil }
        let framed = try buffer.withUnsafeReadableBytes { try Self.frame($0) }
        guard let (status, length) = framed else { return nil }
        buffer.moveReaderIndex(forwardBy: length)
        if buffer.readableBytes == 0 { buffer.clear() }
        pending = buffer
        return status
    }

    /// The status and total length of the first response in `bytes`, or nil if it is incomplete.
    static func frame(_ bytes: UnsafeRawBufferPointer) throws -> (status: Int, length: Int)? {
        guard let headerEnd = find(crlfcrlf, in: bytes, from: 0) else {
            if bytes.count > 64 << 10 { throw FramingError.malformed("no end of headers in 64 KiB") }
            return nil
        }
        guard bytes.count >= 12, startsWith("HTTP/1.", bytes, at: 0), let status = digits(bytes, 9, 3) else {
            throw FramingError.malformed("status line \(String(decoding: bytes.prefix(32), as: UTF8.self).debugDescription)")
        }
        var contentLength: Int?
        var chunked = false
        var line = find(crlf, in: bytes, from: 0)! + 2
        while line < headerEnd + 2 {
            let end = find(crlf, in: bytes, from: line)!
            // Only two headers matter, so only their values are read (as bytes: decoding and
            // trimming every value as a String was a quarter of this tool's CPU time, in a profile
            // of it driving taskd's get).
            if let colon = firstIndex(of: UInt8(ascii: ":"), in: bytes, line..<end) {
                let value = trimmed(bytes, (colon + 1)..<end)
                if equalsIgnoringCase("content-length", bytes, line..<colon) {
                    guard !value.isEmpty, value.count <= 18, let length = digits(bytes, value.lowerBound, value.count) else {
                        throw FramingError.malformed("Content-Length \(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[value]), as: UTF8.self).debugDescription)")
                    }
                    contentLength = length
                } else if equalsIgnoringCase("transfer-encoding", bytes, line..<colon) {
                    chunked = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[value]), as: UTF8.self).lowercased().contains("chunked")
                }
            }
            line = end + 2
        }
        let bodyStart = headerEnd + 4
        if (100..<200).contains(status) || status == 204 || status == 304 { return (status, bodyStart) }
        if chunked {
            guard let end = try chunkedEnd(bytes, from: bodyStart) else { return nil }
            return (status, end)
        }
        guard let contentLength else { throw FramingError.malformed("status \(status) with neither Content-Length nor chunked body") }
        return bytes.count >= bodyStart + contentLength ? (status, bodyStart + contentLength) : nil
    }

    /// Where a chunked body that starts at `start` ends (after its trailer), or nil if incomplete.
    private static func chunkedEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) throws -> Int? {
        var position = start
        while true {
            guard let lineEnd = find(crlf, in: bytes, from: position) else { return nil }
            var size = 0
            var index = position
            while index < lineEnd, let digit = hexValue(bytes[index]) {
                size = size * 16 + digit
                guard size < 1 << 40 else { throw FramingError.malformed("chunk size") }
                index += 1
            }
            guard index > position else { throw FramingError.malformed("chunk size line") }
            if size == 0 {
                // Trailer fields (usually none), then an empty line.
                var trailer = lineEnd + 2
                while true {
                    guard let end = find(crlf, in: bytes, from: trailer) else { return nil }
                    if end == trailer { return end + 2 }
                    trailer = end + 2
                }
            }
            position = lineEnd + 2 + size + 2
            if position > bytes.count { return nil }
        }
    }

    private static let crlf: [UInt8] = [13, 10]
    private static let crlfcrlf: [UInt8] = [13, 10, 13, 10]

    private static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0] {
                var matched = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] { matched = false; break }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    private static func startsWith(_ prefix: StaticString, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= offset + count else { return false }
        return (0..<count).allSatisfy { bytes[offset + $0] == prefix.utf8Start[$0] }
    }

    private static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// `range` without the optional whitespace (spaces and tabs) around a field value.
    private static func trimmed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == UInt8(ascii: " ") || bytes[lower] == UInt8(ascii: "\t") { lower += 1 }
        while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") || bytes[upper - 1] == UInt8(ascii: "\t") { upper -= 1 }
        return lower..<upper
    }

    private static func digits(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> Int? {
        var value = 0
        for index in offset..<(offset + count) {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func equalsIgnoringCase(_ lowercaseName: StaticString, _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard range.count == lowercaseName.utf8CodeUnitCount else { return false }
        return range.enumerated().allSatisfy { offset, index in
            let byte = bytes[index]
            let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
            return lowered == lowercaseName.utf8Start[offset]
        }
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
