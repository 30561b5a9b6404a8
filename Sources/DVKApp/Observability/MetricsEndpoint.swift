import Crypto
import Fluent
import Foundation
import Synchronization
import Vapor

/// Where `/metrics` answers: on a listen address of its own (`DVK_METRICS_ADDRESS`, by default
/// 127.0.0.1:9464, which only the host itself reaches), and on the site only to a scraper
/// holding `DVK_METRICS_TOKEN` as a bearer token. The site's `/metrics` is "not found"
/// to everyone else, as if it did not exist.
public struct MetricsAccess: Sendable, Equatable {
    public var host: String?
    public var port: Int
    public var token: String?

    public init(host: String? = "127.0.0.1", port: Int = 9464, token: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
    }

    /// Reads `DVK_METRICS_ADDRESS` (`host:port`, or `off`) and `DVK_METRICS_TOKEN` (at least 32
    /// characters).
    static func fromEnvironment(_ env: [String: String], problems: inout [String]) -> MetricsAccess {
        var access = MetricsAccess()
        let address = (env["DVK_METRICS_ADDRESS"] ?? "").trimmingCharacters(in: .whitespaces)
        if address.lowercased() == "off" {
            access.host = nil
        } else if !address.isEmpty {
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (1...65_535).contains(port),
                  colon > address.startIndex
            else {
                problems.append("DVK_METRICS_ADDRESS: expected host:port (e.g. 127.0.0.1:9464) or off, got “\(address)”")
                return access
            }
            access.host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            access.port = port
        }
        if let token = env["DVK_METRICS_TOKEN"], !token.isEmpty {
            if token.count < 32 { problems.append("DVK_METRICS_TOKEN: at least 32 characters (a random secret), got \(token.count)") } else { access.token = token }
        }
        return access
    }

    /// Whether a request to the site's `/metrics` carries the token.
    func admits(_ req: Request) -> Bool {
        guard let token, let given = req.headers.bearerAuthorization?.token else { return false }
        // Compared by their hashes: the time does not tell how much of the token was right.
        return SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(token.utf8))
    }
}

/// The metrics' own HTTP listener, started by `dvk serve` only. It answers `GET /metrics` and
/// nothing else. A listener that cannot bind (another DVK on the host holds the port) is
/// logged and left out: the site goes on.
final class MetricsListener: LifecycleHandler, Sendable {
    let host: String
    let port: Int
    private let server = Mutex<HTTPServer?>(nil)

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    func didBootAsync(_ application: Application) async throws {
        guard MailSender.isServing(application) else { return }
        let server = HTTPServer(application: application, responder: Responder(),
                                configuration: .init(hostname: host, port: port, reuseAddress: false))
        do {
            try await server.start(address: .hostname(host, port: port))
            self.server.withLock { $0 = server }
            application.logger.info("metrics: http://\(host):\(port)/metrics")
        } catch {
            application.logger.error("metrics: could not listen on \(host):\(port) (\(error)); set DVK_METRICS_ADDRESS to a free address or off")
        }
    }

    func shutdownAsync(_ application: Application) async {
        guard let server = server.withLock({ s -> HTTPServer? in defer { s = nil }; return s }) else { return }
        await server.shutdown()
    }

    struct Responder: AsyncResponder {
        func respond(to request: Request) async throws -> Response {
            guard request.method == .GET, request.url.path == "/metrics" else { return Response(status: .notFound) }
            return await MetricsEndpoint.response(request)
        }
    }
}

enum MetricsEndpoint {
    static func response(_ req: Request) async -> Response {
        let response = Response(status: .ok, body: .init(string: await AppMetrics.shared.scrape(on: req.database)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
