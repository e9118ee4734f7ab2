import Foundation
import Hummingbird
import HTTPTypes
import TaskStore

/// `/auth/*` and `/users/me`.
struct AuthController {
    let services: APIServices

    var routes: [APIRoute] {
        [
            APIRoute(.post, "/auth/register", register),
            APIRoute(.post, "/auth/login", login),
            APIRoute(.post, "/auth/refresh", refresh),
            APIRoute(.post, "/auth/logout", logout),
            APIRoute(.get, "/users/me", me),
        ]
    }

    private var store: TaskStore { services.store }

    @Sendable func register(_ request: Request, context: TaskRequestContext) async throws -> Response {
        var fields = FieldReader(try await RequestBody.json(of: request))
        var email = fields.requiredText("email")
        if let raw = email { email = self.email(&fields, raw) }
        var password = fields.requiredText("password")
        if let raw = password { password = self.password(&fields, raw) }
        let fullName = fields.nullableText("full_name", maxLength: 100)
        try fields.finish()
        guard let email, let password else { preconditionFailure("finish() throws for missing fields") }
        // Refuse a taken email before paying for a hash; `register` checks again atomically.
        if try await services.perform({ try await store.acknowledged(await store.accounts.read { $0.user(withEmail: email) != nil }) }) {
            throw APIError(DomainError.emailTaken)
        }
        let hash = try await services.passwords.hash(password)
        let user = try await services.perform {
            try await store.acknowledged(await store.accounts.register(email: email, passwordHash: hash, fullName: fullName.value ?? nil))
        }
        return jsonResponse(.created) { $0.user(user) }
    }

    @Sendable func login(_ request: Request, context: TaskRequestContext) async throws -> Response {
        var headers: HTTPFields = [:]
        if let limiter = services.loginLimiter {
            let decision = await limiter.attempt(by: clientAddress(request, context))
            headers[HTTPField.Name("X-RateLimit-Limit")!] = String(decision.limit)
            headers[HTTPField.Name("X-RateLimit-Remaining")!] = String(decision.remaining)
            headers[HTTPField.Name("X-RateLimit-Reset")!] = String(decision.resetSeconds)
            guard decision.allowed else {
                headers[.retryAfter] = String(decision.resetSeconds)
                throw APIError(.tooManyRequests, "Rate limit exceeded: \(decision.limit) per 1 minute", headers: headers)
            }
        }
        do {
            let (email, password) = try await credentials(of: request)
            let user = try await services.perform { try await store.acknowledged(await store.accounts.read { $0.user(withEmail: email) }) }
            guard try await services.passwords.verify(password, against: user?.passwordHash), let user else {
                throw APIError.unauthorized("Incorrect email or password")
            }
            return try await issueTokens(for: user.id, headers: headers)
        } catch var error as APIError {
            for field in headers { error.headers.append(field) }
            throw error
        }
    }

    @Sendable func refresh(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let presented = try await refreshToken(of: request)
        let next = RefreshTokens.generate()
        let outcome = try await services.perform {
            try await store.acknowledged(
                await store.accounts.rotateRefreshToken(
                    presented: RefreshTokens.digest(of: presented), next: RefreshTokens.digest(of: next), expiresAt: refreshExpiry()))
        }
        guard case .rotated(let userID) = outcome else { throw APIError.unauthorized("Invalid refresh token") }
        return tokenResponse(for: userID, refreshToken: next, headers: [:])
    }

    @Sendable func logout(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let presented = try await refreshToken(of: request)
        _ = try await services.perform {
            try await store.acknowledged(await store.accounts.revokeRefreshToken(presented: RefreshTokens.digest(of: presented)))
        }
        return Response(status: .noContent)
    }

    @Sendable func me(_ request: Request, context: TaskRequestContext) async throws -> Response {
        let userID = try services.authenticatedUser(request)
        guard let user = try await services.perform({ try await store.acknowledged(await store.accounts.read { $0.users[userID] }) }) else {
            throw APIError.invalidCredentials
        }
        return jsonResponse { $0.user(user) }
    }

    // MARK: Pieces

