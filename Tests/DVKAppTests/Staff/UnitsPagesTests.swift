import DVKCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

@Suite struct UnitsPagesTests {
    func unitForm(_ unit: DVKApp.Unit, parent: String, _ changes: [String: String] = [:]) -> [String: String] {
        ["name": unit.name, "kind": unit.kind.rawValue, "parent": parent, "email": unit.email, "phone": unit.phone]
            .merging(changes) { _, new in new }
    }

    /// A grassroots union created under the issuer of an open campaign that takes every one
    /// joins it at once, with a line in its history; a campaign of chosen units lists it as
    /// not in, and one click of the staff who run it adds it. Counts stay equal to a recount.
    @Test func aNewUnitJoinsTheOpenCampaignsAboveIt() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)
            var chosen = CampaignInput(code: "DVK-CHON", issuerCode: "LB", year: 2024, issuedOn: CalendarDay(year: 2024, month: 2, day: 6),
                                       deadline: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16)))
            chosen.targets = [try await UnitDirectory.find(code: "S1", on: app.db).requireID()]
            _ = try await CampaignStore.create(chosen, at: Date(), on: app.db)

            let created = try await p.staff.post("/units/new", ["code": "S3", "name": "Trường Mầm non Thạch Bàn", "kind": "grassroots", "parent": "GD"])
            #expect(created.status == .seeOther)
            let all = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            #expect(try await CampaignStore.snapshotUnit(campaignID: all.id, code: "S3", on: app.db).isTarget)
            let page = try await p.staff.get("/campaigns/DVK-2024/units/S3").text
            #expect(page.contains("đưa đơn vị vào đợt thi đua") && page.contains("Đơn vị mới thuộc Liên đoàn Lao động quận Long Biên"))
            try await RaceTests.expectCountsEqualARecount(app)

            // The campaign of chosen units: not in, and one click adds it.
            let unitPage = try await p.staff.get("/units/S3").text
            #expect(unitPage.contains("Đợt thi đua đang mở") && unitPage.contains("Chưa tham gia"))
            #expect(unitPage.contains("/units/S3/campaigns/DVK-CHON/join"))
            #expect(!(try await p.subStaff.get("/units/S3").text.contains("/campaigns/DVK-CHON/join")), "only those who run the campaign add")
            #expect(try await p.subStaff.post("/units/S3/campaigns/DVK-CHON/join").status == .forbidden)
            #expect(try await p.staff.post("/units/S3/campaigns/DVK-CHON/join").status == .seeOther)
            let chose = try await CampaignStore.info(code: "DVK-CHON", on: app.db)
            #expect(try await CampaignStore.snapshotUnit(campaignID: chose.id, code: "S3", on: app.db).isTarget)
            #expect(try await CampaignUnit.query(on: app.db).filter(\.$campaignID == chose.id).filter(\.$isTarget == true).count() == 2)
            #expect(try await p.staff.post("/units/S3/campaigns/DVK-CHON/join").status == .conflict, "twice is refused")
            #expect(try await p.staff.post("/units/GD/campaigns/DVK-CHON/join").status == .unprocessableEntity, "a federation is no target")
        }
    }

    @Test func staffBrowseDownFromTheirUnitAndSearchWithoutDiacritics() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)

            let home = try await p.staff.get("/units")
            #expect(home.status == .ok)
            #expect(home.text.contains("<h1>Liên đoàn Lao động quận Long Biên</h1>"))
            #expect(home.text.contains("Đơn vị trực thuộc (3)") && home.text.contains("GD · 2 đơn vị trực thuộc"))

            let school = try await p.staff.get("/units/S1")
            #expect(school.text.contains("href=\"/units/LB\">Liên đoàn Lao động quận Long Biên</a> › <a href=\"/units/GD\">"))
            #expect(school.text.contains("name=\"name\""))

            let found = try await p.staff.get("/units?q=tieu%20hoc%20ngoc%20lam")
            #expect(found.text.contains("Trường Tiểu học Ngọc Lâm") && found.text.contains("1 đơn vị"))
            let outside = try await p.staff.get("/units?q=ngoai%20quan")
            #expect(outside.text.contains("Không tìm thấy đơn vị nào"))
            let byCode = try await p.subStaff.get("/units?q=s2")
            #expect(byCode.text.contains("Trường THCS Gia Thụy"))

            // Viewers read; they get no form.
            let read = try await p.viewer.get("/units/S1")
            #expect(read.status == .ok && !read.text.contains("name=\"name\""))
        }
    }

    @Test func staffRenameAndMoveAUnitWithinTheirSubtree() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            let s1 = try await UnitDirectory.find(code: "S1", on: app.db)

            let saved = try await staff.post("/units/S1", unitForm(s1, parent: "LB", ["name": "Trường  Tiểu học Ngọc Lâm mới", "email": "nl@example.vn"]))

            #expect(saved.status == .seeOther && saved.location == "/units/S1")
            let moved = try await UnitDirectory.find(code: "S1", on: app.db)
            #expect(moved.name == "Trường Tiểu học Ngọc Lâm mới" && moved.email == "nl@example.vn")
            #expect(moved.parentID == (try await UnitDirectory.find(code: "LB", on: app.db)).id)
            // The campaign keeps its tree until a re-sync.
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            #expect(try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: "S1", on: app.db).name == "Trường Tiểu học Ngọc Lâm")
            // The flash shows on the page the redirect lands on, once.
            let cookie = try #require(saved.headers.setCookie?[Flash.cookieName]?.string)
            let landed = try await staff.get("/units/S1", extraCookie: "\(Flash.cookieName)=\(cookie)")
            #expect(landed.text.contains("Đã lưu thông tin đơn vị “Trường Tiểu học Ngọc Lâm mới”."))
            #expect(landed.headers.setCookie?[Flash.cookieName]?.expires.map { $0 < Date() } == true)
        }
    }

    @Test func movesThatWouldBreakTheTreeAreRefusedWithTheReason() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await run(app, "import", "units", try tempFile("code,name,parent_code,kind\nGD2,Tổ công đoàn khối trường,GD,federation\n"))
            let p = try await StaffTestKit.people(app)
            let gd = try await UnitDirectory.find(code: "GD", on: app.db)
            let lb = try await UnitDirectory.find(code: "LB", on: app.db)
            let s2 = try await UnitDirectory.find(code: "S2", on: app.db)

            let underOwnChild = try await p.staff.post("/units/GD", unitForm(gd, parent: "GD2"))
            #expect(underOwnChild.status == .unprocessableEntity)
            #expect(underOwnChild.text.contains("Không thể chuyển “GD” vào “GD2” vì “GD2” đang trực thuộc “GD”."))
            #expect(underOwnChild.text.contains("value=\"GD2\""))
            let underItself = try await p.staff.post("/units/GD", unitForm(gd, parent: "GD"))
            #expect(underItself.text.contains("Một đơn vị không thể là cấp trên của chính nó."))
            let underSchool = try await p.staff.post("/units/S2", unitForm(s2, parent: "S1"))
            #expect(underSchool.text.contains("“S1” là công đoàn cơ sở nên không thể có đơn vị trực thuộc"))
            let ownUnit = try await p.staff.post("/units/LB", unitForm(lb, parent: "FAR"))
            #expect(ownUnit.text.contains("Không thể chuyển đơn vị của chính mình"))
            let ownKind = try await p.staff.post("/units/LB", unitForm(lb, parent: "HN", ["kind": "grassroots"]))
            #expect(ownKind.text.contains("Không thể đổi loại đơn vị của chính mình."))
            let withChildren = try await p.staff.post("/units/GD", unitForm(gd, parent: "LB", ["kind": "grassroots"]))
            #expect(withChildren.text.contains("Đơn vị đang có 3 đơn vị trực thuộc nên không thể là công đoàn cơ sở."))
            let outOfReach = try await p.subStaff.post("/units/S2", unitForm(s2, parent: "LB"))
            #expect(outOfReach.text.contains("Không tìm thấy đơn vị cấp trên “LB” trong phạm vi quản lý của đơn vị."))
            let bad = try await p.staff.post("/units/S2", unitForm(s2, parent: "GD", ["name": " ", "email": "không-phải-email"]))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Thiếu tên đơn vị.") && bad.text.contains("value=\"không-phải-email\""))

            #expect(try await UnitDirectory.find(code: "GD", on: app.db).parentID == lb.id)
            #expect(try await UnitDirectory.find(code: "GD", on: app.db).kind == .federation)
            #expect(try await UnitDirectory.find(code: "S2", on: app.db).name == "Trường THCS Gia Thụy")
        }
    }

    @Test func staffAddAUnitUnderAFederationOfTheirSubtree() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)

            let form = try await p.staff.get("/units/new?parent=GD")
            #expect(form.status == .ok && form.text.contains("value=\"GD\"") && form.text.contains("hiện là: Công đoàn ngành Giáo dục"))

            let fields = ["code": "S3", "name": "Trường Mầm non Hoa Sữa", "kind": "grassroots", "parent": "GD", "email": "", "phone": ""]
            let created = try await p.staff.post("/units/new", fields)
            #expect(created.status == .seeOther && created.location == "/units/S3")
            let s3 = try await UnitDirectory.find(code: "S3", on: app.db)
            #expect(s3.parentID == (try await UnitDirectory.find(code: "GD", on: app.db)).id && s3.kind == .grassroots)

            let again = try await p.staff.post("/units/new", fields)
            #expect(again.status == .unprocessableEntity && again.text.contains("Đã có đơn vị mã “S3”; chọn mã khác."))
            var far = fields
            far["code"] = "S4"
            let outside = try await p.farStaff.post("/units/new", far)
            #expect(outside.status == .unprocessableEntity && outside.text.contains("Không tìm thấy đơn vị cấp trên “GD” trong phạm vi quản lý của đơn vị."))
            #expect(try await DVKApp.Unit.query(on: app.db).filter(\.$code == "S4").count() == 0)
        }
    }

    @Test func aUnitsFileIsImportedWithinTheUsersSubtreeOnly() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)

            let analyzed = try await CLITests.analyzeCount(app)
            let ok = try await p.subStaff.upload("/units/import", file: """
            code,name,parent_code,kind,email,phone
            S3,Trường Mầm non Hoa Sữa,GD,grassroots,hs@example.vn,
            S2,Trường THCS Gia Thụy (đổi tên),GD,grassroots,,
            """)
            #expect(ok.status == .ok)
            #expect(ok.text.contains("Đã nhập xong: thêm 1 đơn vị, cập nhật 1, 0 đơn vị không đổi."))
            #expect(try await UnitDirectory.find(code: "S2", on: app.db).name == "Trường THCS Gia Thụy (đổi tên)")
            // On PostgreSQL the import refreshed the planner's statistics.
            if let analyzed { #expect(try await CLITests.analyzeCount(app) == analyzed + 1) }

            let before = try await UnitDirectory.allNodes(on: app.db)
            let refused = try await p.subStaff.upload("/units/import", file: """
            code,name,parent_code,kind,email,phone
            S4,Trường mới hợp lệ,GD,grassroots,,
            P1,Cơ quan phường (đổi tên),LB,grassroots,,
            S5,Trường mới dưới quận,LB,grassroots,,
            GD,Công đoàn ngành Giáo dục,FAR,federation,,
            S6,Trường sai loại,GD,truong hoc,,
            """)

            #expect(refused.status == .unprocessableEntity)
            let html = refused.text
            #expect(html.contains("Tệp có 4 dòng lỗi; chưa có gì được ghi."))
            #expect(html.contains("Dòng 3: </strong>đơn vị “P1” nằm ngoài phạm vi quản lý của đơn vị; cấp trên “LB” nằm ngoài phạm vi quản lý của đơn vị"))
            #expect(html.contains("Dòng 4: </strong>cấp trên “LB” nằm ngoài phạm vi quản lý của đơn vị"))
            #expect(html.contains("Dòng 5: </strong>không thể chuyển đơn vị của chính mình (“GD”) sang cấp trên khác"))
            #expect(html.contains("Dòng 6: </strong>loại đơn vị “truong hoc” không hợp lệ"))
            #expect(Set(try await UnitDirectory.allNodes(on: app.db)) == Set(before))

            let empty = try await p.staff.upload("/units/import", file: "")
            #expect(empty.status == .unprocessableEntity && empty.text.contains("Vui lòng chọn tệp Excel (.xlsx) hoặc CSV"))
            let forged = try await p.staff.upload("/units/import", file: "code,name,parent_code,kind\nS9,X,GD,grassroots\n", csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await DVKApp.Unit.query(on: app.db).filter(\.$code == "S9").count() == 0)
        }
    }

    @Test func whoMayDoWhatWithUnits() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)
            let s1 = try await UnitDirectory.find(code: "S1", on: app.db)
            let edit = unitForm(s1, parent: "GD")
            let reads: [(Visitor, [String: Int])] = [
                (p.admin, ["/units": 200, "/units/S1": 200, "/units/LB": 200, "/units/FAR": 200]),
                (p.staff, ["/units": 200, "/units/S1": 200, "/units/LB": 200, "/units/HN": 404, "/units/FAR": 404]),
                (p.subStaff, ["/units": 200, "/units/S1": 200, "/units/LB": 404, "/units/P1": 404]),
                (p.viewer, ["/units": 200, "/units/S1": 200, "/units/FAR": 200]),
                (p.officer, ["/units": 403, "/units/S1": 403, "/units/P1": 403, "/units/new": 403, "/units/import": 403]),
                (p.farStaff, ["/units": 200, "/units/FAR": 200, "/units/S1": 404, "/units/new": 200, "/units/import": 200]),
            ]
            for (who, paths) in reads {
                for (path, status) in paths {
                    #expect(try await who.get(path).status.code == UInt(status), "GET \(path) as \(who.username)")
                }
            }
            for (who, status) in [(p.admin, 303), (p.staff, 303), (p.subStaff, 303), (p.viewer, 403), (p.officer, 403), (p.farStaff, 404)] {
                #expect(try await who.post("/units/S1", edit).status.code == UInt(status), "POST /units/S1 as \(who.username)")
            }
            for who in [p.viewer, p.officer] {
                #expect(try await who.get("/units/new").status == .forbidden)
                #expect(try await who.post("/units/new", ["code": "Z", "name": "Z", "kind": "grassroots", "parent": "LB"]).status == .forbidden)
                #expect(try await who.upload("/units/import", file: "code,name,parent_code,kind\nZ,Z,LB,grassroots\n").status == .forbidden)
            }
            #expect(try await p.staff.post("/units/S1", edit, csrf: false).status == .forbidden)
            #expect(try await p.staff.post("/units/new", ["code": "Z", "name": "Z", "kind": "grassroots", "parent": "LB"], csrf: false).status == .forbidden)
            #expect(try await DVKApp.Unit.query(on: app.db).filter(\.$code == "Z").count() == 0)
            #expect(try await p.officer.get("/units").text.contains("dành cho cán bộ công đoàn cấp trên"))
        }
    }
}
