#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The client address that proxies in front of taskd report in `X-Forwarded-For`, read as
/// uvicorn (the old service's server) reads it. Each proxy appends the address it saw, so only
/// the entries on the right are written by proxies; whatever is left of them came from the
/// client and can say anything. The client is therefore the rightmost entry that is not a
/// loopback address (a proxy on this host); when every entry is loopback, the leftmost. Taking
/// the leftmost entry instead let any client behind a proxy pick a new address per login and
/// never meet the login rate limit.
struct ForwardedFor {
    /// The header's entries in order, from every `X-Forwarded-For` line, trimmed.
    let entries: [Substring]

    init(headerValues: [String]) {
        entries = headerValues.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { Substring(String($0).trimmedOfWhitespace) }
    }

    /// The client's host, without a port; nil when the header has no usable entry (an empty
    /// one where the client should be), so the socket peer counts instead.
    var clientHost: String? {
        guard let leftmost = entries.first else { return nil }
        let host = entries.reversed().lazy.map(Self.host(of:)).first { !Self.isLoopback($0) } ?? Self.host(of: leftmost)
        return host.isEmpty ? nil : String(host)
    }

    /// `1.2.3.4`, `1.2.3.4:80`, `::1`, `[::1]` and `[::1]:80` give their host; anything else is
    /// kept whole rather than guessed at.
    static func host(of entry: Substring) -> Substring {
        if entry.first == "[" {
            guard let end = entry.firstIndex(of: "]") else { return entry }
            let rest = entry[entry.index(after: end)...]
            return rest.isEmpty || rest.first == ":" ? entry[entry.index(after: entry.startIndex)..<end] : entry
        }
        let colons = entry.lazy.filter { $0 == ":" }.count
        if colons == 1, let colon = entry.firstIndex(of: ":") { return entry[..<colon] }
        return entry
    }

    /// 127.0.0.0/8, ::1, and IPv4-mapped 127.x.
    static func isLoopback(_ host: Substring) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, String(host), &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, String(host), &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
        return bytes == loopback || (Array(bytes[0..<12]) == mappedPrefix && bytes[12] == 127)
    }
}
