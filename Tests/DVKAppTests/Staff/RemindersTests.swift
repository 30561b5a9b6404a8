import DVKCore
@testable import DVKDocuments
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

@Suite struct RemindersTests {
    /// S1 submitted, S2 drafting, P1 returned, C1 silent; P1 and C1 have email addresses.
    func prepare(_ app: Application) async throws {
        try await Fixture.load(app)
        let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
        func draft(_ title: String) -> InitiativeDraft {
            InitiativeDraft(kind: .collective, registrantName: "Tổ Văn phòng", sectorCode: "kinh-te", title: title)
        }
        for code in ["S1", "S2", "P1"] {
            let id = try await UnitDirectory.find(code: code, on: app.db).requireID()
            try await RegistrationStore.save(draft("Mô hình của \(code)"), campaign: campaign, unitID: id, actor: "t", at: Date(), on: app.db)
            if code != "S2" { try await RegistrationStore.perform(.submit, campaign: campaign, unitID: id, actor: "t", at: Date(), on: app.db) }
            if code == "P1" {
                try await RegistrationStore.perform(.return(resubmitBy: nil), campaign: campaign, unitID: id, actor: "staff", reason: "Thiếu nội dung", at: Date(), on: app.db)
            }
        }
        for (code, email, phone) in [("P1", "p1@example.vn", "0912 345 678"), ("C1", "c1@example.vn", "")] {
            let unit = try await UnitDirectory.find(code: code, on: app.db)
            unit.email = email
            unit.phone = phone
            try await unit.save(on: app.db)
        }
    }

