import Synchronization

/// Finds a user's actor, creating it (with an empty state) on first use.
final class UserActorRegistry: Sendable {
    private let actors: Mutex<[UserID: UserActor]>

    init(_ actors: [UserID: UserActor]) { self.actors = Mutex(actors) }

    func actor(for id: UserID, orMake make: () -> UserActor) -> UserActor {
        actors.withLock { actors in
            if let existing = actors[id] { return existing }
            let created = make()
            actors[id] = created
            return created
        }
    }

    var all: [UserActor] { actors.withLock { Array($0.values) } }
}
