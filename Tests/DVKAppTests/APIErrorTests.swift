import DVKCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import DVKApp

/// Every refusal is JSON with a stable code, the right status and a Vietnamese message.
@Suite struct APIErrorTests {
    let initiatives = "/api/v1/campaigns/DVK-2024/units/S1/initiatives"

    @Test func withoutAValidCredentialTheAnswerIs401() async throws {
        try await withApp { app in
            try await Fixture.load(app)

            let anonymous = try await api(app, .GET, "/api/v1/me", as: .anonymous)
            let forged = try await api(app, .GET, "/api/v1/campaigns", as: .token("dvk_not-a-real-token"))
            let anonymousWrite = try await api(app, .POST, initiatives, as: .anonymous, json: APIFixture.initiativeJSON())
            let expiredSession = try await api(app, .POST, initiatives, as: .session(cookie: "gone", csrf: "x"),
                                               json: APIFixture.initiativeJSON())

            for response in [anonymous, forged, anonymousWrite, expiredSession] {
                #expect(response.status == .unauthorized)
                #expect(response.errorCode == "unauthenticated")
                #expect(response.errorMessage == "Cần đăng nhập.")
                #expect(response.headers.first(name: .wwwAuthenticate)?.hasPrefix("Bearer") == true)
            }
        }
    }

    @Test func unknownThingsAre404InJSON() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = Caller.token(try await APIFixture.token(app, "mai", .staff, unit: "LB"))

            let route = try await api(app, .GET, "/api/v1/nothing-here", as: staff)
            let campaign = try await api(app, .GET, "/api/v1/campaigns/DVK-1999", as: staff)
            let unit = try await api(app, .GET, "/api/v1/campaigns/DVK-2024/units/NOPE", as: staff)
            let summaryUnit = try await api(app, .GET, "/api/v1/campaigns/DVK-2024/summary?unit=OTHER", as: staff)
            let initiative = try await api(app, .GET, "\(initiatives)/\(UUID().uuidString)", as: staff)

