import NIOCore

/// A `TaskExecutor` that runs jobs on one NIO event loop.
///
/// A connection's requests run with this as their task executor preference, so the request,
/// its handler, the user actor it calls (a default actor runs on its caller's preferred
/// executor) and the response all stay on the thread that owns the socket, instead of hopping
/// to Swift's cooperative pool and back for every request.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
