import DVKCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// A signed-in browser: its session cookie and CSRF token, and the requests it sends.
struct Visitor {
    var app: Application
    var username: String
    var cookie: String
    var csrf: String

    func get(_ path: String, extraCookie: String? = nil) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.GET, path, beforeRequest: { req in
            req.headers.add(name: .cookie, value: "\(AuthStore.cookieName)=\(cookie)" + (extraCookie.map { "; " + $0 } ?? ""))
        })
    }

    /// A form post; `csrf: false` leaves the token out, as a forged request would.
    func post(_ path: String, _ form: [String: String] = [:], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if csrf { fields["_csrf"] = self.csrf }
        return try await app.testing().sendRequest(.POST, path, beforeRequest: { req in
            req.headers.add(name: .cookie, value: "\(AuthStore.cookieName)=\(cookie)")
            try req.content.encode(fields, as: .urlEncodedForm)
        })
    }

    /// A multipart upload of one file in the field `file`.
    func upload(_ path: String, file contents: String, filename: String = "units.csv", csrf: Bool = true) async throws -> TestingHTTPResponse {
        let boundary = "dvk-test-boundary-\(UUID().uuidString)"
        var body = ""
        if csrf {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(self.csrf)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n\(contents)\r\n--\(boundary)--\r\n"
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "\(AuthStore.cookieName)=\(cookie)")
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }
}

enum StaffTestKit {
    static let password = "mat-khau-thu-nghiem"

    /// Creates a user of `role` at `unit` and signs them in.
    static func visitor(_ app: Application, _ username: String, _ role: Role, at unit: String) async throws -> Visitor {
        _ = try await AuthStore.createUser(username: username, password: password, role: role, unitCode: unit, at: Date(), on: app.db)
        let token = try await AuthStore.login(username: username, password: password, address: "test-\(username)", now: Date(), policy: SessionPolicy(),
                                              verify: { try Bcrypt.verify($0, created: $1) }, on: app.db)
        let signedIn = try await AuthStore.user(sessionToken: token, now: Date(), policy: SessionPolicy(), on: app.db)
        let user = try #require(signedIn)
        return Visitor(app: app, username: username, cookie: token, csrf: try #require(user.csrf))
    }

    /// The fixture's people: every role, at the issuer, below it, and beside it (FAR, a
    /// federation under HN outside the campaign).
    struct People {
        var admin: Visitor
        var staff: Visitor
        var subStaff: Visitor
        var officer: Visitor
        var viewer: Visitor
        var farStaff: Visitor
    }

    static func people(_ app: Application) async throws -> People {
        try await run(app, "import", "units", try tempFile("code,name,parent_code,kind\nFAR,Liên đoàn Lao động quận Cầu Giấy,HN,federation\n"))
        return People(admin: try await visitor(app, "quantri", .admin, at: "HN"),
                      staff: try await visitor(app, "canbo-lb", .staff, at: "LB"),
                      subStaff: try await visitor(app, "canbo-gd", .staff, at: "GD"),
                      officer: try await visitor(app, "cdcs-s1", .officer, at: "S1"),
                      viewer: try await visitor(app, "theodoi", .viewer, at: "HN"),
                      farStaff: try await visitor(app, "canbo-far", .staff, at: "FAR"))
    }

    /// A complete, valid campaign form.
    static func campaignForm(code: String = "DVK-2025", issuer: String = "LB", targets: String? = nil) -> [String: String] {
        [
            "code": code, "issuer": issuer, "year": "2025",
            "title": "Phong trào thi đua “Dân vận khéo” năm 2025", "number": "12/LĐLĐ", "issued_on": "2025-02-06",
            "place": "Long Biên", "subject": "V/v triển khai phong trào thi đua “Dân vận khéo” năm 2025",
            "addressees": "Ban Chấp hành công đoàn cơ sở", "recipients": "Như Kính gửi;\r\nLưu: VT, TG.",
            "body": "Thực hiện Kế hoạch …\r\n\r\n- Đăng ký mô hình\r\n- Gửi về *trước ngày 16/02/2025*",
            "sectors": Sector.defaults.map { "\($0.code) | \($0.name)" }.joined(separator: "\r\n"),
            "deadline_date": "2025-02-16", "deadline_time": "17:00", "accepts_late": "on",
            "signer_authority": "TM. BAN THƯỜNG VỤ", "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "Đặng Thị Ánh Nguyệt",
            "targets_mode": targets == nil ? "all" : "chosen", "target_codes": targets ?? "", "state": "open",
        ]
    }
}

extension TestingHTTPResponse {
    var text: String { body.string }
    var location: String? { headers.first(name: .location) }
}
