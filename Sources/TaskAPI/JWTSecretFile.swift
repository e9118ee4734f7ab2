import Foundation
import TaskStore

/// The HS256 key kept in the data directory: made on first start (256 random bits, mode
/// 0600), read on every later one, so tokens survive restarts. Made whole or not at all: it is
/// written to `jwt-secret.tmp`, synced, and renamed into place. Written in place, a power cut
/// during a first start could leave an empty `jwt-secret` on disk, which every later start
/// refused until someone removed it.
///
/// Only a missing file is made anew: one that is there but cannot be read (its mode, its bytes)
/// stops the start, where replacing it would silently log everyone out.
public enum JWTSecretFile {
    private static let fileName = "jwt-secret"

    public static func loadOrCreate(in directory: String) throws -> [UInt8] {
        let path = "\(directory)/\(fileName)"
        let contents: [UInt8]
        do {
            contents = try POSIXFileSystem().readFile(path)
        } catch .io(_, _, let code) where code == ENOENT {
            return try create(in: directory)
        } catch {
            throw ValidationFailure("cannot read the signing key: \(error); fix it, or remove it to make a new one (logging everyone out)")
        }
        let text = String(decoding: contents, as: UTF8.self)
        guard let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32 else {
            throw ValidationFailure("\(path) does not hold a base64 key of at least 32 bytes; remove it to make a new one (logging everyone out)")
        }
        return Array(key)
    }

    private static func create(in directory: String) throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        do {
            try POSIXFileSystem().replaceDurably(fileName, in: directory, with: Array((Data(key).base64EncodedString() + "\n").utf8), mode: 0o600)
        } catch {
            throw ValidationFailure("cannot make the signing key: \(error)")
        }
        return key
    }

    public struct ValidationFailure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
