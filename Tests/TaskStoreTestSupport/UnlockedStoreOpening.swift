import Foundation
import TaskStore

/// Opens a store on a data directory that a store of this test may have closed a moment ago.
/// The crash tests in this process spawn `taskd`; from its clone until its exec a child holds
/// a copy of every descriptor the tests have open, a data directory's `LOCK` among them, and
/// with it that directory's `flock`. An open in that window finds the directory locked (a
/// power-cut test failed so; a C loop that opens and closes a lock beside a thread spawning
/// `/bin/true` found it held in 352 of 20,000 opens). So a locked directory is tried again
/// for up to 2 seconds, far beyond any spawn: a lock still held then is a real one. The same
/// holds for anything else that locks the directory, such as `WALRepair`.
public enum UnlockedStoreOpening {
    public static func open(_ open: () throws -> TaskStore) throws -> TaskStore { try retrying(open) }

    /// `body`, tried again for up to 2 seconds while it finds the data directory locked.
    public static func retrying<Result>(_ body: () throws -> Result) throws -> Result {
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            do {
                return try body()
            } catch StorageError.dataDirectoryLocked where ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
    }
}
