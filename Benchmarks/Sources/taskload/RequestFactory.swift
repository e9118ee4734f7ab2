import NIOCore

/// One connection's requests as the bytes that go on the wire: the same requests a client
/// library would send (Host, Authorization, Content-Type, Content-Length), written directly.
struct RequestFactory {
    let options: LoadOptions
    let host: String
    let user: Fixture.User?
    let worker: Int
    private var rng = SplitMix64()
    private var sequence = 0

    init(options: LoadOptions, host: String, user: Fixture.User?, worker: Int) {
        self.options = options
        self.host = host
        self.user = user
        self.worker = worker
    }

    var isMixed: Bool { options.scenario == "mixed" }

    /// The scenario's operation; `mixed` is 80% reads (list and get) and 20% writes.
    mutating func nextOperation() -> Operation {
        guard isMixed else { return Operation(rawValue: options.scenario)! }
        let roll = Int.random(in: 0..<10, using: &rng)
        return roll < 4 ? .list : roll < 8 ? .get : roll < 9 ? .create : .update
    }

    mutating func request(_ operation: Operation, into buffer: inout ByteBuffer) {
        defer { sequence += 1 }
        switch operation {
        case .path:
            write("GET", options.path, into: &buffer)
        case .list:
            write("GET", "/tasks?limit=20", authorized: true, into: &buffer)
        case .get:
            write("GET", "/tasks/" + randomTaskID(), authorized: true, into: &buffer)
        case .create:
            let body = #"{"title":"Load task \#(worker)-\#(sequence)","description":"Collect numbers from finance and summarise the main trends.","priority":"high","category_name":"Load"}"#
            write("POST", "/tasks", authorized: true, body: body, into: &buffer)
        case .update:
            let body = #"{"title":"Updated \#(worker)-\#(sequence)","status":"\#(["todo", "in_progress", "done"][sequence % 3])"}"#
            write("PATCH", "/tasks/" + randomTaskID(), authorized: true, body: body, into: &buffer)
        case .login:
            write("POST", "/auth/login", body: #"{"email":"\#(user!.email)","password":"\#(options.password)"}"#, into: &buffer)
        }
    }

    private mutating func randomTaskID() -> String {
        user!.taskIDs.randomElement(using: &rng)!
    }

    private func write(_ method: String, _ path: String, authorized: Bool = false, body: String? = nil, into buffer: inout ByteBuffer) {
        buffer.writeString(method)
        buffer.writeString(" ")
        buffer.writeString(path)
        buffer.writeString(" HTTP/1.1\r\nHost: ")
        buffer.writeString(host)
        if authorized {
            buffer.writeString("\r\nAuthorization: Bearer ")
            buffer.writeString(user!.token)
        }
        if let body {
            buffer.writeString("\r\nContent-Type: application/json\r\nContent-Length: ")
            buffer.writeString(String(body.utf8.count))
            buffer.writeString("\r\n\r\n")
            buffer.writeString(body)
        } else {
            buffer.writeString("\r\n\r\n")
        }
    }
}

enum Operation: String, CaseIterable, Sendable {
    case list, get, create, update, login, path
}
