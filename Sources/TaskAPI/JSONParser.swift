/// A strict JSON parser (RFC 8259) for request bodies: UTF-8 only, no NaN or Infinity, no
/// control characters in strings, nesting at most `maximumDepth` deep. Errors carry the offset
/// and the message that the service we replace gave (Python's `json` behind FastAPI): offsets
/// count characters (code points), as Python's do, not bytes.
struct JSONParser {
    struct Failure: Error, Equatable {
        var offset: Int
        var message: String
    }

    /// How deep the service we replace read a body, as measured on it: Python's `json` stops at
    /// the interpreter's recursion limit (1,000), counting the frames already on the stack when
    /// it starts, which FastAPI's body reading leaves at 964 levels (the outermost counted as
    /// level 0 here) and the login route's own reading at 961. Deeper is refused there too; the
    /// recursion is also what keeps a deep body from exhausting a thread's stack here.
    static let bodyMaximumDepth = 964
    static let loginMaximumDepth = 961

    static func parse(_ bytes: [UInt8], maximumDepth: Int = bodyMaximumDepth) throws(Failure) -> JSONValue {
        // A leading UTF-8 byte order mark is ignored, as RFC 8259 allows and Python's `json`
        // does; offsets then count from after it, as Python's do.
        let marked = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let text = marked ? Array(bytes.dropFirst(3)) : bytes
        // Python decodes the whole body before it parses any of it, so a byte that is not UTF-8
        // anywhere is this one error, at 0, however the JSON around it reads.
        if let invalid = firstInvalidUTF8(in: text) {
            throw Failure(offset: 0, message: "Invalid JSON: the body is not UTF-8 (byte \(invalid + (marked ? 3 : 0)))")
        }
        var parser = JSONParser(bytes: text, maximumDepth: maximumDepth)
        do throws(Failure) {
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.offset == text.count else { throw parser.failure("Extra data") }
            return value
        } catch {
            throw Failure(offset: characters(in: text[..<min(error.offset, text.count)]), message: error.message)
        }
    }

    /// The offset of the first byte that does not belong to well-formed UTF-8, if any.
    private static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
        guard bytes.contains(where: { $0 >= 0x80 }) else { return nil }
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// Code points in well-formed UTF-8: every byte but continuation bytes starts one.
    private static func characters(in bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
    }

    private let bytes: [UInt8]
    private let maximumDepth: Int
    private var offset = 0

    private init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { offset += 1 }
    }

    private func failure(_ message: String, at position: Int? = nil) -> Failure { Failure(offset: position ?? offset, message: message) }

    private mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard depth < maximumDepth else { throw failure("Nesting deeper than \(maximumDepth) levels") }
        switch current {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return try parseString()
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case let byte? where byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte):
            return try parseNumber()
        default: throw failure("Expecting value")
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count,
            word.withUTF8Buffer({ Array($0) }) == Array(bytes[offset..<offset + count])
        else { throw failure("Expecting value") }
        offset += count
        return value
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
        offset += 1
        var members = ObjectMembers()
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            offset += 1
            return .object([])
        }
        // A request body has a handful of fields: one allocation rather than growing 1, 2, 4, 8.
        members.reserveCapacity(8)
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("Expecting property name enclosed in double quotes") }
            let key: String
            switch try parseString() {
            case .string(let text), .unpairedSurrogateString(let text): key = text
            default: preconditionFailure("parseString returns strings")
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw failure("Expecting ':' delimiter") }
            offset += 1
            skipWhitespace()
            members.set(key, to: try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                return .object(members.members)
            default: throw failure("Expecting ',' delimiter")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
        offset += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            offset += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return .array(elements)
            default: throw failure("Expecting ',' delimiter")
            }
        }
    }

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = offset
        if current == UInt8(ascii: "-") { offset += 1 }
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.offset
            while let byte = parser.current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { parser.offset += 1 }
            return parser.offset - from
        }
        if current == UInt8(ascii: "0") {
            offset += 1
        } else if digits(&self) == 0 {
            throw failure("Expecting value", at: start)
        }
        // A fraction or an exponent without digits is not part of the number, as in Python's
        // json (`1.` is the number 1 and then a stray "."), so the error names what follows it:
        // "Expecting ',' delimiter" or "Extra data" at the ".", not "Expecting value" at the 1.
        if current == UInt8(ascii: ".") {
            let dot = offset
            offset += 1
            if digits(&self) == 0 { offset = dot }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            let mark = offset
            offset += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
            if digits(&self) == 0 { offset = mark }
        }
        return .number(String(decoding: bytes[start..<offset], as: UTF8.self))
    }

    private mutating func parseString() throws(Failure) -> JSONValue {
        if let plain = plainString() { return .string(plain) }
        let start = offset
        offset += 1
        var scalars = String.UnicodeScalarView()
        var unpaired = false
        var runStart = offset
        // The body is valid UTF-8 (`parse` checked), and a run ends only at ASCII, never inside
        // a character.
        func flushRun(_ parser: JSONParser, until end: Int) {
            guard runStart < end else { return }
            scalars.append(contentsOf: String(decoding: parser.bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard let byte = current else { throw failure("Unterminated string starting at", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                flushRun(self, until: offset)
                offset += 1
                let text = String(scalars)
                return unpaired ? .unpairedSurrogateString(replaced: text) : .string(text)
            case UInt8(ascii: "\\"):
                flushRun(self, until: offset)
                offset += 1
                guard let escape = current else { throw failure("Unterminated string starting at", at: start) }
                offset += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let unit = try hexQuad()
                    if (0xD800...0xDBFF).contains(unit), bytes.count >= offset + 6, bytes[offset] == UInt8(ascii: "\\"),
                        bytes[offset + 1] == UInt8(ascii: "u")
                    {
                        let save = offset
                        offset += 2
                        let low = try hexQuad()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalars.append(Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!)
                            break
                        }
                        offset = save
                    }
                    if let scalar = Unicode.Scalar(unit) {
                        scalars.append(scalar)
                    } else {
                        unpaired = true
                        scalars.append("\u{FFFD}")
                    }
                default:
                    throw failure("Invalid \\escape", at: offset - 2)
                }
                runStart = offset
            case 0..<0x20:
                throw failure("Invalid control character at")
            default:
                offset += 1
            }
        }
    }

    /// A string without escapes or control characters (nearly every one), read in one piece:
    /// building it scalar by scalar was 5% of a task create. nil leaves it to the general path,
    /// which also reports every error. Decoding, not validating: `parse` checked the body is
    /// UTF-8 (validating here again went through an unspecialized generic path, 1.3% of a create).
    private mutating func plainString() -> String? {
        var end = offset + 1
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: bytes[(offset + 1)..<end], as: UTF8.self)
                offset = end + 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            end += 1
        }
        return nil
    }

    private mutating func hexQuad() throws(Failure) -> UInt32 {
        // At the "u", as Python says (an unknown escape is at its backslash). Python also wants
        // something after the four digits: a body that ends with `"\u0041` is this error, not
        // an unterminated string.
        guard offset + 4 < bytes.count else { throw failure("Invalid \\uXXXX escape", at: offset - 1) }
        var value: UInt32 = 0
        for byte in bytes[offset..<offset + 4] {
            guard let digit = byte.hexDigitValue else { throw failure("Invalid \\uXXXX escape", at: offset - 1) }
            value = value << 4 | UInt32(digit)
        }
        offset += 4
        return value
    }
}
