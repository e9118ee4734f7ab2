import NIOCore

/// One keep-alive connection's requests, one at a time, driven on its event loop with no task
/// hops. Closed loop: the next request goes out as soon as the last is answered. Open loop:
/// requests are due every `interval`; each latency counts from when it was due, so a server
/// that stalls is charged for the requests it kept waiting (no coordinated omission).
final class LoadConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Schedule: Sendable {
        /// Responses to requests sent (or due) before this are warm-up and not recorded.
        var recordFrom: NIODeadline
        /// No request is sent (or due) from here on.
        var end: NIODeadline
        /// Open loop: the time between this connection's requests; nil runs closed loop.
        var interval: TimeAmount?
    }

    /// What a connection hands back when it closes: its figures, and where its request stream
    /// stands, so a replacement connection carries on from there.
    struct Outcome: Sendable {
        var result: LoadResult
        var requests: RequestFactory
        var due: NIODeadline
    }

    private let schedule: Schedule
    private var requests: RequestFactory
    private var due: NIODeadline
    private var framer = ResponseFramer()
    private var result = LoadResult()
    private var inFlight: (operation: Operation, measuredFrom: NIODeadline)?
    private let closed: EventLoopPromise<Outcome>

    init(schedule: Schedule, requests: RequestFactory, due: NIODeadline, closed: EventLoopPromise<Outcome>) {
        self.schedule = schedule
        self.requests = requests
        self.due = due
        self.closed = closed
    }

    func channelActive(context: ChannelHandlerContext) {
        sendNext(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        framer.append(unwrapInboundIn(data))
        do {
            while let status = try framer.next() {
                guard let (operation, measuredFrom) = inFlight else {
                    throw ResponseFramer.FramingError.malformed("a response nobody asked for")
                }
                inFlight = nil
                if measuredFrom >= schedule.recordFrom {
                    let elapsed = NIODeadline.now() - measuredFrom
                    result.record(operation, status: status, microseconds: elapsed.nanoseconds / 1000, perOperation: requests.isMixed)
                }
                sendNext(context: context)
            }
        } catch {
            result.protocolErrors.append("\(error)")
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Closed while a request was out: the server dropped it, which is a failed request.
        if let inFlight, inFlight.measuredFrom >= schedule.recordFrom { result.errors += 1 }
        inFlight = nil
        closed.succeed(Outcome(result: result, requests: requests, due: due))
    }

    private func sendNext(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        guard let interval = schedule.interval else {
            guard now < schedule.end else { return context.close(promise: nil) }
            return send(context: context, measuredFrom: now)
        }
        guard due < schedule.end else { return context.close(promise: nil) }
        if now < due {
            context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
                guard context.channel.isActive else { return }
                send(context: context, measuredFrom: due)
                due = due + interval
            }
        } else {
            send(context: context, measuredFrom: due)
            due = due + interval
        }
    }

    private func send(context: ChannelHandlerContext, measuredFrom: NIODeadline) {
        let operation = requests.nextOperation()
        var buffer = context.channel.allocator.buffer(capacity: 512)
        requests.request(operation, into: &buffer)
        inFlight = (operation, measuredFrom)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }
}
