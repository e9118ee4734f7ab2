/// How the service we replace decoded a multipart form's text (Starlette's `_user_safe_decode`):
/// in the Content-Type's `charset`, UTF-8 when there is none, and Latin-1 for text that does not
/// decode. Of the charsets Python knows, only UTF-8's names are told apart; any other is read
/// as Latin-1, which is what Latin-1 and ASCII (and any name Python does not know) come to.
enum TextCharset: Equatable {
    case utf8, latin1

    /// Python's names for UTF-8 once `codecs.lookup` has normalised them (lowercase, each run
    /// of other characters than letters, digits and "." one "_").
    private static let utf8Names: Set<String> = ["utf_8", "utf8", "u8", "utf", "utf8_ucs2", "utf8_ucs4", "cp65001", "utf_8_sig"]

    init(named name: [UInt8]?) {
        guard let name else {
            self = .utf8
            return
        }
        self = Self.utf8Names.contains(Self.normalized(name)) ? .utf8 : .latin1
    }

    func decode(_ bytes: [UInt8]) -> String {
        if self == .utf8, let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    private static func normalized(_ name: [UInt8]) -> String {
        var result = ""
        var afterPunctuation = false
        for byte in name {
            let character = Character(Unicode.Scalar(byte))
            if character.isASCII && (character.isLetter || character.isNumber || character == ".") {
                if afterPunctuation && !result.isEmpty { result.append("_") }
                result.append(Character(character.lowercased()))
                afterPunctuation = false
            } else {
                afterPunctuation = true
            }
        }
        return result
    }
}
