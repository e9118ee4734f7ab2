import Dispatch
import Foundation

/// Resolves on the first SIGINT or SIGTERM.
enum ShutdownSignal {
    static func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "taskd.signals")
            let once = Once(continuation)
            once.sources = [SIGINT, SIGTERM].map { signalNumber in
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { once.fire() }
                source.resume()
                return source
            }
        }
    }

    /// Resumes the continuation once, however many signals arrive. Its sources hold it through
    /// their handlers and it holds them, so both live as long as the process.
    private final class Once: @unchecked Sendable {
        var sources: [any DispatchSourceSignal] = []
        private var continuation: CheckedContinuation<Void, Never>?
        private let lock = NSLock()
        init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }
        func fire() {
            lock.lock()
            let pending = continuation
            continuation = nil
            lock.unlock()
            pending?.resume()
        }
    }
}
