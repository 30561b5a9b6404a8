import DVKCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import DVKApp

/// The happy paths of every route, the whole review workflow, and the summary being
/// exactly the CLI's. Every answer is also checked against the OpenAPI document (`api`).
@Suite struct APITests {
    let campaign = "/api/v1/campaigns/DVK-2024"

    @Test func whoAmIAndTheUnitsBelowMe() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = Caller.token(try await APIFixture.token(app, "mai", .staff, unit: "LB"))

            let me = try await api(app, .GET, "/api/v1/me", as: staff)
            let units = try await api(app, .GET, "/api/v1/units", as: staff)
            let gd = try await api(app, .GET, "/api/v1/units/GD", as: staff)
            let lb = try await api(app, .GET, "/api/v1/units/LB", as: staff)

            #expect(me.status == .ok)
            #expect(me.json?["username"]?.string == "mai")
            #expect(me.json?["role"]?.string == "staff")
            #expect(me.json?["unit"]?["code"]?.string == "LB")
            #expect(units.status == .ok)
            // Pre-order, children by code; nothing above LB, nothing outside it (HN, OTHER).
            #expect(units.json?.array?.compactMap { $0["code"]?.string } == ["LB", "C1", "GD", "S1", "S2", "P1"])
            #expect(units.json?.array?.map { $0["parent"] ?? .null } == [.null, .string("LB"), .string("LB"), .string("GD"), .string("GD"), .string("LB")])
            #expect(units.json?.array?.compactMap { $0["depth"]?.int } == [0, 1, 1, 2, 2, 1])
            #expect(gd.json?["parent"]?.string == "LB")
            #expect(gd.json?["children"]?.array?.compactMap { $0["code"]?.string } == ["S1", "S2"])
            #expect(lb.json?["parent"] == .null)  // HN is above the caller: not named
            #expect(lb.json?["email"]?.string == "lb@example.vn")
        }
    }

    @Test func campaignsAndWhereEachUnitStands() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = Caller.token(try await APIFixture.token(app, "duc", .staff, unit: "GD"))

            let list = try await api(app, .GET, "/api/v1/campaigns", as: staff)
            let one = try await api(app, .GET, campaign, as: staff)
            let rows = try await api(app, .GET, "\(campaign)/units", as: staff)
            let s1 = try await api(app, .GET, "\(campaign)/units/S1", as: staff)

            #expect(list.json?.array?.compactMap { $0["code"]?.string } == ["DVK-2024"])
            // Each item of the list is the campaign as it reads alone, its issuer included.
            #expect(String(decoding: list.body, as: UTF8.self) == "[" + String(decoding: one.body, as: UTF8.self) + "]")
            #expect(one.json?["deadline"]?.string == "2024-02-16T00:00:00+07:00")
            #expect(one.json?["issuedOn"]?.string == "2024-02-06")
            #expect(one.json?["number"]?.string == "26/LĐLĐ")
            #expect(one.json?["state"]?.string == "open")
            #expect(one.json?["issuer"]?["code"]?.string == "LB")
            #expect(one.json?["issuer"]?["name"]?.string == "Liên đoàn Lao động quận Long Biên")
            #expect(one.json?["scope"]?["code"]?.string == "GD")
            #expect(one.json?["canRun"]?.bool == false)
            #expect(one.json?["sectors"]?.array?.compactMap { $0["code"]?.string } == Sector.defaults.map(\.code))
            #expect(rows.json?.array?.compactMap { $0["code"]?.string } == ["S1", "S2"])
            #expect(rows.json?.array?.compactMap { $0["status"]?.string } == ["not_started", "not_started"])
            #expect(s1.json?["status"]?.string == "not_started")
            #expect(s1.json?["isTarget"]?.bool == true)
            #expect(s1.json?["canRegister"]?.bool == true && s1.json?["canReview"]?.bool == true)
            #expect(s1.json?["history"]?.array?.isEmpty == true)
        }
    }

    @Test func initiativesAreCreatedReadUpdatedAndDeleted() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let officer = Caller.token(try await APIFixture.token(app, "hang", .officer, unit: "S1"))
            let path = "\(campaign)/units/S1/initiatives"

            let created = try await api(app, .POST, path, as: officer, json: """
                {"kind": "individual", "registrantName": "Nguyễn Thị Thuỷ", "registrantTitle": "Giáo viên",
                 "sector": "van-hoa-xa-hoi", "title": "Tủ sách đoàn viên", "purpose": "Khuyến khích đọc sách",
                 "startDate": "2024-03-01", "endDate": "2024-12-31", "continuity": "continues"}
                """)
            let id = try #require(created.json?["id"]?.string)
            let listed = try await api(app, .GET, path, as: officer)
            let shown = try await api(app, .GET, "\(path)/\(id)", as: officer)
            let updated = try await api(app, .PUT, "\(path)/\(id)", as: officer,
                                        json: APIFixture.initiativeJSON(kind: "individual", name: "Nguyễn Thị Thủy",
                                                                        sector: "kinh-te", title: "Lớp học số"))
            let deleted = try await api(app, .DELETE, "\(path)/\(id)", as: officer)
            let gone = try await api(app, .GET, "\(path)/\(id)", as: officer)
            let submission = try await api(app, .GET, "\(campaign)/units/S1", as: officer)

            #expect(created.status == .created)
            #expect(created.headers.first(name: .location) == "\(path)/\(id)")
            #expect(created.json?["registrantName"]?.string == "Nguyễn Thị Thuỷ")
            #expect(created.json?["startDate"]?.string == "2024-03-01")
            #expect(created.json?["continuity"]?.string == "continues")
            #expect(created.json?["unit"]?.string == "S1")
            #expect(listed.json?.array?.compactMap { $0["id"]?.string } == [id])
            #expect(shown.json?["purpose"]?.string == "Khuyến khích đọc sách")
            #expect(updated.status == .ok)
            #expect(updated.json?["title"]?.string == "Lớp học số")
            #expect(updated.json?["sector"]?.string == "kinh-te")
            // A PUT replaces every field: what was left out is now empty.
            #expect(updated.json?["purpose"]?.string == "" && updated.json?["startDate"] == .null)
            #expect(updated.json?["continuity"]?.string == "new")
            // "Thuỷ" and "Thủy" are one registrant, kept with its first spelling.
            #expect(updated.json?["registrantName"]?.string == "Nguyễn Thị Thuỷ")
            #expect(deleted.status == .noContent && deleted.body.isEmpty)
            #expect(gone.status == .notFound && gone.errorCode == "not_found")
            #expect(submission.json?["status"]?.string == "draft" && submission.json?["initiatives"]?.int == 0)
        }
    }

    /// Officer creates → submits → staff returns with a reason → officer sees it, edits and
    /// resubmits → staff accepts; the official summary follows every step.
    @Test func theWholeReviewWorkflowMovesTheSummary() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let officer = Caller.token(try await APIFixture.token(app, "hang", .officer, unit: "S1"))
            let staff = Caller.token(try await APIFixture.token(app, "mai", .staff, unit: "LB"))
            let s1 = "\(campaign)/units/S1"
            func total() async throws -> [Int] {
                let summary = try await api(app, .GET, "\(campaign)/summary?unit=LB", as: staff).decode(SummaryDTO.self)
                return summary.grid.last ?? []
            }

            let first = try await api(app, .POST, "\(s1)/initiatives", as: officer, json: APIFixture.initiativeJSON())
            try await api(app, .POST, "\(s1)/initiatives", as: officer,
                          json: APIFixture.initiativeJSON(kind: "individual", name: "Lê Văn An", sector: "van-hoa-xa-hoi", title: "Góc đọc sách"))
            let id = try #require(first.json?["id"]?.string)
            let draftTotal = try await total()
            let submitted = try await api(app, .POST, "\(s1)/submit", as: officer)
            let submittedTotal = try await total()
            let returned = try await api(app, .POST, "\(s1)/return", as: staff, json: #"{"reason": "Thiếu thời gian thực hiện"}"#)
            let returnedTotal = try await total()
            let seen = try await api(app, .GET, s1, as: officer)
            let edited = try await api(app, .PUT, "\(s1)/initiatives/\(id)", as: officer,
                                       json: APIFixture.initiativeJSON(extra: #""startDate": "2024-03-01", "endDate": "2024-12-31""#))
            let resubmitted = try await api(app, .POST, "\(s1)/submit", as: officer)
            let officerAccepts = try await api(app, .POST, "\(s1)/accept", as: officer)
            let accepted = try await api(app, .POST, "\(s1)/accept", as: staff)
            let acceptedTotal = try await total()
            let lateEdit = try await api(app, .PUT, "\(s1)/initiatives/\(id)", as: officer, json: APIFixture.initiativeJSON())
            let rows = try await api(app, .GET, "\(campaign)/units", as: staff)

            #expect(draftTotal == [0, 0, 0, 0])  // drafts do not count
            #expect(submitted.json?["status"]?.string == "submitted")
            #expect(submitted.json?["late"]?.bool == true)  // the 2024 deadline has passed; late work is accepted
            #expect(submittedTotal == [1, 1, 1, 1])
            #expect(returned.json?["status"]?.string == "returned")
            #expect(returnedTotal == [0, 0, 0, 0])
            #expect(seen.json?["returnReason"]?.string == "Thiếu thời gian thực hiện")
            #expect(seen.json?["canRegister"]?.bool == true && seen.json?["canReview"]?.bool == false)
            #expect(edited.status == .ok && edited.json?["endDate"]?.string == "2024-12-31")
            #expect(resubmitted.json?["status"]?.string == "resubmitted")
            #expect(officerAccepts.status == .forbidden && officerAccepts.errorCode == "forbidden")
            #expect(accepted.json?["status"]?.string == "accepted")
            #expect(accepted.json?["returnReason"] == .null)
            #expect(acceptedTotal == [1, 1, 1, 1])
            #expect(lateEdit.status == .conflict && lateEdit.errorCode == "conflict")
            let history = accepted.json?["history"]?.array ?? []
            // The edit of returned work is a line of its own, naming what changed.
            #expect(history.compactMap { $0["action"]?.string } == ["edit", "submit", "return", "edit", "submit", "accept"])
            #expect(history.compactMap { $0["to"]?.string } == ["draft", "submitted", "returned", "returned", "resubmitted", "accepted"])
            #expect(history.compactMap { $0["actor"]?.string } == ["hang", "hang", "mai", "hang", "hang", "mai"])
            #expect(history[3]["note"]?.string?.hasPrefix("Sửa “") == true)
            #expect(history[2]["note"]?.string == "Thiếu thời gian thực hiện")
            #expect(rows.json?.array?.first { $0["code"]?.string == "S1" }?["status"]?.string == "accepted")
        }
    }

    @Test func declaringNoModelIsAnAnswerOfZero() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let officer = Caller.token(try await APIFixture.token(app, "son", .officer, unit: "C1"))

            let declared = try await api(app, .POST, "\(campaign)/units/C1/declare", as: officer)

            #expect(declared.status == .ok)
            #expect(declared.json?["status"]?.string == "submitted")
            #expect(declared.json?["noModel"]?.bool == true)
            #expect(declared.json?["initiatives"]?.int == 0)
        }
    }

    @Test func theSummaryIsExactlyTheCLIsJSON() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await run(app, "import", "initiatives", try tempFile(CLITests.initiativesCSV), "--campaign", "DVK-2024")
            let staff = Caller.token(try await APIFixture.token(app, "mai", .staff, unit: "LB"))
            let officer = Caller.token(try await APIFixture.token(app, "hang", .officer, unit: "S1"))

            for unit in ["LB", "GD", "S1", "S2", "P1", "C1"] {
                let response = try await api(app, .GET, "\(campaign)/summary?unit=\(unit)", as: staff)
                #expect(try response.decode(SummaryDTO.self) == (try await Fixture.summary(app, unit: unit)))
                // Byte for byte, not only the same values.
                let cli = try await run(app, "summary", "--campaign", "DVK-2024", "--unit", unit, "--format", "json")
                #expect(String(decoding: response.body, as: UTF8.self) == cli.trimmingCharacters(in: .newlines))
            }
            // Without ?unit= the summary is of the top of the caller's scope.
            let whole = try await api(app, .GET, "\(campaign)/summary", as: staff)
            let own = try await api(app, .GET, "\(campaign)/summary", as: officer)
            #expect(try whole.decode(SummaryDTO.self) == (try await Fixture.summary(app, unit: "LB")))
            #expect(try own.decode(SummaryDTO.self) == (try await Fixture.summary(app, unit: "S1")))
            #expect(try whole.decode(SummaryDTO.self).grid.last == [4, 4, 2, 3])
        }
    }

    @Test func aTokenFromTheCLIOpensTheAPI() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await run(app, "user", "create", "--username", "Mai", "--password", "dvk-demo-2024", "--role", "staff", "--unit", "LB")

            let token = try await run(app, "user", "token", "mai").trimmingCharacters(in: .whitespacesAndNewlines)
            let me = try await api(app, .GET, "/api/v1/me", as: .token(token))

            #expect(token.hasPrefix("dvk_"))
            #expect(me.status == .ok)
            #expect(me.json?["username"]?.string == "mai")
            #expect(me.json?["unit"]?["name"]?.string == "Liên đoàn Lao động quận Long Biên")
        }
    }
}
