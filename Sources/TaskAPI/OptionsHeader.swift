/// The `;`-separated parameters of a Content-Type or Content-Disposition value, read as
/// python-multipart's `parse_options_header` (and so the service we replace) read them: a `;`
/// inside double quotes does not end a parameter, a quoted value loses its quotes and its `\\`
/// and `\"` escapes, and a name given twice keeps its last value. (It also ignores names with a
/// `*`, RFC 2231's extended syntax, which none of the names looked up here has.) Bytes, as
/// Latin-1 text: header values are not UTF-8 to it.
enum OptionsHeader {
    private static let semicolon = UInt8(ascii: ";")
    private static let equals = UInt8(ascii: "=")
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// The parameters after the value's first segment, by name. A name with a value is
    /// lowercased; one without (`; name`) is kept as written and has an empty value.
    static func parameters(_ value: [UInt8]) -> [[UInt8]: [UInt8]] {
        var options: [[UInt8]: [UInt8]] = [:]
        for segment in segments(value).dropFirst() {
            let split = segment.firstIndex(of: equals)
            let name = split.map { Array(segment[..<$0]) } ?? segment
            var text = split.map { Array(segment[($0 + 1)...]) } ?? []
            if text.count >= 2 && text.first == quote && text.last == quote {
                text = replacing([backslash, quote], with: quote, in: replacing([backslash, backslash], with: backslash, in: Array(text.dropFirst().dropLast())))
            }
            options[name] = text
        }
        return options
    }

    /// The value's segments (the first is what comes before any parameter), each trimmed of
    /// spaces and tabs, and a parameter's name lowercased.
    private static func segments(_ value: [UInt8]) -> [[UInt8]] {
        let text = [semicolon] + value
        var segments: [[UInt8]] = []
        var start = 0
        while start < text.count, text[start] == semicolon {
            start += 1
            let end = segmentEnd(in: text, from: start)
            let segment = text[start..<end]
            if let split = segment.firstIndex(of: equals) {
                let name = trimmed(text[start..<split], leading: false).map(asciiLowercased)
                segments.append(trimmed(name + [equals] + trimmed(text[(split + 1)..<end], trailing: false)))
            } else {
                segments.append(trimmed(segment))
            }
            start = end
        }
        return segments
    }

    /// The first `;` from `start` with an even number of double quotes (not counting `\"`)
    /// before it, or the end.
    private static func segmentEnd(in text: [UInt8], from start: Int) -> Int {
        var quotes = 0
        var index = start
        while index < text.count {
            switch text[index] {
            case quote: quotes += 1
            case backslash where index + 1 < text.count && text[index + 1] == quote:
                // `\"` counts once as a quote and once as an escaped one: nothing.
                index += 1
            case semicolon where quotes % 2 == 0: return index
            default: break
            }
            index += 1
        }
        return text.count
    }

    private static func trimmed(_ bytes: some Collection<UInt8>, leading: Bool = true, trailing: Bool = true) -> [UInt8] {
        var slice = Array(bytes)[...]
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        while leading, let first = slice.first, blank(first) { slice = slice.dropFirst() }
        while trailing, let last = slice.last, blank(last) { slice = slice.dropLast() }
        return Array(slice)
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// Python's `bytes.replace`: every occurrence, left to right, none overlapping.
    private static func replacing(_ pair: [UInt8], with replacement: UInt8, in bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if index + 1 < bytes.count && bytes[index] == pair[0] && bytes[index + 1] == pair[1] {
                result.append(replacement)
                index += 2
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }
}
