import Hummingbird
import Logging

/// Wraps every request: turns any error into the API's one JSON shape (so nothing escapes as a
/// 500 page), then logs one line (method, route, status, duration; never a header or body,
/// so never a password or token) and records the request's metrics.
struct RequestObserver: RouterMiddleware {
    typealias Context = TaskRequestContext
    let metrics: APIMetrics
    let methods: MethodNotAllowed

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var route = context.endpointPath ?? "unmatched"
        let response: Response
        if let (answer, answeredRoute) = SlashPolicy(paths: methods).answer(for: request) {
            response = answer
            route = answeredRoute
        } else {
            response = await routed(request, context: context, next: next, route: &route)
        }
        let duration = ContinuousClock.now - start
        metrics.recordRequest(method: request.method.rawValue, route: route, status: response.status.code, duration: duration)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "route": "\(route)", "status": "\(response.status.code)",
                "duration_ms": "\(duration.millisecondsText)",
            ])
        return response
    }

    /// The route's answer, any error turned into the API's shape; `route` becomes the known path
    /// of a 405.
    private func routed(_ request: Request, context: Context, next: (Request, Context) async throws -> Response, route: inout String) async -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as HTTPError where error.status == .notFound {
            guard let (methodError, knownRoute) = methods.error(for: request) else { return APIError(.notFound, "Not Found").response }
            route = knownRoute
            return methodError.response
        } catch let error as HTTPError {
            return APIError(error.status, error.status.reasonPhrase, headers: error.headers).response
        } catch {
            context.logger.error("unexpected error answering a request", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return APIError(.internalServerError, "Internal Server Error").response
        }
    }
}
