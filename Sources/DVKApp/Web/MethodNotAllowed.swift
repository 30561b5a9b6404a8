import Vapor

/// The paths the app answers and with which methods, so that a path asked with another
/// method answers 405 with `Allow` rather than 404.
struct RouteTable: Sendable {
    private var routes: [(method: String, path: [PathComponent])]

    init(_ routes: [Route]) {
        self.routes = routes.map { ($0.method.rawValue, $0.path) }
    }

    /// The methods that answer `path`, sorted; empty when none does.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var out = Set<String>()
        for route in routes where Self.matches(route.path, segments) { out.insert(route.method) }
        if out.contains("GET") { out.insert("HEAD") }
        return out.sorted()
    }

    private static func matches(_ pattern: [PathComponent], _ segments: [String]) -> Bool {
        var i = 0
        for component in pattern {
            switch component {
            case .catchall: return true
            case .constant(let word):
                guard i < segments.count, segments[i] == word else { return false }
            case .parameter, .anything:
                guard i < segments.count else { return false }
            }
            i += 1
        }
        return i == segments.count
    }
}

struct RouteTableKey: StorageKey { typealias Value = RouteTable }

extension Application {
    /// Built once the routes are registered.
    var routeTable: RouteTable? {
        get { storage[RouteTableKey.self] }
        set { storage[RouteTableKey.self] = newValue }
    }
}

/// 405 with `Allow` for a path that exists under other methods.
struct MethodNotAllowed: AbortError {
    var allowed: [String]
    var status: HTTPResponseStatus { .methodNotAllowed }
    var headers: HTTPHeaders { ["Allow": allowed.joined(separator: ", ")] }
    var reason: String { "Thao tác này không được hỗ trợ ở địa chỉ này." }
}