    @Test func theListHoldsExactlyTheTargetsThatHaveNotHandedIn() async throws {
        try await withApp { app in
            try await prepare(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            // P1's officers: one active, named with a title and a phone; one disabled, not named.
            for (username, name, disabled) in [("hoa", "Nguyễn Thị <Hoa>", false), ("cu", "Người Đã Nghỉ", true)] {
                _ = try await AuthStore.createUser(username: username, password: StaffTestKit.password, role: .officer, unitCode: "P1", at: Date(), on: app.db)
                try await app.db.sql().update("users").set("display_name", to: name).set("title", to: "Chủ tịch CĐCS")
                    .set("phone", to: "0987 654 321").set("disabled", to: disabled).where("username", .equal, username).run()
            }

            let page = try await staff.get("/campaigns/DVK-2024/reminders")

            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("<strong>3/4</strong>"))
            for name in ["Công ty Cổ phần May Đức Giang", "Trường THCS Gia Thụy", "Cơ quan UBND phường Bồ Đề"] { #expect(html.contains(name)) }
            #expect(!html.contains("Trường Tiểu học Ngọc Lâm"))
            #expect(html.contains("Đang soạn") && html.contains("Đã trả lại") && html.contains("Chưa bắt đầu"))
            #expect(html.contains(">c1@example.vn; p1@example.vn</textarea>"))
            #expect(html.contains("href=\"tel:0912345678\""))
            #expect(html.contains("đã hết hạn"))
            // The table names the common deadline's units briefly (the page states it once,
            // above), and P1's officer, escaped, with her phone.
            #expect(html.contains("quá hạn chung; nộp lúc này được ghi là nộp muộn"))
            #expect(html.components(separatedBy: "đã hết hạn").count == 2, "the time since the deadline is said once, above the table")
            #expect(html.contains("Nguyễn Thị &lt;Hoa&gt; (Chủ tịch CĐCS) · <a class=\"nowrap\" href=\"tel:0987654321\">0987 654 321</a>"))
            #expect(!html.contains("Người Đã Nghỉ") && html.contains("chưa có tài khoản"))

            let csv = try await staff.get("/campaigns/DVK-2024/reminders.csv")

            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            // The file's name says what it holds, for whom, and when.
            #expect(csv.headers.first(name: .contentDisposition)?.contains("DVK-2024_don-vi-chua-nop_LB_") == true)
            #expect(csv.headers.first(name: .contentDisposition)?.hasSuffix(".csv\"") == true)
            let bytes = Array(csv.body.readableBytesView)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(text == """
            Mã đơn vị,Tên đơn vị,Đơn vị cấp trên,Trạng thái,Hạn của đơn vị,Email,Điện thoại,Người liên hệ\r
            C1,Công ty Cổ phần May Đức Giang,Liên đoàn Lao động quận Long Biên,Chưa bắt đầu,"quá hạn chung; nộp lúc này được ghi là nộp muộn",c1@example.vn,,\r
            S2,Trường THCS Gia Thụy,Công đoàn ngành Giáo dục quận Long Biên,Đang soạn,"quá hạn chung; nộp lúc này được ghi là nộp muộn",,,\r
            P1,Cơ quan UBND phường Bồ Đề,Liên đoàn Lao động quận Long Biên,Đã trả lại,nộp lại: không ấn định ngày,p1@example.vn,0912 345 678,"Nguyễn Thị <Hoa> (Chủ tịch CĐCS), 0987 654 321"\r

            """)
        }
    }

    @Test func theListIsFilteredByNameWithoutDiacriticsAndByScope() async throws {
        try await withApp { app in
            try await prepare(app)
            let p = try await StaffTestKit.people(app)

            let found = try await p.staff.get("/campaigns/DVK-2024/reminders?q=gia%20thuy")
            #expect(found.text.contains("Trường THCS Gia Thụy") && !found.text.contains("Cơ quan UBND phường Bồ Đề"))
            let none = try await p.staff.get("/campaigns/DVK-2024/reminders?q=khong%20co")
            #expect(none.text.contains("Không có đơn vị chưa nộp nào khớp “khong co”."))
            let csv = try await p.staff.get("/campaigns/DVK-2024/reminders.csv?q=gia%20thuy")
            #expect(csv.text.components(separatedBy: "\r\n").count == 3)

            // The education union's staff see their own schools only.
            let sub = try await p.subStaff.get("/campaigns/DVK-2024/reminders")
            #expect(sub.text.contains("<strong>1/2</strong>") && sub.text.contains("Trường THCS Gia Thụy"))
            #expect(!sub.text.contains("Công ty Cổ phần May Đức Giang"))
            let subCSV = try await p.subStaff.get("/campaigns/DVK-2024/reminders.csv")
            #expect(subCSV.text.components(separatedBy: "\r\n").count == 3)

            for (who, status) in [(p.admin, 200), (p.staff, 200), (p.subStaff, 200), (p.viewer, 200), (p.officer, 403), (p.farStaff, 404)] {
                #expect(try await who.get("/campaigns/DVK-2024/reminders").status.code == UInt(status), "page \(who.username)")
                #expect(try await who.get("/campaigns/DVK-2024/reminders.csv").status.code == UInt(status), "csv \(who.username)")
            }
            #expect(try await p.staff.get("/campaigns/NOPE/reminders").status == .notFound)
        }
    }

    @Test func sixThousandThreeHundredUnitsArePagedFiftyAtATime() async throws {
        try await withApp { app in
            try await run(app, "generate", "--units", "6300", "--initiatives", "0")
            let admin = try await StaffTestKit.visitor(app, "quantri", .admin, at: "GEN")

            let first = try await admin.get("/campaigns/GEN/reminders")

            #expect(first.status == .ok)
            #expect(first.text.contains("<strong>6.300/6.300</strong>"))
            #expect(rows(first.text) == 50)
            #expect(first.text.contains("Trang 1/126") && first.text.contains("rel=\"next\""))
            let last = try await admin.get("/campaigns/GEN/reminders?page=126")
            #expect(rows(last.text) == 50 && last.text.contains("Trang 126/126"))
            let filtered = try await admin.get("/campaigns/GEN/reminders?q=so%206299")
            #expect(rows(filtered.text) == 1 && !filtered.text.contains("class=\"pager\""))
            let csv = try await admin.get("/campaigns/GEN/reminders.csv")
            #expect(csv.text.components(separatedBy: "\r\n").count == 6302)

            // The unit tree at the same scale: children and search are paged too.
            let union = try await admin.get("/units/GEN-I0")
            #expect(union.text.contains("Đơn vị trực thuộc (180)") && union.text.contains("Trang 1/4"))
            #expect(union.text.components(separatedBy: "<li><a href=\"/units/GEN-U").count - 1 == 50)
            let search = try await admin.get("/units?q=co%20so%20thu%20nghiem")
            #expect(search.text.contains("6.300 đơn vị") && search.text.contains("Trang 1/126"))
        }
    }

    private func rows(_ html: String) -> Int {
        guard let body = html.range(of: "<tbody>"), let end = html.range(of: "</tbody>") else { return 0 }
        return html[body.upperBound..<end.lowerBound].components(separatedBy: "<tr>").count - 1
    }
}

/// The lists staff take to Excel: the reminder list and the dashboard's units table, as
/// .xlsx read back by the app's own reader of the format, within the user's scope, a
/// formula-looking name shown as text.
@Suite struct ExcelListsTests {
    /// An exported list: the title lines above its header, the header, the rows.
    static func list(_ data: Data) throws -> (title: [String], header: [String], records: [[String]]) {
        let table = try XLSXReader.table(data)
        let rows = [table.header] + table.records.map(\.fields)
        let at = try #require(rows.firstIndex { $0.first == "Mã đơn vị" })
        return (rows[..<at].map { $0[0] }, rows[at], Array(rows[(at + 1)...]))
    }

