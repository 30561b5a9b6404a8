import DVKCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// Through a real HTTP server, where a large body arrives in many reads and Vapor streams
/// it: the CSRF token must still be found and the whole form read.
@Suite struct LargeFormTests {
    @Test func aLongLetterAndABigUnitsFileGetThroughARealServer() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            var form = StaffTestKit.campaignForm(code: "DAI")
            form["_csrf"] = staff.csrf
            // A letter as long as a letter may be (20,000 characters), sent in many network reads.
            form["body"] = String(repeating: "Đoạn văn rất dài của công văn. ", count: 640).trimmingCharacters(in: .whitespaces)
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "\(AuthStore.cookieName)=\(staff.cookie)")
            headers.contentType = .urlEncodedForm
            let encoded = try URLEncodedFormEncoder().encode(form)
            #expect(encoded.utf8.count > 60_000)

            let created = try await overNetwork(app, .POST, "/campaigns/new", headers: headers, body: ByteBuffer(string: encoded))

            // The client follows the redirect to the dashboard; what matters is that the form was not refused.
            #expect(created.status != .forbidden)
            #expect(try await CampaignStore.info(code: "DAI", on: app.db).body.count == form["body"]?.count)
            // One character more is refused, with the reason under the field.
            form["code"] = "DAI-2"
            form["body"] = String(repeating: "x", count: 20_001)
            let tooLong = try await overNetwork(app, .POST, "/campaigns/new", headers: headers,
                                                      body: ByteBuffer(string: try URLEncodedFormEncoder().encode(form)))
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.body.string.contains("Nội dung công văn dài quá 20.000 ký tự."))

            let rows = (1...3_000).map { "BIG-\($0),Công đoàn cơ sở số \($0),LB,grassroots,cd\($0)@example.vn," }
            let csv = "code,name,parent_code,kind,email,phone\n" + rows.joined(separator: "\n")
            let boundary = "dvk-large-\(UUID().uuidString)"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(staff.csrf)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"units.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + csv + "\r\n--\(boundary)--\r\n"
            var upload = HTTPHeaders()
            upload.add(name: .cookie, value: "\(AuthStore.cookieName)=\(staff.cookie)")
            upload.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")

            let imported = try await overNetwork(app, .POST, "/units/import", headers: upload, body: ByteBuffer(string: body))

            #expect(imported.status == .ok)
            #expect(imported.body.string.contains("thêm 3.000 đơn vị"))
        }
    }
}
