import Foundation
import Testing
import TestPrograms
import Vapor
@testable import DVKApp

/// The OpenAPI document says exactly what the server does: the same routes, and (through
/// `api`, used by every API test) answers that match its schemas.
@Suite struct OpenAPITests {
    /// "GET /api/v1/units/{unit}" for every route the app registered under /api/v1.
    static func registeredRoutes(_ app: Application) -> Set<String> {
        Set(app.routes.all.compactMap { route -> String? in
            let parts = route.path.map { component -> String in
                switch component {
                case .constant(let s): s
                case .parameter(let p): "{\(p)}"
                case .anything: "*"
                case .catchall: "**"
                }
            }
            guard parts.starts(with: ["api", "v1"]) else { return nil }
            return "\(route.method.rawValue) /" + parts.joined(separator: "/")
        })
    }

    static var documentedRoutes: Set<String> {
        Set(APISpec.document.paths.flatMap { path, item in item.operations.keys.map { "\($0) \(path)" } })
    }

    @Test func everyRegisteredRouteIsDocumentedAndEveryDocumentedRouteIsRegistered() async throws {
        try await withApp { app in
            let registered = Self.registeredRoutes(app)

            #expect(registered.subtracting(Self.documentedRoutes).isEmpty, "registered, not documented")
            #expect(Self.documentedRoutes.subtracting(registered).isEmpty, "documented, not registered")
            // The typed table is both: every route it names is registered and documented under
            // its operation id, and nothing else is.
            let table = Set(APIRoute.allCases.map { "\($0.method.rawValue) \($0.template)" })
            #expect(registered == table)
            for route in APIRoute.allCases {
                #expect(APISpec.document.paths[route.template]?.operations[route.method.rawValue]?.operationId == route.rawValue, "\(route)")
            }
            #expect(registered.count == 37)
        }
    }

    @Test func theDocumentIsServedWithoutCredentials() async throws {
        try await withApp { app in
            let response = try await api(app, .GET, "/api/v1/openapi.json", as: .anonymous)

            #expect(response.status == .ok)
            #expect(response.headers.contentType == .json)
            #expect(response.body == APISpec.json)
            #expect(response.json?["openapi"]?.string == "3.1.0")
        }
    }

    @Test func everyOperationIsNamedOnceAndProtectedUnlessPublic() {
        let operations = APISpec.document.paths.values.flatMap { $0.operations.values }
        let ids = operations.map(\.operationId)

        #expect(Set(ids).count == ids.count)
        let open = Set(APIRoute.allCases.filter(\.isPublic).map(\.rawValue))
        for operation in operations where open.contains(operation.operationId) {
            #expect(operation.security?.isEmpty == true, "\(operation.operationId) needs no credential")
            #expect(operation.responses["401"] == nil, "\(operation.operationId) never answers 401")
        }
        for operation in operations where !open.contains(operation.operationId) {
            #expect(operation.security == nil, "\(operation.operationId) inherits the bearer/session requirement")
            #expect(operation.responses["401"] != nil, "\(operation.operationId) documents 401")
        }
        // Every schema a document refers to exists.
        let json = String(decoding: APISpec.json, as: UTF8.self)
        for name in json.matches(of: /#\/components\/schemas\/([A-Za-z]+)/).map({ String($0.1) }) {
            #expect(APISpec.document.components.schemas[name] != nil, "\(name)")
        }
    }

    /// The check every API test relies on does catch answers that stray from the document.
    @Test func theResponseCheckCatchesWhatTheDocumentDoesNotSay() {
        func problems(_ json: String, _ schema: String) -> [String] {
            SpecCheck.validate(APIResult(status: .ok, headers: [:], body: Data(json.utf8)), against: .ref(schema))
        }
        let unit = #""unit": {"code": "S1", "name": "Trường", "kind": "grassroots"}"#
        let event = #""at": "2024-02-16T00:00:00+07:00", "actor": "mai", "action": "return", "from": "submitted", "to": "returned", "note": """#

        #expect(problems(#"{"username": "a", "displayName": "b", "role": "staff", \#(unit)}"#, "Me").isEmpty)
        #expect(problems(#"{"username": "a", "role": "staff", \#(unit)}"#, "Me") == ["$: missing “displayName”"])
        #expect(problems(#"{"username": "a", "displayName": "b", "role": "staff", "extra": 1, \#(unit)}"#, "Me") == ["$: undocumented key “extra”"])
        #expect(problems(#"{"username": "a", "displayName": "b", "role": "boss", \#(unit)}"#, "Me").count == 1)
        #expect(problems("{\(event)}", "Event").isEmpty)
        #expect(problems("{\(event.replacingOccurrences(of: "+07:00", with: "Z"))}", "Event").count == 1)
        #expect(problems(#"{"collectives": true, "individuals": 1.5}"#, "Sector").count == 4)
        #expect(problems(#"[{"code": "a", "name": "b"}]"#, "Sector") == ["$: expected an object, got [{\"code\": \"a\", \"name\": \"b\"}]"])
    }

    /// The reference validator (Tests/requirements.txt); outside CI, skipped when Python lacks it.
    @Test(.enabled(if: PythonValidator.available || ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true))
    func theDocumentIsValidOpenAPI31() throws {
        let path = try tempFile(String(decoding: APISpec.json, as: UTF8.self), suffix: ".json")
        let (status, output) = try PythonValidator.run(["-m", "openapi_spec_validator", "--schema", "3.1", path])
        #expect(status == 0, "\(output)")
    }
}

enum PythonValidator {
    static let available: Bool = (try? run(["-c", "import openapi_spec_validator"]).status) == 0

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let run = try Program.run(tool: "python3", arguments, mergingErrors: true)
        return (run.status, run.output)  // a signal's number is never 0 either
    }
}
