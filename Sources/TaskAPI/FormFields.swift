import Foundation

/// `application/x-www-form-urlencoded` bodies, as a JSON object of strings (the last value of
/// a repeated name wins), so form fields validate like JSON ones.
enum FormFields {
    static func parse(_ bytes: [UInt8]) -> JSONValue {
        let text = String(decoding: bytes, as: UTF8.self)
        var members: [(String, JSONValue)] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            members.append((name, .string(value)))
        }
        return .object(members)
    }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
