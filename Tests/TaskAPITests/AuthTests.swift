import TaskStoreTestSupport
import Foundation
import HTTPTypes
import Testing
import Crypto
import TaskStore
@testable import TaskAPI

@Suite struct AuthTests {
    @Test func registerNormalizesTheEmailAndNeverShowsThePassword() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let reply = try await api.send(.post, "/auth/register", json: #"{"email":"  Ada@Example.COM ","password":"correct horse","full_name":"Ada L"}"#)
            #expect(reply.status == .created)
            #expect(Set(reply.object.keys) == ["id", "email", "full_name", "created_at"])
            #expect(reply.object["email"] as? String == "ada@example.com")
            #expect(reply.object["created_at"] as? String == "2026-11-18T11:06:40.001Z")
            #expect(!reply.body.contains("correct horse") && !reply.body.contains("$2"))
            let duplicate = try await api.send(.post, "/auth/register", json: #"{"email":"ADA@example.com","password":"another one"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.detail == "Email already registered")
        }
    }

    @Test func registerListsEveryProblemAtItsLocation() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let reply = try await api.send(.post, "/auth/register", json: #"{"email":"no-at-sign","password":"short","full_name":5}"#)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.issues == ["value_error@body.email", "string_too_short@body.password", "string_type@body.full_name"])
            let tooLong = try await api.send(.post, "/auth/register", json: #"{"email":"a@b.co","password":"\#(String(repeating: "é", count: 37))"}"#)
            #expect(tooLong.issues == ["string_too_long@body.password"], "74 bytes is refused, not truncated")
            let missing = try await api.send(.post, "/auth/register", json: "{}")
            #expect(missing.issues == ["missing@body.email", "missing@body.password"])
            let nul = try await api.send(.post, "/auth/register", json: #"{"email":"a@b.co","password":"pass\u0000word1"}"#)
            #expect(nul.issues == ["string_nul@body.password"])
            let hundred = String(repeating: "é", count: 100)
            let longName = try await api.send(.post, "/auth/register", json: #"{"email":"a@b.co","password":"password1","full_name":"\#(hundred)x"}"#)
            #expect(longName.issues == ["string_too_long@body.full_name"] && longName.messages == ["String should have at most 100 characters"])
            let longestName = try await api.send(.post, "/auth/register", json: #"{"email":"a@b.co","password":"password1","full_name":"\#(hundred)"}"#)
            #expect(longestName.status == .created && longestName.object["full_name"] as? String == hundred)
        }
    }

    /// Login finds the account as register stored it (email trimmed and lowercased, as the old
    /// service's `email.strip().lower()`), but checks the password byte for byte: its spaces count.
    @Test func loginNormalizesTheEmailButNotThePassword() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            _ = try await api.signUp("spaced@example.com", password: " padded pass ")
            let untidy = try await api.send(.post, "/auth/login", json: #"{"email":" \tSpaced@EXAMPLE.com\n","password":" padded pass "}"#)
            #expect(untidy.status == .ok)
            let trimmed = try await api.send(.post, "/auth/login", json: #"{"email":"spaced@example.com","password":"padded pass"}"#)
            #expect(trimmed.status == .unauthorized && trimmed.detail == "Incorrect email or password")
        }
    }

    /// An email is stripped and lowercased as Python did it for the old service, then compared
    /// by its exact text: login finds "ΟΔΟΣ" as "οδος" (a final sigma), and "é" and "e" with a
    /// combining accent are two accounts, each found by its own spelling.
    @Test func emailsAreFoldedAndComparedAsTheOldServiceDidIt() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let greek = try await api.send(.post, "/auth/register", json: #"{"email":"\u001fΟΔΟΣ@Example.com","password":"password1"}"#)
            #expect(greek.status == .created && greek.object["email"] as? String == "οδος@example.com")
            for typed in ["ΟΔΟΣ@EXAMPLE.COM", "οδος@example.com", "\\u001cοδος@example.com "] {
                let login = try await api.send(.post, "/auth/login", json: #"{"email":"\#(typed)","password":"password1"}"#)
                #expect(login.status == .ok, "\(typed)")
            }
            var ids: [String] = []
            for email in ["\u{E9}@example.com", "e\u{301}@example.com"] {
                let (token, _) = try await api.signUp(email, password: "password1")
                ids.append(try await api.send(.get, "/users/me", token: token).object["id"] as? String ?? "")
            }
            #expect(Set(ids).count == 2)
        }
    }

    @Test func loginWithJSONOrAFormGivesATokenPair() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            _ = try await api.signUp()
            let form = try await api.send(
                .post, "/auth/login", json: "username=ADA%40example.com&password=correct+horse&grant_type=password",
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(form.status == .ok)
            #expect(form.object["token_type"] as? String == "bearer" && form.object["expires_in"] as? Int == 900)
            let me = try await api.send(.get, "/users/me", token: form.object["access_token"] as? String)
            #expect(me.status == .ok && me.object["email"] as? String == "ada@example.com")
            // An invalid escape stays as it is and the valid ones around it are still decoded (Python's unquote_plus).
            _ = try await api.signUp("percent@example.com", password: "100%zzA b")
            let escaped = try await api.send(
                .post, "/auth/login", json: "username=percent%40example.com&password=100%zz%41+b", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(escaped.status == .ok)
            // Unescaped non-ASCII is UTF-8, as every body (the old service read it as Latin-1 and refused it).
            _ = try await api.signUp("umlaut@example.com", password: "pässword1")
            let unescaped = try await api.send(
                .post, "/auth/login", json: "username=umlaut%40example.com&password=pässword1", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(unescaped.status == .ok)
            let badGrant = try await api.send(
                .post, "/auth/login", json: "username=a&password=b&grant_type=implicit", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(badGrant.issues == ["string_pattern_mismatch@body.grant_type"])
            // Neither JSON nor a form: the old service's 415, in its words.
            let text = try await api.send(
                .post, "/auth/login", json: #"{"email":"ada@example.com","password":"correct horse"}"#, headers: [.contentType: "text/plain"])
            #expect(text.status == .unsupportedMediaType && text.detail == "Unsupported Media Type: send application/json or a form")
            // The old service validated login's JSON with Pydantic by hand: JSON that is not an
            // object was `model_type`, naming the model, where its other routes said `model_attributes_type`.
            let notAnObject = try await api.send(.post, "/auth/login", json: "[]")
            let issue = (notAnObject.object["detail"] as? [[String: Any]])?.first
            #expect(notAnObject.issues == ["model_type@body"])
            #expect(issue?["msg"] as? String == "Input should be a valid dictionary or instance of LoginRequest")
            #expect((issue?["ctx"] as? [String: Any])?["class_name"] as? String == "LoginRequest")
            #expect(try await api.send(.post, "/auth/register", json: "[]").issues == ["model_attributes_type@body"])
        }
    }

    /// FastAPI's OAuth2 form also took multipart bodies; each answer here was recorded from the
    /// service we replace.
    @Test func theLoginFormMayBeMultipart() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            _ = try await api.signUp()
            func part(_ name: String, _ value: String, _ extra: String = "") -> String {
                "--BND\r\nContent-Disposition: form-data; name=\"\(name)\"\(extra)\r\n\r\n\(value)\r\n"
            }
            func login(_ body: String, _ contentType: String = "multipart/form-data; boundary=BND") async throws -> APIClient.Reply {
                try await api.send(.post, "/auth/login", json: body, headers: [.contentType: contentType])
            }
            let both = part("username", "ada@example.com") + part("password", "correct horse")
            #expect(try await login(both + "--BND--\r\n").status == .ok)
            #expect(try await login(both + "--BND--\r\n", #"multipart/form-data; boundary="BND""#).status == .ok)
            #expect(try await login(both + "--BND--\r\n", "multipart/form-data").detail == "Missing boundary in multipart.")
            #expect(try await login("garbage").detail == "Invalid multipart data.")
            #expect(try await login(both.replacingOccurrences(of: "\r\n", with: "\n")).detail == "Invalid multipart data.")
            #expect(try await login("--BND\r\n\r\nvalue\r\n--BND--").detail == #"The Content-Disposition header field "name" must be provided."#)
            #expect(try await login(both).issues == ["missing@body.password"], "a part cut off before its boundary is dropped")
            let withFile = try await login(part("username", "ada@example.com") + part("password", "correct horse", #"; filename="p.txt""#) + "--BND--")
            #expect(withFile.issues == ["missing@body.password"])
            #expect(withFile.issueInputs == [["username": "ada@example.com"]], "a file part is not a field")
            let quote = try await login("--BND\r\nContent-Disposition: form-data; name=\"\r\n\r\nx\r\n" + part("username", "ada@example.com") + "--BND--\r\n")
            #expect(quote.issueInputs == [["\"": "x", "username": "ada@example.com"]], "a lone quote is not a quoted value")
            #expect(try await login(both + "--BND--\r\n", "multipart/form-data; boundary=other; boundary=BND").status == .ok)
            #expect(try await login(both + "--BND--\r\n", "multipart/form-data; boundary=BND; boundary=other").detail == "Invalid multipart data.")
            #expect(try await login("").issues == ["missing@body.username", "missing@body.password"])
            #expect(try await login(part("username", "ada@example.com") + part("password", "wrong horse") + "--BND--").status == .unauthorized)
            // The boundary is the field's bytes as sent, which the old service matched byte for byte.
            #expect(try await login(both.replacingOccurrences(of: "--BND", with: "--bä") + "--bä--", "multipart/form-data; boundary=bä").status == .ok)
            // Only spaces and tabs are trimmed from the type: with a no-break space it is no form.
            #expect(try await login(both + "--BND--", "multipart/form-data\u{A0}; boundary=BND").status == .unsupportedMediaType)
        }
    }

    /// The old service's form parser took 1,000 fields and answered more with a 400 (its
    /// words), urlencoded as multipart; empty chunks (`&&`) are not fields.
    @Test func aLoginFormHoldsAtMostAThousandFields() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            _ = try await api.signUp()
            func login(_ body: String) async throws -> APIClient.Reply {
                try await api.send(.post, "/auth/login", json: body, headers: [.contentType: "application/x-www-form-urlencoded"])
            }
            let credentials = "username=ada%40example.com&password=correct+horse"
            let others = (0..<998).map { "f\($0)=v" }.joined(separator: "&")
            #expect(try await login(others + "&&&" + credentials).status == .ok)
            let tooMany = try await login(others + "&f=v&" + credentials)
            #expect(tooMany.status == .badRequest)
            #expect(tooMany.detail == "Too many fields. Maximum number of fields is 1000.")
        }
    }

    /// A repeated form field is one field, its last value, as the service we replace held forms
    /// (a dict): its 422 echoed `{"username":"b"}` for both of these bodies.
    @Test func aRepeatedFormFieldIsEchoedOnceWithItsLastValue() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let multipart = "--B\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\na\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nb\r\n--B--\r\n"
            for (body, contentType) in [("username=a&username=b", "application/x-www-form-urlencoded"), (multipart, "multipart/form-data; boundary=B")] {
                let reply = try await api.send(.post, "/auth/login", json: body, headers: [.contentType: contentType])
                #expect(reply.issues == ["missing@body.password"], "\(contentType)")
                #expect(reply.issueInputs == [["username": "b"]] && reply.body.components(separatedBy: "username").count == 2, "\(contentType): \(reply.body)")
            }
            // Names compare by exact text: "e" with a combining accent and "é" are two fields.
            let twoSpellings = try await api.send(.post, "/auth/login", json: "e%CC%81=1&%C3%A9=2", headers: [.contentType: "application/x-www-form-urlencoded"])
            let input = #"{"e\#u{301}":"1","\#u{E9}":"2"}"#
            let expected = #"{"detail":[{"type":"missing","loc":["body","username"],"msg":"Field required","input":\#(input)},"#
                + #"{"type":"missing","loc":["body","password"],"msg":"Field required","input":\#(input)}]}"#
            #expect(Array(twoSpellings.body.utf8) == Array(expected.utf8), "recorded from the old service")
        }
    }

    @Test func aWrongPasswordAndAnUnknownEmailGetTheSame401() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            _ = try await api.signUp()
            let wrongPassword = try await api.send(.post, "/auth/login", json: #"{"email":"ada@example.com","password":"wrong password"}"#)
            let unknownEmail = try await api.send(.post, "/auth/login", json: #"{"email":"bob@example.com","password":"correct horse"}"#)
            for reply in [wrongPassword, unknownEmail] {
                #expect(reply.status == .unauthorized)
                #expect(reply.body == #"{"detail":"Incorrect email or password"}"#)
                #expect(reply.headers[.wwwAuthenticate] == "Bearer")
            }
        }
    }

    /// The limits are bytes of UTF-8, not characters: four two-byte letters are a password.
    @Test func aPasswordIsEightTo72BytesOfUTF8() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let passwords = ["1234567", "éééa", "12345678", "éééé", String(repeating: "x", count: 72), String(repeating: "é", count: 36), String(repeating: "x", count: 73)]
            var statuses: [HTTPResponse.Status] = []
            for (index, password) in passwords.enumerated() {
                statuses.append(try await api.send(.post, "/auth/register", json: #"{"email":"user\#(index)@example.com","password":"\#(password)"}"#).status)
            }
            #expect(statuses == [.unprocessableContent, .unprocessableContent, .created, .created, .created, .created, .unprocessableContent])
        }
    }

    /// A login with an unknown email checks a password against a stand-in hash, so it takes
    /// what a wrong password takes and its timing does not tell which emails have accounts.
    /// At a cost where one check takes tens of milliseconds, skipping it could not hide; the
    /// two kinds alternate so that other tests' load falls on both, and the fastest of each
    /// is compared with room for the rest.
    @Test func anUnknownEmailTakesAsLongAsAWrongPassword() async throws {
        var harness = APIHarness()
        harness.bcryptCost = 10
        defer { harness.directory.remove() }
        try await harness.run { api in
            _ = try await api.signUp()
            let bodies = [
                #"{"email":"ada@example.com","password":"wrong password"}"#, #"{"email":"bob@example.com","password":"correct horse"}"#,
            ]
            var fastest: [Duration] = [.seconds(3600), .seconds(3600)]
            for _ in 0..<4 {
                for (kind, body) in bodies.enumerated() {
                    let start = ContinuousClock.now
                    #expect(try await api.send(.post, "/auth/login", json: body).status == .unauthorized)
                    fastest[kind] = min(fastest[kind], ContinuousClock.now - start)
                }
            }
            #expect(fastest[1] > fastest[0] / 4, "unknown email \(fastest[1]), wrong password \(fastest[0])")
        }
    }

    /// bcrypt reads 72 bytes. A login whose password has the account's 72 bytes and more is a
    /// wrong password, as in the old service, not the same one cut short.
    @Test func aLoginPasswordLongerThanBcryptReadsIsWrongEvenWithTheRightFirst72Bytes() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let password = String(repeating: "a", count: 70) + "é"  // 72 bytes of UTF-8
            _ = try await api.signUp(password: password)
            for longer in [password + "x", password + String(repeating: "b", count: 100)] {
                let reply = try await api.send(.post, "/auth/login", json: #"{"email":"ada@example.com","password":"\#(longer)"}"#)
                #expect(reply.status == .unauthorized && reply.detail == "Incorrect email or password", "\(longer.utf8.count) bytes")
            }
            let form = try await api.send(
                .post, "/auth/login", json: "username=ada%40example.com&password=\(String(repeating: "a", count: 70))%C3%A9zzz",
                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(form.status == .unauthorized)
            #expect(try await api.send(.post, "/auth/login", json: #"{"email":"ada@example.com","password":"\#(password)"}"#).status == .ok)
        }
    }

    @Test func accessTokensAreRefusedWhenMissingForgedOfAnotherAlgorithmOrExpired() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (access, _) = try await api.signUp()
            let missing = try await api.send(.get, "/users/me")
            #expect(missing.status == .unauthorized && missing.detail == "Not authenticated" && missing.headers[.wwwAuthenticate] == "Bearer")
            let parts = access.split(separator: ".")
            let noneHeader = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
            let hs384Header = Base64URL.encode(Array(#"{"alg":"HS384","typ":"JWT"}"#.utf8))
            for forged in ["garbage", "\(noneHeader).\(parts[1]).", "\(hs384Header).\(parts[1]).\(parts[2])", "\(parts[0]).\(parts[1]).AAAA"] {
                let reply = try await api.send(.get, "/users/me", token: forged)
                #expect(reply.status == .unauthorized && reply.detail == "Could not validate credentials", "\(forged)")
            }
            #expect(try await api.send(.get, "/users/me", token: access).status == .ok)
            harness.clock.advance(seconds: 901)
            #expect(try await api.send(.get, "/users/me", token: access).status == .unauthorized, "expired after 15 minutes")
        }
    }

    /// The Authorization header as FastAPI's `get_authorization_scheme_param` reads it (checked
    /// in the old service's venv): the scheme in any case, then the token after the first space,
    /// more spaces dropped; a scheme not followed by a space (a tab, nothing) is no Bearer token.
    @Test func theBearerSchemeIsReadAsTheOldServiceReadIt() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (access, _) = try await api.signUp()
            for header in ["bearer \(access)", "BEARER \(access)", "Bearer    \(access)"] {
                let reply = try await api.send(.get, "/users/me", headers: [.authorization: header])
                #expect(reply.status == .ok, "\(header.prefix(12))")
            }
            for header in ["Bearer\t\(access)", "Bearer", "Bearer    ", "Basic \(access)", "Bearer_\(access)"] {
                let reply = try await api.send(.get, "/users/me", headers: [.authorization: header])
                #expect(reply.status == .unauthorized && reply.detail == "Not authenticated", "\(header.prefix(12))")
            }
        }
    }

