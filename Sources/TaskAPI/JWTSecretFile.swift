import Foundation

/// The HS256 key kept in the data directory: made on first start (256 random bits, mode
/// 0600), read on every later one, so tokens survive restarts.
public enum JWTSecretFile {
    public static func loadOrCreate(in directory: String) throws -> [UInt8] {
        let path = "\(directory)/jwt-secret"
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            guard let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32 else {
                throw ValidationFailure("\(path) does not hold a base64 key of at least 32 bytes; remove it to make a new one (logging everyone out)")
            }
            return Array(key)
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ValidationFailure("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let text = Array((Data(key).base64EncodedString() + "\n").utf8)
        guard write(fd, text, text.count) == text.count, fsync(fd) == 0 else {
            throw ValidationFailure("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return key
    }

    public struct ValidationFailure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
