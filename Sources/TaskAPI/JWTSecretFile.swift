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
    public static func loadOrCreate(in directory: String) throws -> [UInt8] {
        let path = "\(directory)/jwt-secret"
        let contents: [UInt8]
        do {
            contents = try POSIXFileSystem().readFile(path)
        } catch .io(_, _, let code) where code == ENOENT {
            return try create(at: path, in: directory)
        } catch {
            throw ValidationFailure("cannot read the signing key: \(error); fix it, or remove it to make a new one (logging everyone out)")
        }
        let text = String(decoding: contents, as: UTF8.self)
        guard let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32 else {
            throw ValidationFailure("\(path) does not hold a base64 key of at least 32 bytes; remove it to make a new one (logging everyone out)")
        }
        return Array(key)
    }

    private static func create(at path: String, in directory: String) throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let temporary = path + ".tmp"
        unlink(temporary)  // what a crash during an earlier first start left
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ValidationFailure("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let text = Array((Data(key).base64EncodedString() + "\n").utf8)
        let written = write(fd, text, text.count) == text.count && fsync(fd) == 0
        let code = errno
        close(fd)
        guard written else { throw ValidationFailure("cannot write \(temporary): \(String(cString: strerror(code)))") }
        guard rename(temporary, path) == 0 else { throw ValidationFailure("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))") }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0, fsync(directoryFD) == 0 else {
            let code = errno
            if directoryFD >= 0 { close(directoryFD) }
            throw ValidationFailure("cannot sync \(directory): \(String(cString: strerror(code)))")
        }
        close(directoryFD)
        return key
    }

    public struct ValidationFailure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
