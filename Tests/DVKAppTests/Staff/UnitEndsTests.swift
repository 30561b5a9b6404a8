import DVKCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp
import DVKDocuments

/// A unit dissolved or merged: its units move, its accounts stop at once and are listed,
/// it leaves the live tree but keeps its row; the rule is asked, and races end with one winner.
@Suite struct UnitEndsTests {
    /// The fixture with a second federation below LB (YT), to merge GD into.
    static func setUp(_ app: Application) async throws {
        try await Fixture.load(app)
        try await People.create(app)
        _ = try await run(app, "import", "units", try tempFile("code,name,parent_code,kind,email,phone\nYT,Công đoàn ngành Y tế quận Long Biên,LB,federation,,\n"))
    }

    static func unit(_ app: Application, _ code: String) async throws -> DVKApp.Unit {
        try #require(try await DVKApp.Unit.query(on: app.db).filter(\.$code == code).first())
    }

    static func user(_ app: Application, _ name: String) async throws -> User {
        try #require(try await User.query(on: app.db).filter(\.$username == name).first())
    }

    @Test func aMergedFederationsUnitsMoveAndItsAccountsStopAtOnce() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let gdstaff = try await Browser.signIn(app, "gdstaff")
            let gdToken = Caller.token(try await AuthStore.createToken(username: "gdstaff", now: Date(), on: app.db))
            let staff = try await Browser.signIn(app, "staff")
            // First the plan: what would change, asked.
            let plan = try await staff.get("/units/GD/end?into=YT")
            #expect(plan.status == .ok)
            let planPage = plan.body.string
            #expect(planPage.contains("2 đơn vị trực thuộc chuyển sang Công đoàn ngành Y tế quận Long Biên (YT)"))
            #expect(planPage.contains("1 tài khoản của đơn vị bị khóa ngay") && planPage.contains(">gdstaff<"))
            #expect(planPage.contains("Phong trào thi đua “Dân vận khéo” năm 2024") == false)  // GD is no target (a federation)
            #expect(try await Self.unit(app, "GD").endedAt == nil)
            // Done.
            let done = try await staff.post("/units/GD/end", ["into": "YT"])
            #expect(done.status == .ok)
            #expect(done.body.string.contains("2 đơn vị trực thuộc đã chuyển sang Công đoàn ngành Y tế quận Long Biên") && done.body.string.contains("1 tài khoản đã bị khóa"))
            let gd = try await Self.unit(app, "GD"), yt = try await Self.unit(app, "YT")
            #expect(gd.endedAt != nil && gd.mergedIntoID == yt.id)
            for code in ["S1", "S2"] { #expect(try await Self.unit(app, code).parentID == yt.id) }
            // Its account stopped at once: page and token.
            #expect(try await Self.user(app, "gdstaff").disabled)
            #expect(try await gdstaff.get("/users").status == .seeOther)
            #expect(try await api(app, .GET, "/api/v1/me", as: gdToken).status == .unauthorized)
            // The live tree no longer holds it; its page says where it went and takes no edit.
            #expect(!(try await staff.get("/units/LB").body.string.contains("/units/GD\"")))
            #expect(!(try await UnitDirectory.allNodes(on: app.db).contains { $0.code == "GD" }))
            let page = try await staff.get("/units/GD").body.string
            #expect(page.contains("Đơn vị đã sáp nhập vào") && page.contains("href=\"/units/YT\"") && !page.contains("Sửa thông tin đơn vị"))
            #expect(try await staff.post("/units/GD", ["name": "Đổi tên", "kind": "federation", "parent": "LB"]).status == .conflict)
            #expect(try await staff.get("/units/GD/end").status == .notFound)
            let apiUnit = try await api(app, .GET, "/api/v1/units/GD", as: .token(try await AuthStore.createToken(username: "staff", now: Date(), on: app.db)))
            #expect(apiUnit.json?["mergedInto"]?.string == "YT" && apiUnit.json?["endedAt"]?.string?.hasSuffix("+07:00") == true)
            // Listed to act on: the banner, the filter, the person's trail with the reason.
            let people = try await staff.get("/users").body.string
            #expect(people.contains("1 tài khoản đã bị khóa vì đơn vị giải thể hoặc sáp nhập"))
            let listed = try await staff.get("/users?ended=1").body.string
            #expect(listed.contains(">gdstaff<") && !listed.contains(">s1<"))
            let gdID = try await Self.user(app, "gdstaff").requireID()
            let trail = try await AuditTrail.events(id: gdID, on: app.db)
            #expect(trail.first?.action == "account.disabled" && trail.first?.details["Lý do"]?.contains("sáp nhập vào") == true)
            #expect(try await AuditTrail.events(kind: "unit", id: gd.requireID(), on: app.db).map(\.action).first == "unit.merged")
            // The trail exported: the person's file, and everyone's in reach.
            let file = try await staff.get("/users/\(gdID.uuidString)/events.xlsx")
            #expect(file.status == .ok && file.headers.first(name: .contentDisposition)?.contains("nhat-ky-gdstaff") == true)
            // The newest first: the disabling, by the staff member, with its reason.
            let rows = try XLSXReader.table(Data(file.body.readableBytesView)).records.map(\.fields)
            #expect(rows.first?[1] == "gdstaff" && rows.first?[4] == "Khóa tài khoản" && rows.first?[5].contains("Long Biên") == true)
            #expect(rows.first?[8].contains("sáp nhập vào “Công đoàn ngành Y tế quận Long Biên”") == true)
            let everyone = try XLSXReader.table(Data(try await staff.get("/users/events.xlsx").body.readableBytesView)).records.map(\.fields)
            #expect(everyone.contains { $0.count > 1 && $0[1] == "gdstaff" } && !everyone.contains { $0.count > 1 && $0[1] == "admin" })
            // Nothing new lands in it: no account, no enabling there, no unit, no import line.
            #expect(try await staff.post("/users/new", ["fullName": "Người Mới", "unitCode": "GD", "role": "viewer"]).status == .conflict)
            #expect(try await staff.post("/users/\(gdID.uuidString)/enable").status == .conflict)
            #expect(try await staff.post("/units/new", ["code": "GD9", "name": "Con", "kind": "grassroots", "parent": "GD"]).status == .unprocessableEntity)
            await #expect(throws: DomainError.self) {
                _ = try await UnitDirectory.importUnits(try CSVTable(text: "code,name,parent_code,kind\nGDX,Mới,GD,grassroots\n"),
                                                       actor: Actors.cli, at: Date(), on: app.db)
            }
            #expect(try await DVKApp.Unit.query(on: app.db).filter(\.$code ~~ "GD9").count() == 0)
            // The way back for a person still at work: moved to the unit that took GD, then enabled.
            #expect(try await staff.post("/users/\(gdID.uuidString)/update", ["fullName": "gdstaff", "unitCode": "YT", "role": "staff"]).status == .seeOther)
            #expect(try await staff.post("/users/\(gdID.uuidString)/enable").status == .seeOther)
            #expect(try await Browser.signIn(app, "gdstaff").get("/users").status == .ok)
        }
    }

    @Test func theRuleDecidesWhoEndsWhatAndIntoWhat() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let staff = try await Browser.signIn(app, "staff"), gdstaff = try await Browser.signIn(app, "gdstaff")
            // A federation with units left is not dissolved; nothing changes.
            let refused = try await staff.post("/units/GD/end", [:])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Đơn vị còn 2 đơn vị trực thuộc"))
            #expect(try await staff.get("/units/GD/end").status == .unprocessableEntity)
            // Own unit, a unit beside, an officer, a merger across kinds or outside reach.
            #expect(try await gdstaff.post("/units/GD/end", ["into": "YT"]).status == .unprocessableEntity)
            #expect(try await gdstaff.post("/units/C1/end", [:]).status == .notFound)
            #expect(try await gdstaff.post("/units/S2/end", ["into": "C1"]).status == .unprocessableEntity)
            #expect(try await Browser.signIn(app, "s1").post("/units/S1/end", [:]).status == .forbidden)
            #expect(try await staff.post("/units/S1/end", ["into": "GD"]).status == .unprocessableEntity)
            #expect(try await staff.post("/units/GD/end", ["into": "S1"]).status == .unprocessableEntity)
            #expect(try await Browser.signIn(app, "admin").post("/units/LB/end", ["into": "GD"]).status == .unprocessableEntity)  // into its own unit
            #expect(try await DVKApp.Unit.query(on: app.db).filter(\.$endedAt != nil).count() == 0)
            #expect(try await User.query(on: app.db).filter(\.$disabled == true).count() == 0)
            // Allowed: a grassroots union into another, within reach; the one without accounts dissolved.
            #expect(try await gdstaff.post("/units/S2/end", ["into": "S1"]).status == .ok)
            #expect(try await staff.post("/units/P1/end", [:]).status == .ok)
            #expect(try await Self.unit(app, "P1").mergedIntoID == nil)
            // Dissolved units get no account offered.
            let lb = try await Self.unit(app, "LB")
            let offered = try await PeopleDirectory.unitsWithoutOfficer(below: lb.requireID(), on: app.db).map(\.code)
            #expect(!offered.contains("P1") && !offered.contains("S2"))
            // A campaign taking the live tree again leaves them out; its counts stay whole.
            let campaign = try #require(try await Campaign.query(on: app.db).filter(\.$code == "DVK-2024").first())
            try await CampaignStore.sync(campaign, at: Date(), on: app.db)
            let targets = try await CampaignUnit.query(on: app.db).filter(\.$campaignID == campaign.requireID()).filter(\.$isTarget == true).all().map(\.code)
            #expect(Set(targets) == ["S1", "C1"])
        }
    }

    @Test func racesEndWithOneWinner() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let a = try await Browser.signIn(app, "staff"), b = try await Browser.signIn(app, "admin")
            // Two people dissolving one unit at once.
            let both = try await withThrowingTaskGroup(of: HTTPStatus.self) { group -> [HTTPStatus] in
                for browser in [a, b] { group.addTask { try await browser.post("/units/P1/end", [:]).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(both.filter { $0 == .ok }.count == 1, "\(both)")
            #expect(both.allSatisfy { [.ok, .conflict, .notFound].contains($0) }, "\(both)")
            // Two units merged into each other at once: one merger, never a unit under an ended one.
            let cross = try await withThrowingTaskGroup(of: HTTPStatus.self) { group -> [HTTPStatus] in
                group.addTask { try await a.post("/units/S1/end", ["into": "S2"]).status }
                group.addTask { try await b.post("/units/S2/end", ["into": "S1"]).status }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(cross.filter { $0 == .ok }.count == 1, "\(cross)")
            #expect(cross.allSatisfy { [.ok, .conflict, .notFound, .unprocessableEntity].contains($0) }, "\(cross)")
            let ended = try await DVKApp.Unit.query(on: app.db).filter(\.$code ~~ ["S1", "S2"]).filter(\.$endedAt != nil).count()
            #expect(ended == 1)
            // A federation merged while a unit is added under it: the unit lands live, or is refused.
            let race = try await withThrowingTaskGroup(of: HTTPStatus.self) { group -> [HTTPStatus] in
                group.addTask { try await a.post("/units/GD/end", ["into": "YT"]).status }
                group.addTask { try await b.post("/units/new", ["code": "S9", "name": "Trường mới", "kind": "grassroots", "parent": "GD"]).status }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(race.allSatisfy { [.ok, .seeOther, .unprocessableEntity].contains($0) }, "\(race)")
            let orphans = try await app.db.sql().raw("""
                SELECT COUNT(*) AS n FROM units c JOIN units p ON p.id = c.parent_id WHERE c.ended_at IS NULL AND p.ended_at IS NOT NULL
                """).first()?.decode(column: "n", as: Int.self)
            #expect(orphans == 0)
        }
    }
}
