import DVKCore
import Fluent
import FluentKit
import Foundation
import Vapor

/// The JSON API under /api/v1: the same people, scopes and rules as the pages, reached
/// with a bearer token (`dvk user token USERNAME`) or the browser's session. Errors are
/// `{"error": {"code", "message"}}`, worded by `DVKErrorMiddleware`. `APISpec` documents
/// every route registered here, and a test keeps the two equal.
struct APIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let v1 = routes.grouped("api", "v1")
        v1.on(.openAPI, use: openAPI)
        YearAPIController.bootPublic(v1)
        // Signed in first, so a request with no (or a wrong) credential is told 401, not
        // "CSRF"; then the session's CSRF check for state changes made with a cookie.
        let api = v1.loopGrouped(APIAuthMiddleware(), CSRFMiddleware())
        try api.register(collection: UnitsAPIController())
        try api.register(collection: CampaignsAPIController())
        try api.register(collection: InitiativesAPIController())
        try api.register(collection: WorkflowAPIController())
        try api.register(collection: YearAPIController())
        try api.register(collection: UsersAPIController())
        try api.register(collection: AuditAPIController())
    }

    @Sendable func openAPI(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(data: APISpec.json))
        response.headers.contentType = .json
        return response
    }
}

/// Refuses an API request without a user: 401 with a `WWW-Authenticate` challenge.
struct APIAuthMiddleware: LoopMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.currentUser == nil else { return try await next.respond(to: request) }
        let (status, code, message) = DVKErrorMiddleware.describe(WebError.unauthenticated)
        let response = Response(status: status)
        try response.content.encode(APIErrorBody(error: .init(code: code, message: message)))
        response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"dvk\"")
        return response
    }
}

/// One unit of a campaign as the caller reaches it: the campaign's view for the caller,
/// and the unit's frozen place in it. Anything out of scope is "not found".
struct APICampaignUnit: Sendable {
    var view: Access.CampaignView
    var unit: SnapshotUnit

    /// Registering (add, edit, delete, submit, declare): the unit's officer or staff over it.
    func requireRegister() throws {
        guard unit.isTarget else {
            throw DomainError.forbidden("Đơn vị “\(unit.code)” không thuộc diện đăng ký mô hình của đợt thi đua này.")
        }
        guard view.canRegister(unit) else {
            throw DomainError.forbidden("Tài khoản không có quyền đăng ký, sửa hay nộp hồ sơ của đơn vị “\(unit.code)”.")
        }
    }

    /// Reviewing (accept, return): staff and administrators over the unit.
    func requireReview() throws {
        guard view.canReview(unit) else {
            throw DomainError.forbidden("Chỉ cán bộ công đoàn cấp trên phụ trách mới được duyệt hoặc trả lại hồ sơ của đơn vị “\(unit.code)”.")
        }
    }
}

extension Request {
    /// The campaign of the `campaign` path parameter, as the caller sees it.
    func apiCampaign() async throws -> Access.CampaignView {
        try await Access.campaign(code: try parameters.require("campaign"), user: try requireUser(), read: takeReach(), on: database)
    }

    /// The unit of the `unit` path parameter inside the campaign of `campaign`.
    func apiCampaignUnit() async throws -> APICampaignUnit {
        let found = try await Access.campaign(code: try parameters.require("campaign"), unit: try parameters.require("unit"),
                                              user: try requireUser(), read: takeReach(), on: database)
        return APICampaignUnit(view: found.view, unit: found.unit!)
    }

    /// The version named by `If-Match` (`"12"`, `W/"12"` or `12`), if the caller sent one:
    /// the step is then refused (409) unless the submission is still at that version.
    func ifMatchVersion() throws -> Int? {
        guard let raw = headers.first(name: .ifMatch), raw.trimmingCharacters(in: .whitespaces) != "*" else { return nil }
        let digits = raw.replacingOccurrences(of: "W/", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard digits.count <= 18, let version = Int(digits), version >= 0 else {
            throw WebError.badRequest("Tiêu đề If-Match phải là phiên bản của hồ sơ, ví dụ \"12\".")
        }
        return version
    }

    /// Decodes a JSON body; malformed JSON or a value of the wrong type is a 400 that
    /// names the field, in Vietnamese.
    func decodeJSON<T: Decodable>(_ type: T.Type, emptyAs empty: T? = nil) throws -> T {
        guard let body = body.data, body.readableBytes > 0 else {
            if let empty { return empty }
            throw WebError.badRequest("Thiếu nội dung JSON của yêu cầu.")
        }
        do {
            // Declared JSON, as every client of the API sends it: read by one decoder made
            // once, as Vapor's configured one reads it. Vapor's own path, which parses the
            // type and looks the decoder up under a lock for each body, was 4 % of a request
            // loop's samples on deadline day (`scripts/rush --perf`); any other type still
            // goes that way (a 415 for one it cannot read).
            if Self.declaresJSON(headers.first(name: .contentType)) {
                return try Self.jsonDecoder.decode(T.self, from: Data(body.readableBytesView))
            }
            return try content.decode(T.self)
        } catch let error as DecodingError {
            throw WebError.badRequest(Self.describe(error))
        }
    }

    /// Vapor's JSON decoder's settings (`ContentConfiguration.default`).
    private static let jsonDecoder = JSONDecoder.custom(dates: .iso8601)

    /// `application/json`, in any case, with or without parameters (`; charset=utf-8`).
    static func declaresJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        var type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        let blank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = type.first, blank(first) { type = type.dropFirst() }
        while let last = type.last, blank(last) { type = type.dropLast() }
        return type.elementsEqual("application/json".utf8) { byte, expected in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 == expected : byte == expected
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context) where !context.codingPath.isEmpty,
             .valueNotFound(_, let context) where !context.codingPath.isEmpty:
            return "Trường “\(field(context.codingPath))” có giá trị sai kiểu dữ liệu."
        case .keyNotFound(let key, let context):
            return "Thiếu trường “\(field(context.codingPath + [key]))”."
        default:
            return "Nội dung gửi lên không phải JSON hợp lệ."
        }
    }
}
