import Foundation
import Crypto
import Hummingbird
import HTTPTypes
import TaskStore

/// What the routes share: the store and the credential machinery.
struct APIServices: Sendable {
    let store: TaskStore
    let configuration: APIConfiguration
    let accessTokens: AccessTokens
    let passwords: PasswordHasher
    let loginLimiter: LoginRateLimiter?

    init(store: TaskStore, configuration: APIConfiguration) async throws {
        self.store = store
        self.configuration = configuration
        accessTokens = AccessTokens(key: SymmetricKey(data: configuration.jwtSecret), lifetime: configuration.accessTokenLifetime, clock: configuration.clock)
        passwords = try await PasswordHasher.make(cost: UInt8(configuration.bcryptCost))
        loginLimiter = configuration.loginRateLimit > 0 ? LoginRateLimiter(limit: configuration.loginRateLimit, clock: configuration.clock) : nil
    }

    /// The user an `Authorization: Bearer` header speaks for; 401 otherwise, also for a valid
    /// token of a user with no account.
    func authenticatedUser(_ request: Request) throws -> UserID {
        guard let header = request.headers.firstValue(of: .authorization) else { throw APIError.notAuthenticated }
        // "Bearer <token>", the scheme in any case; bytes, not Foundation strings (a hot path).
        let utf8 = header.utf8
        guard utf8.count > 7, utf8.prefix(7).elementsEqual("bearer ".utf8, by: { $0 | 0x20 == $1 }) else { throw APIError.notAuthenticated }
        let token = String(Substring(header.utf8.dropFirst(7).drop { $0 == UInt8(ascii: " ") }))
        guard !token.isEmpty else { throw APIError.notAuthenticated }
        guard let userID = accessTokens.verify(token), store.isRegistered(userID) else { throw APIError.invalidCredentials }
        return userID
    }

    /// Runs a store operation, mapping what the engine refuses to HTTP statuses.
    func perform<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as DomainError {
            throw APIError(error)
        } catch is StorageError {
            throw APIError.storageUnavailable
        }
    }
}

/// A JSON response whose body `write` produces. `capacity`: the bytes it will likely take
/// (`bytesPerTask` a task), so that a page is written without regrowing its buffer 5 or 6 times.
func jsonResponse(
    _ status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], capacity: Int = JSONWriter.bytesPerTask, _ write: (inout JSONWriter) -> Void
) -> Response {
    var writer = JSONWriter(capacity: capacity)
    write(&writer)
    var headers = headers
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: writer.byteBuffer))
}
