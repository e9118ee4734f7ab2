import Foundation

extension UUID {
    /// Reads an id in the forms Pydantic's `UUID` reads, so clients of the service we replace
    /// keep working: 8-4-4-4-12 hex, 32 hex digits, `{8-4-4-4-12}` and `urn:uuid:8-4-4-4-12`,
    /// hex digits in either case. By hand rather than Foundation's `sscanf` (1% of a
    /// `GET /tasks/{id}`), which also took spaces and stray hyphens.
    init?(text: String) {
        var text = text
        let parsed: uuid_t? = text.withUTF8 { utf8 in
            switch utf8.count {
            case 36: return Self.bytes(utf8[...], hyphenated: true)
            case 32: return Self.bytes(utf8[...], hyphenated: false)
            case 38 where utf8.first == UInt8(ascii: "{") && utf8.last == UInt8(ascii: "}"): return Self.bytes(utf8[1..<37], hyphenated: true)
            case 45 where utf8.starts(with: Self.urnPrefix.utf8): return Self.bytes(utf8[9...], hyphenated: true)
            default: return nil
            }
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    private static let urnPrefix = "urn:uuid:"

    /// The 16 bytes from 32 hex digits, or from the 36 characters with hyphens at 8, 13, 18 and 23.
    private static func bytes(_ text: Slice<UnsafeBufferPointer<UInt8>>, hyphenated: Bool) -> uuid_t? {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &bytes) { output in
            var index = 0
            for (position, byte) in text.enumerated() {
                if hyphenated && (position == 8 || position == 13 || position == 18 || position == 23) {
                    guard byte == UInt8(ascii: "-") else { return false }
                    continue
                }
                guard let nibble = byte.hexDigitValue else { return false }
                output[index / 2] |= index % 2 == 0 ? nibble << 4 : nibble
                index += 1
            }
            return true
        }
        return parsed ? bytes : nil
    }

    /// Why `text` is not an id, in the words Pydantic uses (the `uuid` crate's), so that a client
    /// learns which character or group is wrong. Only for text `UUID(text:)` refused.
    static func problem(parsing text: String) -> String {
        let bytes = Array(text.utf8)
        if bytes.count > 45 { return "invalid length: found \(bytes.count)" }
        var inner = bytes[...]
        var offset = 0
        if bytes.count >= 2 && bytes.first == UInt8(ascii: "{") && bytes.last == UInt8(ascii: "}") {
            inner = bytes[1..<(bytes.count - 1)]
            offset = 1
        } else if bytes.starts(with: urnPrefix.utf8) {
            inner = bytes[urnPrefix.utf8.count...]
            offset = urnPrefix.utf8.count
        }
        var hyphens: [Int] = []
        var position = offset
        for scalar in String(decoding: inner, as: UTF8.self).unicodeScalars {
            if scalar == "-" {
                hyphens.append(position - offset)
            } else if !scalar.isASCII || UInt8(scalar.value).hexDigitValue == nil {
                return "invalid character: found `\(Character(scalar))` at \(position)"
            }
            position += scalar.utf8.count
        }
        if hyphens.isEmpty && offset == 0 { return "invalid length: found \(bytes.count)" }
        if hyphens.count != 4 { return "invalid group count: expected 5, found \(hyphens.count + 1)" }
        let groupStarts = [0, 9, 14, 19, 24]
        let groupLengths = [8, 4, 4, 4, 12]
        for group in 0..<4 where hyphens[group] != groupStarts[group + 1] - 1 {
            return "invalid group length in group \(group): expected \(groupLengths[group]), found \(hyphens[group] - groupStarts[group])"
        }
        // All four hyphens are in place, so the last group is the wrong length. Counted over the
        // whole text, braces or prefix included, as the crate counts it.
        return "invalid group length in group 4: expected 12, found \(bytes.count - groupStarts[4])"
    }
}
