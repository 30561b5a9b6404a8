import DVKCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// "II. Đánh giá chung" and "III. Đề xuất, kiến nghị": written on the page, printed in the
/// report, one winner when two tabs save over the same version.
@Suite struct ReportNotesTests {
    func reportText(_ visitor: Visitor, _ path: String) async throws -> String {
        let response = try await visitor.get(path)
        #expect(response.status == .ok)
        return try pdfText(response)
    }

    @Test func theClerkWritesTheReportsSectionsOnThePage() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)
            let report = "/campaigns/DVK-2024/units/LB/documents/report.pdf"
            // Before anything is written: the sections are there, with dotted lines to write on.
            let blank = try await reportText(p.staff, report)
            #expect(blank.contains("I. Kết quả đăng ký") && blank.contains("II. Đánh giá chung ....") && blank.contains("III. Đề xuất, kiến nghị ...."),
                    "\(blank.prefix(1500))")
            let dashboard = try await p.staff.get("/campaigns/DVK-2024").text
            #expect(dashboard.contains("name=\"assessment\"") && dashboard.contains("name=\"version\" value=\"0\""))
            let saved = try await p.staff.post("/campaigns/DVK-2024/report-notes/dang-ky",
                                               ["assessment": "Các đơn vị triển khai <nghiêm túc>.", "proposals": "Đề nghị tổ chức tập huấn.", "version": "0"])
            #expect(saved.status == .seeOther && saved.location == "/campaigns/DVK-2024#van-ban")
            let written = try await reportText(p.staff, report)
            #expect(written.contains("II. Đánh giá chung Các đơn vị triển khai <nghiêm túc>. III. Đề xuất, kiến nghị Đề nghị tổ chức tập huấn."),
                    "\(written.suffix(600))")
            #expect(try await p.staff.get("/campaigns/DVK-2024").text.contains("Các đơn vị triển khai &lt;nghiêm túc&gt;."))
            // A tab that still shows version 0 is told, not obeyed.
            let stale = try await p.staff.post("/campaigns/DVK-2024/report-notes/dang-ky", ["assessment": "Cũ", "proposals": "", "version": "0"])
            #expect(stale.status == .conflict && stale.text.contains("vừa được lưu ở một nơi khác"))
            // The year-end report's notes are their own.
            #expect(try await p.staff.post("/campaigns/DVK-2024/report-notes/tong-ket", ["assessment": "Năm thành công.", "version": "0"]).status == .seeOther)
            #expect(try await reportText(p.staff, "/campaigns/DVK-2024/year/documents/tong-ket.pdf").contains("II. Đánh giá chung Năm thành công."))
            // Who may not: a viewer, an officer, a form without its token; too long is refused in words.
            #expect(try await p.viewer.post("/campaigns/DVK-2024/report-notes/dang-ky", ["assessment": "x", "version": "1"]).status == .forbidden)
            #expect(try await p.officer.post("/campaigns/DVK-2024/report-notes/dang-ky", ["assessment": "x", "version": "1"]).status == .forbidden)
            #expect(try await p.staff.post("/campaigns/DVK-2024/report-notes/dang-ky", ["assessment": "x", "version": "1"], csrf: false).status == .forbidden)
            let long = try await p.staff.post("/campaigns/DVK-2024/report-notes/dang-ky",
                                              ["assessment": String(repeating: "a", count: 10_001), "version": "1"])
            #expect(long.status == .unprocessableEntity && long.text.contains("Phần đánh giá chung dài quá 10.000 ký tự"))
        }
    }

    @Test func twoTabsSavingOverOneVersionMakeOneWinner() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)
            #expect(try await p.staff.post("/campaigns/DVK-2024/report-notes/dang-ky", ["assessment": "Bản đầu", "version": "0"]).status == .seeOther)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for text in ["Tab một", "Tab hai"] {
                    group.addTask { try await p.staff.post("/campaigns/DVK-2024/report-notes/dang-ky", ["assessment": text, "version": "1"]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted { $0.code < $1.code } == [.seeOther, .conflict])
            let lb = try await UnitDirectory.find(code: "LB", on: app.db).requireID()
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            let notes = try await ReportNotes.load(campaign: campaign.id, unit: lb, kind: .registration, on: app.db)
            #expect(notes.version == 2 && ["Tab một", "Tab hai"].contains(notes.assessment))
        }
    }
}
