import DVKCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// A signed-in browser for app tests: its session cookie and CSRF token.
struct Browser {
    var app: Application
    var cookie: String
    var csrf: String

    static func signIn(_ app: Application, _ username: String, password: String = "mat-khau-thu-nghiem",
                       address: String = "127.0.0.1") async throws -> Browser {
        let token = try await AuthStore.login(username: username, password: password, address: address, now: Date(), policy: SessionPolicy(),
                                              verify: { try Bcrypt.verify($0, created: $1) }, on: app.db)
        let user = try #require(try await AuthStore.user(sessionToken: token, now: Date(), policy: SessionPolicy(), on: app.db))
        return Browser(app: app, cookie: token, csrf: user.csrf ?? "")
    }

    var headers: HTTPHeaders { ["Cookie": "\(AuthStore.cookieName)=\(cookie)"] }

    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.GET, path, headers: headers)
    }

    /// Posts a form; the CSRF token is added unless `csrf: false`.
    func post(_ path: String, _ fields: [String: String] = [:], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var all = fields
        if csrf { all["_csrf"] = self.csrf }
        let body = all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        var h = headers
        h.contentType = .urlEncodedForm
        return try await app.testing().sendRequest(.POST, path, headers: h, body: ByteBuffer(string: body))
    }

    /// Posts a file as multipart/form-data, the way the upload form does.
    func upload(_ path: String, file: String, name: String = "danh-sach.csv") async throws -> TestingHTTPResponse {
        let boundary = "----dvk-test-boundary"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(csrf)\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n--\(boundary)--\r\n"
        var h = headers
        h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await app.testing().sendRequest(.POST, path, headers: h, body: ByteBuffer(string: body))
    }

    /// Posts form fields and one binary file as multipart/form-data, with the CSRF token.
    func multipart(_ path: String, fields: [String: String], file: (field: String, name: String, data: Data)) async throws -> TestingHTTPResponse {
        let boundary = "----dvk-test-boundary"
        var body = ByteBuffer()
        for (key, value) in fields.merging(["_csrf": csrf], uniquingKeysWith: { a, _ in a }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(file.data)
        body.writeString("\r\n--\(boundary)--\r\n")
        var h = headers
        h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await app.testing().sendRequest(.POST, path, headers: h, body: body)
    }
}

/// Fixture users: one of each role, at the places the access rules care about.
enum People {
    static func create(_ app: Application) async throws {
        for (name, role, unit) in [("admin", Role.admin, "HN"), ("staff", .staff, "LB"), ("gdstaff", .staff, "GD"),
                                   ("s1", .officer, "S1"), ("c1", .officer, "C1"), ("viewer", .viewer, "HN")] {
            _ = try await AuthStore.createUser(username: name, password: "mat-khau-thu-nghiem", role: role, unitCode: unit, at: Date(), on: app.db)
        }
    }
}