            for response in [route, campaign, unit, summaryUnit, initiative] {
                #expect(response.status == .notFound)
                #expect(response.errorCode == "not_found")
                #expect(response.errorMessage?.isEmpty == false)
            }
            #expect(campaign.errorMessage == "Không tìm thấy đợt thi đua “DVK-1999” trong phạm vi quản lý của đơn vị.")
        }
    }

    @Test func aBodyThatIsNotTheDocumentedJSONIs400() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let officer = Caller.token(try await APIFixture.token(app, "hang", .officer, unit: "S1"))

            let broken = try await api(app, .POST, initiatives, as: officer, json: #"{"kind": "collective", "#)
            let wrongType = try await api(app, .POST, initiatives, as: officer, json: #"{"kind": "collective", "title": 42}"#)
            let notAnObject = try await api(app, .POST, initiatives, as: officer, json: "[1, 2]")
            let empty = try await api(app, .POST, initiatives, as: officer)
            let badReason = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/return", as:
                .token(try await APIFixture.token(app, "mai", .staff, unit: "LB")), json: #"{"reason": ["a"]}"#)

            // What the document does not allow, found by schemathesis: an extension that says
            // neither an instant nor null, a null where a field is left out or given, an empty
            // value of a list.
            let staff = Caller.token(try await APIFixture.token(app, "lan", .staff, unit: "LB"))
            try await People.create(app)
            let s1 = try #require(try await User.query(on: app.db).filter(\.$username == "s1").first()?.id)
            let noUntil = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/extension", as: staff, json: "{}")
            let nullUnit = try await api(app, .PATCH, "/api/v1/users/\(s1.uuidString)", as: staff, json: #"{"unit": null, "fullName": "Đổi"}"#)
            let emptyStatus = try await api(app, .GET, "/api/v1/users?status=", as: staff)
            let emptyRole = try await api(app, .GET, "/api/v1/users?role=", as: staff)

            for response in [broken, wrongType, notAnObject, empty, badReason, noUntil, nullUnit, emptyStatus, emptyRole] {
                #expect(response.status == .badRequest)
                #expect(response.errorCode == "bad_request")
            }
            #expect(try await User.find(s1, on: app.db)?.displayName != "Đổi")

            // JSON declared in any case and with parameters is read; JSON under another type
            // is not (Vapor's 415, or its plain-text reader's 400).
            let spelled = try await api(app, .POST, initiatives, as: officer, json: APIFixture.initiativeJSON(title: "Mô hình chữ hoa"),
                                        contentType: " Application/JSON ; charset=utf-8")
            #expect(spelled.status == .created)
            let xml = try await api(app, .POST, initiatives, as: officer, json: APIFixture.initiativeJSON(title: "Mô hình XML"), contentType: "application/xml")
            #expect(xml.status == .unsupportedMediaType && xml.errorCode == "bad_request")
            let plain = try await api(app, .POST, initiatives, as: officer, json: APIFixture.initiativeJSON(title: "Mô hình văn bản"), contentType: "text/plain")
            #expect(plain.status == .badRequest)
            for type in ["application/json", "APPLICATION/JSON;charset=utf-8", "\tapplication/json\t"] {
                #expect(Request.declaresJSON(type), "\(type)")
            }
            for type in [nil, "", "application/jsonx", "application/vnd.api+json", "text/json", "application\u{0F}json", "application/json5; x"] {
                #expect(!Request.declaresJSON(type), "\(type ?? "nil")")
            }

            #expect(try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/extension", as: staff, json: #"{"until": null}"#).status != .badRequest)
            // A day to resubmit by that is no day.
            try await APIAccessTests.prepare(app, unit: "S1", initiatives: 1, submitted: true)
            let emptyDay = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/return", as: staff, json: #"{"reason": "Sửa", "resubmitBy": ""}"#)
            #expect(emptyDay.status == .unprocessableEntity)
            #expect(wrongType.errorMessage == "Trường “title” có giá trị sai kiểu dữ liệu.")
            #expect(empty.errorMessage == "Thiếu nội dung JSON của yêu cầu.")
        }
    }

    @Test func valuesThatFailValidationAre422WithEveryProblemInVietnamese() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let officer = Caller.token(try await APIFixture.token(app, "hang", .officer, unit: "S1"))
            let staff = Caller.token(try await APIFixture.token(app, "mai", .staff, unit: "LB"))

            let everything = try await api(app, .POST, initiatives, as: officer, json: #"{"kind": "team", "sector": "the-thao", "startDate": "31/02/2024"}"#)
            let dates = try await api(app, .POST, initiatives, as: officer, json: APIFixture.initiativeJSON(
                extra: #""startDate": "2024-12-01", "endDate": "2024-03-01""#))
            let nothingToSubmit = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/submit", as: officer)
            try await api(app, .POST, initiatives, as: officer, json: APIFixture.initiativeJSON())
            let declareWithModels = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/declare", as: officer)
            try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/submit", as: officer)
            let noReason = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/return", as: staff, json: #"{"reason": "  "}"#)
            let noBody = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/return", as: staff)

            for response in [everything, dates, nothingToSubmit, declareWithModels, noReason, noBody] {
                #expect(response.status == .unprocessableEntity)
                #expect(response.errorCode == "invalid")
            }
            let message = try #require(everything.errorMessage)
            #expect(message.hasPrefix("Chưa lưu được mô hình: "))
            for part in ["loại đăng ký “team” không hợp lệ (tập thể hoặc cá nhân) (kind)", "ngày bắt đầu “31/02/2024” không phải ngày hợp lệ",
                         "thiếu tên tập thể hoặc cá nhân đăng ký (registrantName)", "thiếu tên mô hình (title)",
                         "lĩnh vực “the-thao” không thuộc đợt thi đua (sector)"] {
                #expect(message.contains(part), "\(part) in \(message)")
            }
            #expect(dates.errorMessage?.contains("ngày kết thúc (01/03/2024) trước ngày bắt đầu (01/12/2024) (endDate)") == true)
            #expect(noReason.errorMessage == "Thiếu lý do trả lại.")
        }
    }

    @Test func stepsThatTheStateDoesNotAllowAre409() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let officer = Caller.token(try await APIFixture.token(app, "hang", .officer, unit: "S1"))
            let staff = Caller.token(try await APIFixture.token(app, "mai", .staff, unit: "LB"))
            let s1 = "/api/v1/campaigns/DVK-2024/units/S1"

            let acceptNothing = try await api(app, .POST, "\(s1)/accept", as: staff)
            try await api(app, .POST, initiatives, as: officer, json: APIFixture.initiativeJSON())
            let duplicate = try await api(app, .POST, initiatives, as: officer,
                                          json: APIFixture.initiativeJSON(name: "tổ công đoàn văn phòng", title: "sáng kiến tiết kiệm điện"))
            try await api(app, .POST, "\(s1)/submit", as: officer)
            let twice = try await api(app, .POST, "\(s1)/submit", as: officer)
            let addAfterSubmit = try await api(app, .POST, initiatives, as: officer, json: APIFixture.initiativeJSON(title: "Khác"))
            let campaign = try await CampaignStore.find(code: "DVK-2024", on: app.db)
            campaign.state = .closed
            try await campaign.save(on: app.db)
            let declareWhenClosed = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/C1/declare", as: staff)

            for response in [acceptNothing, duplicate, twice, addAfterSubmit, declareWhenClosed] {
                #expect(response.status == .conflict)
                #expect(response.errorCode == "conflict")
            }
            #expect(twice.errorMessage == "Không thể nộp khi hồ sơ đang ở trạng thái “Đã nộp”.")
            #expect(declareWhenClosed.errorMessage == "Đợt thi đua không còn mở để nộp.")
        }
    }

    @Test func aFederationOfTheTreeRegistersNothing() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = Caller.token(try await APIFixture.token(app, "mai", .staff, unit: "LB"))

            let submission = try await api(app, .GET, "/api/v1/campaigns/DVK-2024/units/GD", as: staff)
            let create = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/GD/initiatives", as: staff,
                                       json: APIFixture.initiativeJSON())

            #expect(submission.json?["isTarget"]?.bool == false && submission.json?["canRegister"]?.bool == false)
            #expect(create.status == .forbidden)
            #expect(create.errorMessage == "Đơn vị “GD” không thuộc diện đăng ký mô hình của đợt thi đua này.")
        }
    }
}
