import DVKCore
import Fluent
import Foundation
import Vapor

/// One structured log line per request — its id, method, route, status and time — and the
/// request metrics. The id is the caller's `X-Request-Id` when it is a plain token (a proxy
/// that set one), else a new one; it is sent back, so a user's report can be found in the
/// logs of every server.
struct RequestLogMiddleware: LoopMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let id = Self.id(from: request.headers.first(name: "X-Request-Id"))
        request.logger[metadataKey: "request-id"] = .string(id)
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        let status: UInt
        let response: Response
        do {
            response = try await next.respond(to: request)
            status = response.status.code
        } catch {
            let elapsed = ContinuousClock.now - started
            log(request, id: id, route: route, status: 500, elapsed: elapsed)
            AppMetrics.shared.request(method: request.method.rawValue, route: route, status: 500, duration: elapsed)
            throw error
        }
        let elapsed = ContinuousClock.now - started
        response.headers.replaceOrAdd(name: "X-Request-Id", value: id)
        log(request, id: id, route: route, status: status, elapsed: elapsed)
        AppMetrics.shared.request(method: request.method.rawValue, route: route, status: status, duration: elapsed)
        return response
    }

    private func log(_ request: Request, id: String, route: String, status: UInt, elapsed: Duration) {
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        request.logger.info("request", metadata: [
            // A path is logged up to 512 bytes: a line of the log costs what a request line may not.
            "method": .string(request.method.rawValue), "route": .string(route), "path": .string(String(request.url.path.utf8.prefix(512)) ?? ""),
            "status": .stringConvertible(status), "ms": .string(Self.tenths(ms)),
        ])
    }

    /// Milliseconds to a tenth ("12.3"), halves rounded up, without `sprintf` (`%.1f` rounds
    /// a half to even: 0.25 is "0.2" there, "0.3" here). A time that is not a finite,
    /// non-negative number of milliseconds below 10¹² is written as Swift writes it.
    static func tenths(_ ms: Double) -> String {
        guard ms.isFinite, ms >= 0, ms < 1e12 else { return String(ms) }
        let tenths = Int((ms * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func id(from header: String?) -> String {
        if let header, (1...64).contains(header.count), header.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            return header
        }
        return UUID.random().canonicalText.lowercased()
    }
}

/// `GET /ready`: 200 when the database answers and its migrations are the ones this binary
/// knows, 503 otherwise (a load balancer sends no traffic to a server that is not ready).
/// `GET /health` only says the process is alive.
enum Readiness {
    /// "ready" or "not ready", nothing more to whoever asks; the reason goes to the log.
    static func check(_ req: Request) async -> Response {
        do {
            let applied = Set(try await Migrations.applied(on: req.database))
            let missing = Migrations.all.map(\.name).filter { !applied.contains($0) }
            guard missing.isEmpty else {
                req.logger.warning("not ready: migrations pending: \(missing.joined(separator: ", "))")
                return Response(status: .serviceUnavailable, body: .init(string: "not ready\n"))
            }
            return Response(status: .ok, body: .init(string: "ready\n"))
        } catch {
            req.logger.warning("not ready: the database does not answer: \(String(reflecting: error))")
            return Response(status: .serviceUnavailable, body: .init(string: "not ready\n"))
        }
    }
}
