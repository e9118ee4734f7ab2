/// The email rules of the service we replace: trimmed, lower-cased, at most 254 characters,
/// one @-sign, something before it and a dotted domain after it.
enum EmailAddress {
    /// The normalized address, or why it is not one (Pydantic's `value_error` reason).
    static func normalize(_ raw: String) -> Result<String, Reason> {
        let email = folded(raw)
        if email.unicodeScalars.count > 254 { return .failure(Reason("it must be at most 254 characters long")) }
        if email.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(Reason("it must not contain spaces or control characters"))
        }
        // Split by code point, as Python splits: by Character, "@" or "." followed by a combining
        // mark would be one grapheme and no separator.
        let parts = email.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(Reason("it must have exactly one @-sign")) }
        guard !parts[0].isEmpty else { return .failure(Reason("there must be something before the @-sign")) }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else {
            return .failure(Reason("the part after the @-sign must be a domain name with a dot"))
        }
        return .success(email)
    }

    /// Stripped and lowercased as the old service did both on register and on login, with
    /// Python's `email.strip().lower()`: so a login finds the account whatever case it is typed in.
    static func folded(_ raw: String) -> String { raw.pythonStripped.pythonLowercased }

    struct Reason: Error, Equatable {
        var text: String
        init(_ text: String) { self.text = text }
    }
}