    @Test func theReminderListAndTheUnitsTableAsExcel() async throws {
        try await withApp { app in
            let scene = try await RaceTests.scene(app)
            try await app.db.sql().update("units").set("name", to: "=HYPERLINK(\"http://x\")").where("code", .equal, "P1").run()
            try await run(app, "campaign", "sync", "--campaign", "DVK-2024")
            try await RegistrationStore.perform(.submit, campaign: scene.campaign, unitID: scene.s1, actor: "s1", at: Date(), on: app.db)
            let people = try await StaffTestKit.people(app)
            let reminders = try await people.staff.get("/campaigns/DVK-2024/reminders.xlsx")
            #expect(reminders.headers.contentType?.description.contains("spreadsheetml") == true)
            let list = try Self.list(Data(reminders.body.readableBytesView))
            #expect(list.title[0] == "Danh sách đơn vị chưa nộp hồ sơ — Phong trào thi đua “Dân vận khéo” năm 2024")
            #expect(list.title[1].hasPrefix("Phạm vi: Liên đoàn Lao động quận Long Biên. Hạn nộp: trước 00 giờ 00 ngày 16/02/2024"))
            #expect(list.title[2].hasPrefix("Số liệu tính đến ") && list.title[2].hasSuffix("; 1/4 đơn vị đã nộp (gồm 1 hồ sơ chờ duyệt)."))
            #expect(list.header == Reminders.csvHeader)
            #expect(Set(list.records.map { $0[0] }) == ["S2", "P1", "C1"])
            #expect(list.records.first { $0[0] == "P1" }?[1] == "=HYPERLINK(\"http://x\")")
            let units = try await people.subStaff.get("/campaigns/DVK-2024/units.xlsx")
            #expect(units.headers.first(name: .contentDisposition)?.contains("DVK-2024_don-vi_GD_") == true)
            let table = try Self.list(Data(units.body.readableBytesView))
            #expect(table.title[0].hasPrefix("Danh sách đơn vị — ") && table.title[2].contains("1/2 đơn vị đã nộp"))
            #expect(table.records.map { $0[0] } == ["S1", "S2"], "GD's scope only")
            #expect(table.records[0][3] == "Chờ duyệt" && table.records[0][7] == "2")
            // The submission's moment is a date cell (the reader shows it as dd/mm/yyyy hh:mm), not text.
            let first = table.records[0][4]
            #expect(first.wholeMatch(of: /\d\d\/\d\d\/\d{4} \d\d:\d\d/) != nil, "\(first)")
            var inflated = 0
            let xml = try String(decoding: #require(ZIPReader(Data(units.body.readableBytesView))
                .part("xl/worksheets/sheet1.xml", inflated: &inflated, limit: 1 << 20, tooLarge: XLSXReader.unreadable)), as: UTF8.self)
            #expect(xml.contains("<c r=\"E6\" s=\"4\"><v>"), "a serial number styled dd/mm/yyyy hh:mm")
            let waiting = try await people.staff.get("/campaigns/DVK-2024/units.xlsx?status=waiting_review")
            #expect(waiting.headers.first(name: .contentDisposition)?.contains("DVK-2024_don-vi-cho-duyet_LB_") == true)
            let late = try Self.list(Data(waiting.body.readableBytesView))
            #expect(late.title[0].hasPrefix("Danh sách đơn vị: chờ duyệt — "))
            #expect(late.records.map { $0[0] } == ["S1"])
            #expect(try await people.officer.get("/campaigns/DVK-2024/units.xlsx").status == .forbidden)
        }
    }
}
