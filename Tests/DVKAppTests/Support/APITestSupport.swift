import DVKCore
import Fluent
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// A JSON value as it came over the wire, keeping booleans, numbers and null apart.
enum JSONValue: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var int: Int? { if case .number(let n) = self { Int(exactly: n) } else { nil } }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let n): "\(n)"
        case .string(let s): "\"\(s)\""
        case .array(let a): "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

/// One answer of the API, already checked against the OpenAPI document.
struct APIResult {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: Data

    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: body) }
    var errorCode: String? { json?["error"]?["code"]?.string }
    var errorMessage: String? { json?["error"]?["message"]?.string }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: body) }
}

/// Who a test request is from.
enum Caller {
    case anonymous
    case token(String)
    /// A browser session: its cookie, and the CSRF token to send (nil: send none).
    case session(cookie: String, csrf: String?)
}

/// Sends one request to /api/v1 and checks its answer against `APISpec`: the status must be
/// documented for the route, and the body must match the documented schema exactly
/// (every required key, no undocumented key, the right types, enums and formats).
@discardableResult
func api(_ app: Application, _ method: HTTPMethod, _ path: String, as caller: Caller, json body: String? = nil, contentType: String? = nil,
         sourceLocation: SourceLocation = #_sourceLocation) async throws -> APIResult {
    var headers = HTTPHeaders()
    switch caller {
    case .anonymous: break
    case .token(let token): headers.bearerAuthorization = BearerAuthorization(token: token)
    case .session(let cookie, let csrf):
        headers.cookie = HTTPCookies(dictionaryLiteral: (AuthStore.cookieName, HTTPCookies.Value(string: cookie)))
        if let csrf { headers.replaceOrAdd(name: "X-CSRF-Token", value: csrf) }
    }
    var buffer: ByteBuffer?
    if let body {
        if let contentType { headers.replaceOrAdd(name: .contentType, value: contentType) } else { headers.contentType = .json }
        buffer = ByteBuffer(string: body)
    }
    let response = try await app.testing().sendRequest(method, path, headers: headers, body: buffer)
    let result = APIResult(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
    for problem in SpecCheck.problems(method: method, path: path, result: result) {
        Issue.record("\(method) \(path) → \(result.status.code): \(problem)", sourceLocation: sourceLocation)
    }
    return result
}

/// Checks answers against the OpenAPI document the server serves.
enum SpecCheck {
    typealias Schema = OpenAPI.Schema

    /// The documented path template a concrete path falls under (fewest parameters wins).
    static func template(for path: String) -> String? {
        let parts = path.split(separator: "?", maxSplits: 1)[0].split(separator: "/", omittingEmptySubsequences: false)
        return APISpec.document.paths.keys.filter { template in
            let t = template.split(separator: "/", omittingEmptySubsequences: false)
            return t.count == parts.count && zip(t, parts).allSatisfy { t, p in
                (t.hasPrefix("{") && !p.isEmpty) || t == p
            }
        }.min { $0.filter { $0 == "{" }.count < $1.filter { $0 == "{" }.count }
    }

    static func problems(method: HTTPMethod, path: String, result: APIResult) -> [String] {
        guard let template = template(for: path),
              let operation = APISpec.document.paths[template]?.operations[method.rawValue]
        else {
            // Not a documented route: it must still answer an error in the documented shape.
            guard result.status.code >= 400 else { return ["an undocumented route answered \(result.status.code)"] }
            return validate(result, against: .ref("Error"))
        }
        guard let response = operation.responses[String(result.status.code)] ?? operation.responses["default"] else {
            return ["status \(result.status.code) is not documented"]
        }
        if result.status.code >= 400, operation.responses[String(result.status.code)] == nil, result.status != .unsupportedMediaType,
           result.status != .payloadTooLarge {
            return ["status \(result.status.code) is only covered by “default”"]
        }
        guard let schema = response.content?["application/json"]?.schema else {
            return result.body.isEmpty ? [] : ["a body where none is documented"]
        }
        return validate(result, against: schema)
    }

    static func validate(_ result: APIResult, against schema: Schema) -> [String] {
        guard let json = result.json else { return ["the body is not JSON: \(String(decoding: result.body, as: UTF8.self))"] }
        var problems: [String] = []
        check(json, schema, at: "$", &problems)
        return problems
    }

    static func check(_ value: JSONValue, _ schema: Schema, at path: String, _ problems: inout [String]) {
        switch schema.kind {
        case .ref(let name):
            guard let target = APISpec.document.components.schemas[name] else {
                problems.append("\(path): unknown schema \(name)")
                return
            }
            check(value, target, at: path, &problems)
        case .string(let format, let values, _):
            guard case .string(let s) = value else { problems.append("\(path): expected a string, got \(value)"); return }
            if let values, !values.contains(s) { problems.append("\(path): “\(s)” is not one of \(values)") }
            switch format {
            case "date-time":
                if s.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$"#, options: .regularExpression) == nil {
                    problems.append("\(path): “\(s)” is not an instant in Vietnam time")
                }
            case "date":
                if CalendarDay(parsing: s) == nil || s.count != 10 { problems.append("\(path): “\(s)” is not YYYY-MM-DD") }
            case "uuid":
                if UUID(uuidString: s) == nil { problems.append("\(path): “\(s)” is not a UUID") }
            default: break
            }
        case .integer(let minimum, let maximum):
            guard case .number(let n) = value, n.rounded() == n else { problems.append("\(path): expected an integer, got \(value)"); return }
            if let minimum, n < Double(minimum) { problems.append("\(path): \(n) < \(minimum)") }
            if let maximum, n > Double(maximum) { problems.append("\(path): \(n) > \(maximum)") }
        case .boolean:
            if case .bool = value {} else { problems.append("\(path): expected a boolean, got \(value)") }
        case .null:
            if value != .null { problems.append("\(path): expected null, got \(value)") }
        case .nullable(let inner):
            if value != .null { check(value, inner, at: path, &problems) }
        case .array(let items):
            guard case .array(let a) = value else { problems.append("\(path): expected an array, got \(value)"); return }
            for (i, item) in a.enumerated() { check(item, items, at: "\(path)[\(i)]", &problems) }
        case .map(let values):
            guard case .object(let o) = value else { problems.append("\(path): expected an object, got \(value)"); return }
            for (key, item) in o { check(item, values, at: "\(path).\(key)", &problems) }
        case .object(let properties):
            guard case .object(let o) = value else { problems.append("\(path): expected an object, got \(value)"); return }
            guard !properties.isEmpty else { return }  // free-form
            for p in properties {
                if let v = o[p.name] { check(v, p.schema, at: "\(path).\(p.name)", &problems) }
                else if p.required { problems.append("\(path): missing “\(p.name)”") }
            }
            for key in o.keys where !properties.contains(where: { $0.name == key }) {
                problems.append("\(path): undocumented key “\(key)”")
            }
        }
    }
}

