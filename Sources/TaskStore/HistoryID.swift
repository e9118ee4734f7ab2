/// Names the history a data directory's change sequences belong to, so that a `/sync` cursor
/// from a history that was rewound is told apart from one of the same number today. `taskd
/// restore` and a `taskd wal repair` that changed anything give the directory a new one: the
/// positions after the backup or the cut are handed out again, to other changes.
public enum HistoryID {
    static let fileName = "history-id"

    /// The directory's id, made (and kept) on first use. A file that does not hold one is
    /// replaced: every cursor is then refused once, which costs clients a full sync, not data.
    static func loadOrCreate(in directory: String, fileSystem: any FileSystem) throws(StorageError) -> String {
        let path = "\(directory)/\(fileName)"
        if fileSystem.fileExists(path), let id = parse(try fileSystem.readFile(path)) { return id }
        return try renew(in: directory, fileSystem: fileSystem)
    }

    /// Writes a new id.
    @discardableResult
    static func renew(in directory: String, fileSystem: any FileSystem) throws(StorageError) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        let id = String(decoding: (0..<16).map { _ in digits[Int.random(in: 0..<16, using: &generator)] }, as: UTF8.self)
        try fileSystem.replaceDurably(fileName, in: directory, with: Array((id + "\n").utf8))
        return id
    }

    /// 16 lowercase hexadecimal digits.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 16
            && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// The id a file holds: the id, then a newline or nothing.
    static func parse(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes.last == UInt8(ascii: "\n") ? bytes.dropLast() : bytes[...], as: UTF8.self)
        return isWellFormed(text) ? text : nil
    }
}