    /// A token that verifies but names no account: signed with this data directory's key for a
    /// user who registered after the backup it was restored from. As in the old service (which
    /// looked the user up on every request), every route refuses it; before, the task routes
    /// kept tasks for a user with no account, out of reach once the person registered again.
    @Test func aValidTokenForAUserWithNoAccountIsRefusedEverywhere() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            _ = try await api.signUp()
            let tokens = AccessTokens(key: SymmetricKey(data: harness.secret), lifetime: 900, clock: harness.clock.reading)
            let stranger = tokens.issue(for: UserID())
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/users/me", nil), (.get, "/tasks", nil), (.post, "/tasks", #"{"title":"t"}"#), (.get, "/tasks/\(UUID())", nil),
                (.get, "/categories", nil), (.post, "/categories", #"{"name":"Work"}"#), (.get, "/sync", nil),
            ]
            for (method, path, json) in requests {
                let reply = try await api.send(method, path, json: json, token: stranger)
                #expect(reply.status == .unauthorized && reply.detail == "Could not validate credentials", "\(method) \(path): \(reply.status)")
                #expect(reply.headers[.wwwAuthenticate] == "Bearer")
            }
        }
        let store = try harness.openStore()
        #expect(await store.taskCount() == 0, "nothing was written for the stranger")
        await store.close()
    }

    @Test func refreshRotatesAndReusingARotatedTokenRevokesTheLogin() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (_, first) = try await api.signUp()
            let rotated = try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(first)"}"#)
            #expect(rotated.status == .ok)
            let second = rotated.object["refresh_token"] as! String
            #expect(second != first)
            #expect(try await api.send(.get, "/users/me", token: rotated.object["access_token"] as? String).status == .ok)
            // The first token again: theft. It fails, and so does the token that replaced it.
            let reused = try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(first)"}"#)
            #expect(reused.status == .unauthorized && reused.detail == "Invalid refresh token")
            #expect(try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(second)"}"#).status == .unauthorized)
            #expect(try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"never-issued"}"#).status == .unauthorized)
        }
    }

    @Test func logoutRevokesTheLoginAndRefreshTokensExpire() async throws {
        let harness = APIHarness()
        defer { harness.directory.remove() }
        try await harness.run { api in
            let (_, refresh) = try await api.signUp()
            #expect(try await api.send(.post, "/auth/logout", json: #"{"refresh_token":"\#(refresh)"}"#).status == .noContent)
            #expect(try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#).status == .unauthorized)
            #expect(try await api.send(.post, "/auth/logout", json: #"{"refresh_token":"unknown"}"#).status == .noContent)
            let login = try await api.send(.post, "/auth/login", json: #"{"email":"ada@example.com","password":"correct horse"}"#)
            harness.clock.advance(seconds: 2_591_999)
            let refreshed = try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(login.object["refresh_token"] as! String)"}"#)
            #expect(refreshed.status == .ok, "a login's refresh token works for 30 days, long after its access token expired")
            harness.clock.advance(seconds: 2_591_999)
            let rotated = try #require(refreshed.object["refresh_token"] as? String)
            let renewed = try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(rotated)"}"#)
            #expect(renewed.status == .ok, "and so does each token a refresh gives")
            harness.clock.advance(seconds: 2_592_001)
            let late = try await api.send(.post, "/auth/refresh", json: #"{"refresh_token":"\#(renewed.object["refresh_token"] as! String)"}"#)
            #expect(late.status == .unauthorized, "refresh tokens live 30 days")
        }
    }
}

@Suite struct LoginRateLimitTests {
    @Test func theSixthLoginInAMinuteGets429WithRetryAfter() async throws {
        var harness = APIHarness()
        harness.loginRateLimit = 5
        defer { harness.directory.remove() }
        let clock = harness.clock
        try await harness.run { api in
            let body = #"{"email":"nobody@example.com","password":"whatever1"}"#
            for attempt in 1...5 {
                let reply = try await api.send(.post, "/auth/login", json: body)
                #expect(reply.status == .unauthorized)
                #expect(reply.headers[HTTPField.Name("X-RateLimit-Limit")!] == "5")
                #expect(reply.headers[HTTPField.Name("X-RateLimit-Remaining")!] == String(5 - attempt))
            }
            let limited = try await api.send(.post, "/auth/login", json: body)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.detail == "Rate limit exceeded: 5 per 1 minute")
            #expect(limited.headers[.retryAfter] == "60")
            clock.advance(seconds: 61)
            #expect(try await api.send(.post, "/auth/login", json: body).status == .unauthorized, "a new window")
        }
    }

    /// The limit is per client address: the socket peer's, as each connection comes from.
    @Test func eachClientAddressHasALimitOfItsOwn() async throws {
        var harness = APIHarness()
        harness.loginRateLimit = 2
        defer { harness.directory.remove() }
        try await harness.runLive { port, api in
            _ = try await api.signUp()
            func loginStatus(from source: String) async throws -> Substring {
                let connection = try RawConnection(port: port, from: source)
                defer { connection.close() }
                let body = #"{"email":"ada@example.com","password":"wrong password"}"#
                try connection.send(
                    "POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
                let reply = try await connection.read(for: .seconds(10))
                #expect(reply.closed, "answered and closed: \(reply.text)")
                return reply.text.split(separator: " ", maxSplits: 2).dropFirst().first ?? ""
            }
            var statuses: [Substring] = []
            for source in ["127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.3"] { statuses.append(try await loginStatus(from: source)) }
            #expect(statuses == ["401", "401", "429", "401"])
        }
    }

    @Test func forwardedForCountsOnlyWhenTrusted() async throws {
        for trusted in [false, true] {
            try await withOneLoginAMinute(trustingForwardedFor: trusted) { login in
                _ = try await login("10.0.0.1")
                #expect(try await login("10.0.0.2, 10.9.9.9") == (trusted ? .unauthorized : .tooManyRequests), "trusted: \(trusted)")
            }
        }
    }

    /// Behind a proxy that appends what it saw, a client can write anything to the left of it.
    @Test func aClientBehindAProxyCannotDodgeTheLimitByNamingAnotherAddress() async throws {
        try await withOneLoginAMinute(trustingForwardedFor: true) { login in
            _ = try await login("192.0.2.1, 203.0.113.7")
            #expect(try await login("192.0.2.2, 203.0.113.7") == .tooManyRequests)
            #expect(try await login("192.0.2.3, 203.0.113.7, 127.0.0.1") == .tooManyRequests, "through a second proxy on this host")
            #expect(try await login("203.0.113.8") == .unauthorized, "another client")
        }
    }

    /// A server that allows one login a minute per client; `login` sends a failing one with the
    /// given `X-Forwarded-For` and returns its status.
    private func withOneLoginAMinute(
        trustingForwardedFor trusted: Bool, _ body: @escaping @Sendable (_ login: (String) async throws -> HTTPResponse.Status) async throws -> Void
    ) async throws {
        var harness = APIHarness()
        harness.loginRateLimit = 1
        harness.trustForwardedFor = trusted
        defer { harness.directory.remove() }
        try await harness.run { api in
            try await body { forwardedFor in
                try await api.send(
                    .post, "/auth/login", json: #"{"email":"nobody@example.com","password":"whatever1"}"#,
                    headers: [HTTPField.Name("X-Forwarded-For")!: forwardedFor]
                ).status
            }
        }
    }

    @Test func fixedWindowsCountPerClient() {
        var limit = LoginRateLimit(limit: 2)
        let start = Timestamp(milliseconds: 0)
        #expect(limit.attempt(by: "a", at: start).allowed)
        #expect(limit.attempt(by: "a", at: start.adding(seconds: 10)).remaining == 0)
        let third = limit.attempt(by: "a", at: start.adding(seconds: 20))
        #expect(!third.allowed && third.resetSeconds == 40 && third.remaining == 0, "never negative")
        #expect(limit.attempt(by: "b", at: start.adding(seconds: 20)).allowed)
        #expect(limit.attempt(by: "a", at: start.adding(seconds: 60)).allowed)
    }

    @Test func manyClientsInOneMinuteAreSweptOncePerDoublingAndDroppedWhenTheirWindowsEnd() {
        var limit = LoginRateLimit(limit: 5)
        let start = Timestamp(milliseconds: 0)
        for client in 0..<50_000 { _ = limit.attempt(by: "10.0.\(client)", at: start) }
        // Every window is still running, so nothing can go; a sweep per attempt past the floor
        // would be 40,001 sweeps.
        #expect(limit.sweeps == 3)
        #expect(limit.clientsTracked == 50_000)
        #expect(limit.attempt(by: "10.0.7", at: start).remaining == 3)

        // A minute later the old windows have ended (to the millisecond): the next sweep drops them.
        let later = start.adding(seconds: 60)
        for client in 0..<40_000 { _ = limit.attempt(by: "10.1.\(client)", at: later) }
        #expect(limit.clientsTracked < 50_000)
        #expect(limit.attempt(by: "10.0.7", at: later).remaining == 4)
    }
}

import TaskStore