/// Users of every role for API tests, each with a bearer token.
enum APIFixture {
    /// Creates a user and returns a fresh API token for them.
    static func token(_ app: Application, _ username: String, _ role: Role, unit: String) async throws -> String {
        _ = try await AuthStore.createUser(username: username, password: "mat-khau-dai", role: role, unitCode: unit, at: Date(), on: app.db)
        return try await AuthStore.createToken(username: username, now: Date(), on: app.db)
    }

    /// A browser session of an existing user: the cookie value and its CSRF token.
    static func session(_ app: Application, _ username: String) async throws -> (cookie: String, csrf: String) {
        let cookie = try await AuthStore.login(username: username, password: "mat-khau-dai", address: "127.0.0.1", now: Date(), policy: SessionPolicy(),
                                               verify: { _, _ in true }, on: app.db)
        let user = try #require(try await AuthStore.user(sessionToken: cookie, now: Date(), policy: SessionPolicy(), on: app.db))
        return (cookie, try #require(user.csrf))
    }

    static func initiativeJSON(kind: String = "collective", name: String = "Tổ Công đoàn Văn phòng",
                               sector: String = "kinh-te", title: String = "Sáng kiến tiết kiệm điện",
                               extra: String = "") -> String {
        """
        {"kind": "\(kind)", "registrantName": "\(name)", "sector": "\(sector)", "title": "\(title)"\(extra.isEmpty ? "" : ", " + extra)}
        """
    }
}
