import Synchronization

/// Set once the server listens: a failure before it is one to listen on the address asked for
/// (a port in use, a host not on this machine), and the log says so, naming the address.
final class ListeningFlag: Sendable {
    private let listening = Atomic<Bool>(false)

    func set() { listening.store(true, ordering: .releasing) }

    var isSet: Bool { listening.load(ordering: .acquiring) }
}