    private func issueTokens(for userID: UserID, headers: HTTPFields) async throws -> Response {
        let refreshToken = RefreshTokens.generate()
        _ = try await services.perform {
            try await store.acknowledged(
                await store.accounts.startRefreshFamily(for: userID, digest: RefreshTokens.digest(of: refreshToken), expiresAt: refreshExpiry()))
        }
        return tokenResponse(for: userID, refreshToken: refreshToken, headers: headers)
    }

    private func tokenResponse(for userID: UserID, refreshToken: String, headers: HTTPFields) -> Response {
        jsonResponse(headers: headers) {
            $0.tokenPair(access: services.accessTokens.issue(for: userID), refresh: refreshToken, expiresIn: services.configuration.accessTokenLifetime)
        }
    }

    private func refreshExpiry() -> Timestamp { services.configuration.clock().adding(seconds: services.configuration.refreshTokenLifetime) }

    private func refreshToken(of request: Request) async throws -> String {
        var fields = FieldReader(try await RequestBody.json(of: request))
        let token = fields.requiredText("refresh_token")
        try fields.finish()
        return token!
    }

    /// The socket peer, or the client that `X-Forwarded-For` reports when that is trusted.
    private func clientAddress(_ request: Request, _ context: TaskRequestContext) -> String {
        if services.configuration.trustForwardedFor,
            let client = ForwardedFor(headerValues: request.headers[values: HTTPField.Name("X-Forwarded-For")!]).clientHost
        {
            return client
        }
        return context.peerAddress ?? "unknown"
    }

    /// Email (or OAuth2 `username`) and password, from JSON or a form (urlencoded or multipart).
    private func credentials(of request: Request) async throws -> (String, String) {
        let bytes = try await RequestBody.bytes(of: request)
        let mediaType = RequestBody.mediaType(of: request)
        var fields: FieldReader
        let emailField: String
        if mediaType == .urlencodedForm || mediaType == .multipartForm {
            let form =
                mediaType == .multipartForm
                ? try MultipartForm.parse(bytes, contentType: request.headers.firstValue(of: .contentType) ?? "") : try FormFields.parse(bytes)
            fields = FieldReader(form)
            emailField = "username"
            if let grantType = fields.value("grant_type"), grantType != .string("password") {
                fields.report("string_pattern_mismatch", "grant_type", "String should match pattern '^password$'", input: grantType, ctx: [("pattern", .string("^password$"))])
            }
        } else {
            if let mediaType, !mediaType.isJSON {
                throw APIError(.unsupportedMediaType, "Unsupported Media Type: send application/json or a form")
            }
            fields = FieldReader(try RequestBody.jsonObject(bytes, model: "LoginRequest", maximumDepth: JSONParser.loginMaximumDepth))
            emailField = "email"
        }
        let email = fields.requiredText(emailField)
        let password = fields.requiredText("password")
        try fields.finish()
        return (EmailAddress.folded(email!), password!)
    }

    private func email(_ fields: inout FieldReader, _ raw: String) -> String? {
        switch EmailAddress.normalize(raw) {
        case .success(let email): return email
        case .failure(let reason):
            fields.report(
                "value_error", "email", "value is not a valid email address: \(reason.text)", input: fields.value("email"),
                ctx: [("reason", .string(reason.text))])
            return nil
        }
    }

    /// 8 to 72 bytes of UTF-8: bcrypt reads 72, and a longer password is refused, not cut.
    private func password(_ fields: inout FieldReader, _ password: String) -> String? {
        let size = password.utf8.count
        if size < 8 {
            fields.report("string_too_short", "password", "Password should have at least 8 bytes of UTF-8", input: fields.value("password"), ctx: [("min_length", .number("8"))])
            return nil
        }
        if size > PasswordHasher.maximumBytes {
            let maximum = String(PasswordHasher.maximumBytes)
            fields.report(
                "string_too_long", "password", "Password should have at most \(maximum) bytes of UTF-8", input: fields.value("password"),
                ctx: [("max_length", .number(maximum))])
            return nil
        }
        return password
    }
}
