import NIOCore
import Vapor

/// Runs a request's async code on the request's own event loop: the loop that also
/// completes its database calls. Without it, every database answer wakes a thread of
/// Swift's global pool to resume the handler, and under load those wake-ups queue behind
/// every other request — a write transaction then holds its lock for milliseconds that
/// are all waiting (measured: 3 ms held for 0.2 ms of SQL).
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension EventLoop {
    /// Runs `body` in a new task that prefers this loop, and completes the future with it.
    ///
    /// Vapor's own bridges (`AsyncMiddleware`, async route closures) start each step in
    /// `Task {}`, which does not inherit a task executor preference: every middleware and
    /// every handler ran on Swift's global pool, so each database call on SQLite hopped
    /// to the loop and back, and each answer woke the loop again (`eventfd_write`, thread
    /// switches: a tenth of a read's CPU in `perf`). Started here, the whole request stays
    /// on its loop. Work that takes long without waiting (rendering a PDF, checking a
    /// password, checking a big file's rows) is sent elsewhere by the code that does it
    /// (`HeavyWork`, `NIOThreadPool`).
    func onLoopTask<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> EventLoopFuture<T> {
        let promise = makePromise(of: T.self)
        Task(executorPreference: EventLoopTaskExecutor(self)) {
            do { promise.succeed(try await body()) } catch { promise.fail(error) }
        }
        return promise.futureResult
    }
}

extension Request {
    /// Runs a step of this request in a task on its loop (`EventLoop.onLoopTask`), unless
    /// the request carries a big body (an uploaded file): reading a form of many megabytes
    /// (its multipart parts, its CSRF field) is long work without waiting, which would hold
    /// every other request of the loop, so such a request runs on Swift's global pool, as
    /// Vapor runs it. A request takes two steps: the app's middleware, then its route's
    /// middleware and handler (`LoopChain`, `LoopResponder`).
    func step<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> EventLoopFuture<T> {
        #if DEBUG
        storage[LoopStepsKey.self] = loopSteps + 1  // for the tests; a write copies the storage
        #endif
        guard !carriesBigBody else { return eventLoop.makeFutureWithTask(body) }
        return eventLoop.onLoopTask(body)
    }

    /// More than 256 KiB of body, announced or collected.
    var carriesBigBody: Bool {
        let announced = headers.first(name: .contentLength).flatMap { Int($0) } ?? 0
        return max(announced, body.data?.readableBytes ?? 0) > 256 << 10
    }

    /// The tasks this request has taken so far (`step`; counted in debug builds, the tests').
    var loopSteps: Int { storage[LoopStepsKey.self] ?? 0 }
}

private struct LoopStepsKey: StorageKey { typealias Value = Int }

/// DVK's async middleware: `AsyncMiddleware`'s shape, run on the request's loop with the
/// middleware around it in one task (`LoopChain`, `loopGrouped`).
protocol LoopMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response
}

extension LoopMiddleware {
    /// Alone, as Vapor calls a middleware: a task of its own.
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.step { try await self.respond(to: request, chainingTo: NextResponder(next: next)) }
    }
}

/// The app's middleware, run one inside the other in one task on the request's loop. Each
/// in a task of its own, a page took ten tasks and the ten futures and hops between them:
/// with `LoopResponder`, two.
struct LoopChain: Middleware {
    let middleware: [any LoopMiddleware]

    init(_ middleware: [any LoopMiddleware]) { self.middleware = middleware }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.step { try await Self.run(middleware[...], request, then: NextResponder(next: next), onLoop: !request.carriesBigBody) }
    }

    /// `chain`, then `last`. A request whose body turns out big once collected (an upload
    /// sent without its length) leaves the loop for the rest, as its next step would have.
    static func run(_ chain: ArraySlice<any LoopMiddleware>, _ request: Request, then last: any AsyncResponder, onLoop: Bool) async throws -> Response {
        if onLoop, request.carriesBigBody {
            return try await withTaskExecutorPreference(globalConcurrentExecutor) { try await run(chain, request, then: last, onLoop: false) }
        }
        guard let first = chain.first else { return try await last.respond(to: request) }
        return try await first.respond(to: request, chainingTo: Rest(chain: chain.dropFirst(), last: last, onLoop: onLoop))
    }

    private struct Rest: AsyncResponder {
        let chain: ArraySlice<any LoopMiddleware>
        let last: any AsyncResponder
        let onLoop: Bool

        func respond(to request: Request) async throws -> Response {
            try await LoopChain.run(chain, request, then: last, onLoop: onLoop)
        }
    }
}

/// The rest of the chain, awaited from a `LoopMiddleware`.
private struct NextResponder: AsyncResponder {
    let next: any Responder

    func respond(to request: Request) async throws -> Response {
        try await next.respond(to: request).get()
    }
}

/// A route's async handler, with its group's middleware (`loopGrouped`), run in one task on
/// the request's loop (see `Request.step`).
struct LoopResponder: Responder {
    let middleware: [any LoopMiddleware]
    let handler: any AsyncResponder

    init(middleware: [any LoopMiddleware] = [], handler: any AsyncResponder) {
        self.middleware = middleware
        self.handler = handler
    }

    func respond(to request: Request) -> EventLoopFuture<Response> {
        request.step { try await LoopChain.run(middleware[...], request, then: handler, onLoop: !request.carriesBigBody) }
    }

    /// The route's handler, if async, gets its task on the request's loop. Only before any
    /// middleware wraps it: a group's middleware hides the handler (`loopGrouped`).
    static func wrap(_ route: Route) {
        if let handler = route.responder as? any AsyncResponder { route.responder = LoopResponder(handler: handler) }
    }

    /// Every route registered on the application itself, outside any middleware group.
    static func install(on routes: Routes) {
        for route in routes.all { wrap(route) }
    }
}

extension RoutesBuilder {
    /// Vapor's `grouped(middleware)`, each async handler run with the group's middleware in
    /// one task on its request's loop (`LoopResponder`) when they are all `LoopMiddleware`.
    /// Vapor's group wraps a route in its middleware as it is added, after which the handler
    /// cannot be reached; so every middleware group in DVK is this one (`scripts/check-rules`).
    func loopGrouped(_ middleware: any Middleware...) -> any RoutesBuilder {
        LoopGroup(root: self, middleware: middleware)
    }
}

private final class LoopGroup: RoutesBuilder {
    let root: any RoutesBuilder
    let middleware: [any Middleware]

    init(root: any RoutesBuilder, middleware: [any Middleware]) {
        self.root = root
        self.middleware = middleware
    }

    func add(_ route: Route) {
        let loop = middleware.compactMap { $0 as? any LoopMiddleware }
        if loop.count == middleware.count, let inner = route.responder as? LoopResponder {
            // A group inside this one wrapped it first: this group's middleware runs before.
            route.responder = LoopResponder(middleware: loop + inner.middleware, handler: inner.handler)
        } else if loop.count == middleware.count, let handler = route.responder as? any AsyncResponder {
            route.responder = LoopResponder(middleware: loop, handler: handler)
        } else {
            LoopResponder.wrap(route)
            route.responder = middleware.makeResponder(chainingTo: route.responder)
        }
        root.add(route)
    }
}
