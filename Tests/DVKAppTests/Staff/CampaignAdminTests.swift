import DVKCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

@Suite struct CampaignAdminTests {
    @Test func staffCreateACampaignWithEveryField() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            let form = try await staff.get("/campaigns/new")
            #expect(form.status == .ok)
            #expect(form.text.contains("name=\"deadline_time\"") && form.text.contains("name=\"sector_name_0\" value=\"Lĩnh vực kinh tế\"")
                    && form.text.contains("name=\"sector_code_0\" value=\"kinh-te\"")
                    && form.text.contains("value=\"Lĩnh vực an ninh – quốc phòng\""))

            let response = try await staff.post("/campaigns/new", StaffTestKit.campaignForm(targets: "S1, P1"))

            #expect(response.status == .seeOther)
            #expect(response.location == "/campaigns/DVK-2025")
            #expect(response.headers.setCookie?[Flash.cookieName] != nil)
            let campaign = try await CampaignStore.info(code: "DVK-2025", on: app.db)
            #expect(campaign.title == "Phong trào thi đua “Dân vận khéo” năm 2025")
            #expect(campaign.number == "12/LĐLĐ" && campaign.issuedOn == CalendarDay(year: 2025, month: 2, day: 6))
            #expect(campaign.deadline == VietnamTime.instant(CalendarDay(year: 2025, month: 2, day: 16), hour: 17))
            #expect(campaign.recipients == ["Như Kính gửi;", "Lưu: VT, TG."])
            #expect(campaign.body == "Thực hiện Kế hoạch …\n\n- Đăng ký mô hình\n- Gửi về *trước ngày 16/02/2025*")
            #expect(campaign.sectors == Sector.defaults)
            #expect(campaign.signer == Signer(authority: "TM. BAN THƯỜNG VỤ", title: "PHÓ CHỦ TỊCH", name: "Đặng Thị Ánh Nguyệt"))
            #expect(campaign.state == .open && campaign.acceptsLate)
            let targets = try await CampaignUnit.query(on: app.db).filter(\.$campaignID == campaign.id)
                .filter(\.$isTarget == true).sort(\.$code).all(\.$code)
            #expect(targets == ["P1", "S1"])
        }
    }

    /// A deadline already past, and a letter naming another deadline day, are pointed out
    /// to those who run the campaign, on its dashboard and its form; saving is not refused.
    @Test func theFormAndTheDashboardWarnOfAPastDeadlineAndALetterNamingAnotherDay() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            let viewer = try await StaffTestKit.visitor(app, "xem", .viewer, at: "LB")
            var draft = StaffTestKit.campaignForm(targets: "S1, P1")
            draft["state"] = "draft"
            #expect(try await staff.post("/campaigns/new", draft).status == .seeOther)
            // A draft whose deadline has passed; its letter says "trước ngày 16/02/2025", the
            // deadline's own day: no letter warning.
            let dashboard = try await staff.get("/campaigns/DVK-2025").text
            #expect(dashboard.contains("Hạn nộp (trước 17 giờ 00 ngày 16/02/2025) đã qua: nếu mở đợt lúc này"))
            #expect(!dashboard.contains("Nội dung công văn nhắc đến hạn"))
            #expect(!(try await viewer.get("/campaigns/DVK-2025").text.contains("Cần kiểm tra lại đợt thi đua")))
            #expect(try await staff.get("/campaigns/DVK-2025/edit").text.contains("Lưu ý: hạn nộp đã qua."), "opening asks with the warning")
            // Opened, it is in its late period: the pages say so; no warning repeats it.
            #expect(try await staff.post("/campaigns/DVK-2025/state", ["to": "open"]).status == .seeOther)
            #expect(!(try await staff.get("/campaigns/DVK-2025").text.contains("Cần kiểm tra lại đợt thi đua")))
            try await app.db.sql().update("campaigns").set("body", to: "Gửi về LĐLĐ quận chậm nhất ngày 20 tháng 02 năm 2025; hạn nộp: 21/2/2025.\nKế hoạch ngày 05/01/2025.")
                .where("code", .equal, "DVK-2025").run()
            let form = try await staff.get("/campaigns/DVK-2025/edit").text
            #expect(form.contains("Nội dung công văn nhắc đến hạn ngày 20/02/2025, khác hạn nộp của đợt (trước 17 giờ 00 ngày 16/02/2025)"))
            #expect(form.contains("Nội dung công văn nhắc đến hạn ngày 21/02/2025"))
            #expect(!form.contains("05/01/2025, khác"), "a day in a sentence that is not about the deadline")
        }
    }

    @Test func aRefusedFormComesBackWithTheInputAndAMessagePerField() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            var form = StaffTestKit.campaignForm(code: "mã sai", targets: "S1\r\nNOPE, OTHER; GD")
            form["year"] = "năm nay"
            form["deadline_date"] = ""
            form["sectors"] = nil
            for (i, name) in ["Lĩnh vực kinh tế", "Kinh tế"].enumerated() { form["sector_name_\(i)"] = name }
            form["title"] = "Tên đợt giữ nguyên khi lỗi"

            let response = try await staff.post("/campaigns/new", form)

            #expect(response.status == .unprocessableEntity)
            let html = response.text
            #expect(html.contains("value=\"mã sai\""))
            #expect(html.contains("value=\"Tên đợt giữ nguyên khi lỗi\""))
            #expect(html.contains("Mã đợt chỉ gồm chữ không dấu"))
            #expect(html.contains("Năm phải là số từ 2000 đến 2100."))
            #expect(html.contains("Cần nhập ngày hết hạn nộp."))
            #expect(html.contains("dòng 2: “Kinh tế” trùng với “Lĩnh vực kinh tế”"))
            #expect(html.contains("không có đơn vị mã: NOPE"))
            #expect(html.contains("không trực thuộc đơn vị phát động: OTHER"))
            #expect(html.contains("không phải công đoàn cơ sở: GD"))
            #expect(try await Campaign.query(on: app.db).count() == 1)

            // A code already taken and an issuer out of reach are named on their fields.
            let taken = try await staff.post("/campaigns/new", StaffTestKit.campaignForm(code: "DVK-2024", issuer: "HN"))
            #expect(taken.status == .unprocessableEntity)
            #expect(taken.text.contains("Đã có đợt thi đua mã “DVK-2024”"))
            #expect(taken.text.contains("Chọn đơn vị phát động trong danh sách"))
        }
    }

    @Test func editingKeepsTheFrozenTreeUnlessTheTargetsChange() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            let s1 = try await UnitDirectory.find(code: "S1", on: app.db)
            s1.name = "Trường Tiểu học Ngọc Lâm (tên mới)"
            try await s1.save(on: app.db)
            let page = try await staff.get("/campaigns/DVK-2024/edit")
            #expect(page.status == .ok && page.text.contains("value=\"00:00\""))

            var form = StaffTestKit.campaignForm(code: "DVK-2024")
            form["title"] = "Tên đã sửa"
            let saved = try await staff.post("/campaigns/DVK-2024/edit", form)

            #expect(saved.status == .seeOther && saved.location == "/campaigns/DVK-2024")
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            #expect(campaign.title == "Tên đã sửa" && campaign.year == 2025)
            #expect(campaign.deadline == VietnamTime.instant(CalendarDay(year: 2025, month: 2, day: 16), hour: 17))
            let frozen = try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: "S1", on: app.db)
            #expect(frozen.name == "Trường Tiểu học Ngọc Lâm")

            // New targets: the live tree comes in, with only the chosen unit targeted.
            let chosen = try await staff.post("/campaigns/DVK-2024/edit", StaffTestKit.campaignForm(code: "DVK-2024", targets: "S1"))
            #expect(chosen.status == .seeOther)
            let resynced = try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: "S1", on: app.db)
            #expect(resynced.name == "Trường Tiểu học Ngọc Lâm (tên mới)" && resynced.isTarget)
            let targets = try await CampaignUnit.query(on: app.db).filter(\.$campaignID == campaign.id).filter(\.$isTarget == true).all(\.$code)
            #expect(targets == ["S1"])
            let again = try await staff.get("/campaigns/DVK-2024/edit")
            #expect(again.text.contains("value=\"chosen\" checked") && again.text.contains(">S1</textarea>"))
            #expect(again.text.contains(" · 1 công đoàn cơ sở tham gia · "))
        }
    }

    @Test func editingRefusesWhatWouldLoseRegistrations() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            let p1 = try await UnitDirectory.find(code: "P1", on: app.db).requireID()
            try await RegistrationStore.save(InitiativeDraft(kind: .collective, registrantName: "Tổ 1", sectorCode: "kinh-te", title: "A"),
                                             campaign: campaign, unitID: p1, actor: "t", at: Date(), on: app.db)
            var form = StaffTestKit.campaignForm(code: "DVK-2024")
            form["sectors"] = "van-hoa-xa-hoi | Lĩnh vực văn hóa – xã hội"

            let dropSector = try await staff.post("/campaigns/DVK-2024/edit", form)

            #expect(dropSector.status == .conflict)
            #expect(dropSector.text.contains("Không thể bỏ “Lĩnh vực kinh tế” (mã kinh-te): đã có 1 mô hình"))
            #expect(dropSector.text.contains("name=\"sector_name_0\" value=\"Lĩnh vực văn hóa – xã hội\""))
            #expect(dropSector.text.contains("name=\"sector_code_0\" value=\"van-hoa-xa-hoi\""))

            let dropUnit = try await staff.post("/campaigns/DVK-2024/edit", StaffTestKit.campaignForm(code: "DVK-2024", targets: "S1"))
            #expect(dropUnit.status == .conflict)
            #expect(dropUnit.text.contains("Không thể bỏ khỏi đợt thi đua các đơn vị đã đăng ký: P1."))
            #expect(try await CampaignStore.info(code: "DVK-2024", on: app.db) == campaign)
        }
    }

    @Test func stateChangesFollowTheCampaignRulesAndComeBackToTheDashboard() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")

            let closed = try await staff.post("/campaigns/DVK-2024/state", ["to": "closed"])
            #expect(closed.status == .seeOther && closed.location == "/campaigns/DVK-2024")
            #expect(try await CampaignStore.info(code: "DVK-2024", on: app.db).state == .closed)

            let backToDraft = try await staff.post("/campaigns/DVK-2024/state", ["to": "draft"])
            #expect(backToDraft.status == .conflict)
            #expect(backToDraft.text.contains("Không thể chuyển đợt thi đua từ “Đã đóng” sang “Bản nháp”."))

            let syncClosed = try await staff.post("/campaigns/DVK-2024/sync")
            #expect(syncClosed.status == .conflict && syncClosed.text.contains("danh sách đơn vị được giữ nguyên"))

            #expect(try await staff.post("/campaigns/DVK-2024/state", ["to": "archived"]).status == .seeOther)
            let archived = try await staff.get("/campaigns/DVK-2024/edit")
            #expect(archived.status == .ok && archived.text.contains("đã lưu trữ nên chỉ xem được") && !archived.text.contains("name=\"title\""))
            let edit = try await staff.post("/campaigns/DVK-2024/edit", StaffTestKit.campaignForm(code: "DVK-2024"))
            #expect(edit.status == .conflict && edit.text.contains("đã lưu trữ nên không sửa được nữa"))
            #expect(try await staff.post("/campaigns/DVK-2024/state", ["to": "bogus"]).status == .badRequest)
        }
    }

    @Test func openingADraftAndResyncingTakeTheLiveTree() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            var form = StaffTestKit.campaignForm(code: "NHAP")
            form["state"] = "draft"
            // On PostgreSQL each of the three bulk writes below refreshes the planner's statistics.
            let analyzed = try await CLITests.analyzeCount(app)
            #expect(try await staff.post("/campaigns/new", form).status == .seeOther)
            try await run(app, "import", "units", try tempFile("code,name,parent_code,kind\nC2,Công ty mới,LB,grassroots\n"))

            #expect(try await staff.post("/campaigns/NHAP/state", ["to": "open"]).status == .seeOther)
            let opened = try await CampaignStore.info(code: "NHAP", on: app.db)
            #expect(opened.state == .open)
            #expect(try await CampaignStore.snapshotUnit(campaignID: opened.id, code: "C2", on: app.db).isTarget)

            try await run(app, "import", "units", try tempFile("code,name,parent_code,kind\nC3,Công ty mới nữa,LB,grassroots\n"))
            let synced = try await staff.post("/campaigns/NHAP/sync")
            #expect(synced.status == .seeOther && synced.location == "/campaigns/NHAP")
            #expect(try await CampaignStore.snapshotUnit(campaignID: opened.id, code: "C3", on: app.db).isTarget)
            // The command-line import between them analyzed once more.
            if let analyzed { #expect(try await CLITests.analyzeCount(app) == analyzed + 5) }
        }
    }

    @Test func everyStateChangingFormNeedsTheCSRFToken() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            for (path, form) in [("/campaigns/new", StaffTestKit.campaignForm()),
                                 ("/campaigns/DVK-2024/edit", StaffTestKit.campaignForm(code: "DVK-2024")),
                                 ("/campaigns/DVK-2024/state", ["to": "closed"]),
                                 ("/campaigns/DVK-2024/sync", [:])] {
                let response = try await staff.post(path, form, csrf: false)
                #expect(response.status == .forbidden, "\(path)")
                #expect(response.text.contains("phiên làm việc đã hết hạn nên thao tác chưa được thực hiện"))
            }
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            #expect(campaign.state == .open && campaign.year == 2024)
            #expect(try await Campaign.query(on: app.db).count() == 1)
        }
    }

    @Test func whoMayDoWhatWithACampaign() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)
            let edit = StaffTestKit.campaignForm(code: "DVK-2024")
            // GET /campaigns/new: those who manage; viewers and officers refused.
            for (who, status) in [(p.admin, 200), (p.staff, 200), (p.subStaff, 200), (p.farStaff, 200), (p.officer, 403), (p.viewer, 403)] {
                #expect(try await who.get("/campaigns/new").status.code == UInt(status), "new \(who.username)")
            }
            for who in [p.officer, p.viewer] {
                let refused = try await who.post("/campaigns/new", StaffTestKit.campaignForm(code: "X-\(who.username)"))
                #expect(refused.status == .forbidden)
            }
            // Edit page: the form for those who run it, read-only for who only sees it.
            for (who, status, form) in [(p.admin, 200, true), (p.staff, 200, true), (p.subStaff, 200, false),
                                        (p.viewer, 200, false), (p.officer, 403, false), (p.farStaff, 404, false)] {
                let page = try await who.get("/campaigns/DVK-2024/edit")
                #expect(page.status.code == UInt(status), "edit \(who.username)")
                #expect(page.text.contains("name=\"title\"") == form, "edit form \(who.username)")
            }
            // Writes: the issuer and above; 403 in scope, 404 out of it.
            for (who, status) in [(p.admin, 303), (p.staff, 303), (p.subStaff, 403), (p.viewer, 403), (p.officer, 403), (p.farStaff, 404)] {
                #expect(try await who.post("/campaigns/DVK-2024/edit", edit).status.code == UInt(status), "update \(who.username)")
                #expect(try await who.post("/campaigns/DVK-2024/sync").status.code == UInt(status), "sync \(who.username)")
            }
            for (who, status) in [(p.subStaff, 403), (p.viewer, 403), (p.officer, 403), (p.farStaff, 404)] {
                #expect(try await who.post("/campaigns/DVK-2024/state", ["to": "closed"]).status.code == UInt(status), "state \(who.username)")
            }
            #expect(try await CampaignStore.info(code: "DVK-2024", on: app.db).state == .open)
            #expect(try await p.admin.post("/campaigns/DVK-2024/state", ["to": "closed"]).status == .seeOther)
            // The refusal says why, in Vietnamese.
            let sub = try await p.subStaff.post("/campaigns/DVK-2024/sync")
            #expect(sub.text.contains("Chỉ cán bộ của đơn vị phát động (Liên đoàn Lao động quận Long Biên) hoặc cấp trên"))
            #expect(try await p.officer.get("/campaigns/new").text.contains("dành cho cán bộ công đoàn cấp trên"))
            #expect(try await p.viewer.get("/campaigns/new").text.contains("chỉ được xem"))
            // A sub-federation's staff launch campaigns from their own unit only.
            let subForm = try await p.subStaff.get("/campaigns/new")
            #expect(subForm.text.contains("value=\"GD\"") && !subForm.text.contains("value=\"LB\""))
        }
    }

    /// The sectors as rows: an existing row keeps its code, a new one gets a code made from
    /// its name, the order numbers sort them, an emptied name removes a sector.
    @Test func sectorsAsRowsKeepCodesMakeNewOnesAndFollowTheOrder() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            var form = StaffTestKit.campaignForm(code: "DVK-ROWS")
            form["sectors"] = nil
            let rows = [("kinh-te", "Lĩnh vực kinh tế", "3"), ("van-hoa-xa-hoi", "", "2"), ("", "Lĩnh vực chuyển đổi số", "1"),
                        ("an-ninh-quoc-phong", "Lĩnh vực an ninh – quốc phòng", "2"), ("", "", "5")]
            for (i, row) in rows.enumerated() {
                form["sector_code_\(i)"] = row.0
                form["sector_name_\(i)"] = row.1
                form["sector_order_\(i)"] = row.2
            }
            let created = try await staff.post("/campaigns/new", form)
            #expect(created.status == .seeOther)
            let campaign = try await CampaignStore.info(code: "DVK-ROWS", on: app.db)
            #expect(campaign.sectors == [Sector(code: "chuyen-doi-so", name: "Lĩnh vực chuyển đổi số"),
                                         Sector(code: "an-ninh-quoc-phong", name: "Lĩnh vực an ninh – quốc phòng"),
                                         Sector(code: "kinh-te", name: "Lĩnh vực kinh tế")])
            // The edit form shows them as rows, in that order, with their codes.
            let page = try await staff.get("/campaigns/DVK-ROWS/edit").text
            #expect(page.contains("name=\"sector_name_0\" value=\"Lĩnh vực chuyển đổi số\""))
            #expect(page.contains("name=\"sector_code_0\" value=\"chuyen-doi-so\""))
            // A name twice and an order that is not a number: refused under the sectors, nothing saved.
            var twice = form
            twice["code"] = "DVK-ROWS2"
            twice["sector_name_1"] = "LĨNH VỰC KINH TẾ"
            twice["sector_name_4"] = "Lĩnh vực y tế"
            twice["sector_order_4"] = "x"
            let refused = try await staff.post("/campaigns/new", twice)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("trùng với “LĨNH VỰC KINH TẾ”") && refused.text.contains("thứ tự “x” phải là số"))
            #expect(refused.text.contains("id=\"sectors-error\""))
            #expect(try await Campaign.query(on: app.db).filter(\.$code == "DVK-ROWS2").count() == 0)
        }
    }

    /// Two tabs create the same campaign (rows, chosen units, upper letter) at once: one
    /// campaign with its sectors and targets, the other told why, never a 500.
    @Test func twoTabsCreatingOneCampaignMakeOne() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
            var form = StaffTestKit.campaignForm(code: "DVK-TWICE", targets: "S1\nP1")
            form["sectors"] = nil
            form["sector_name_0"] = "Lĩnh vực kinh tế"
            form["sector_name_1"] = "Lĩnh vực chuyển đổi số"
            form["basis"] = "Công văn số 274/LĐLĐ ngày 05/02/2025 của LĐLĐ thành phố Hà Nội"
            let sent = form
            for _ in 0..<3 {
                let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                    for _ in 0..<4 { group.addTask { try await staff.post("/campaigns/new", sent).status } }
                    return try await group.reduce(into: [HTTPResponseStatus]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .seeOther }.count <= 1, "\(statuses)")
                #expect(statuses.allSatisfy { [.seeOther, .conflict, .unprocessableEntity].contains($0) }, "\(statuses)")
            }
            #expect(try await Campaign.query(on: app.db).filter(\.$code == "DVK-TWICE").count() == 1)
            let made = try await CampaignStore.info(code: "DVK-TWICE", on: app.db)
            #expect(made.sectors.map(\.code) == ["kinh-te", "chuyen-doi-so"] && made.basis.hasPrefix("Công văn số 274"))
            let targets = try await CampaignUnit.query(on: app.db).filter(\.$campaignID == made.id).filter(\.$isTarget == true).all(\.$code)
            #expect(Set(targets) == ["S1", "P1"])
        }
    }

    /// “Xem trước”: the letter as typed, as a PDF shown in the browser; nothing is saved, and
    /// only those who may launch a campaign from that issuer get one.
    @Test func theLetterPreviewPrintsWhatIsTypedAndSavesNothing() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)
            var form = StaffTestKit.campaignForm(code: "DVK-PREVIEW")
            form["body"] = "Đề nghị các công đoàn cơ sở *đăng ký sớm*.\n\n- Gửi về trước ngày 16/02/2025"
            let preview = try await p.staff.post("/campaigns/letter-preview.pdf", form)
            #expect(preview.status == .ok)
            #expect(preview.headers.first(name: .contentType) == "application/pdf")
            #expect(preview.headers.first(name: .contentDisposition)?.hasPrefix("inline") == true)
            let file = try tempFile("", suffix: ".pdf")
            try Data(preview.body.readableBytesView).write(to: URL(fileURLWithPath: file))
            let text = try ExportTests().tool("/usr/bin/pdftotext", [file, "-"]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            for expected in ["Số: 12/LĐLĐ", "Đề nghị các công đoàn cơ sở đăng ký sớm.", "- Gửi về trước ngày 16/02/2025", "Đặng Thị Ánh Nguyệt"] {
                #expect(text.contains(expected), "preview misses “\(expected)”")
            }
            #expect(!text.contains("*"))
            #expect(try await Campaign.query(on: app.db).filter(\.$code == "DVK-PREVIEW").count() == 0)
            // Without the token, for an officer or a viewer, from an issuer out of reach: refused.
            #expect(try await p.staff.post("/campaigns/letter-preview.pdf", form, csrf: false).status == .forbidden)
            #expect(try await p.officer.post("/campaigns/letter-preview.pdf", form).status == .forbidden)
            #expect(try await p.viewer.post("/campaigns/letter-preview.pdf", form).status == .forbidden)
            #expect(try await p.subStaff.post("/campaigns/letter-preview.pdf", form).status == .forbidden)
            // An existing campaign's preview prints the names it froze, like its download, and
            // only for those who run it.
            try await run(app, "import", "units", try tempFile("code,name,parent_code,kind\nLB,Công đoàn phường Long Biên mới,HN,federation\n"))
            var edit = form
            edit["campaign"] = "DVK-2024"
            edit["issuer"] = ""
            let frozen = try await p.staff.post("/campaigns/letter-preview.pdf", edit)
            #expect(frozen.status == .ok)
            let frozenFile = try tempFile("", suffix: ".pdf")
            try Data(frozen.body.readableBytesView).write(to: URL(fileURLWithPath: frozenFile))
            let frozenText = try ExportTests().tool("/usr/bin/pdftotext", [frozenFile, "-"]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(frozenText.contains("LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN") && !frozenText.contains("MỚI"))
            #expect(try await p.subStaff.post("/campaigns/letter-preview.pdf", edit).status == .forbidden)
            #expect(try await p.farStaff.post("/campaigns/letter-preview.pdf", edit).status == .notFound)
            // A body over its length says so.
            form["body"] = String(repeating: "Nội dung. ", count: 2_100)
            let long = try await p.staff.post("/campaigns/letter-preview.pdf", form)
            #expect(long.status == .unprocessableEntity && long.text.contains("Nội dung công văn"))
        }
    }
}

@Suite struct LandingTests {
    @Test func staffWithOneOpenCampaignLandOnItsDashboardAndWithTwoOnTheList() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let people = try await StaffTestKit.people(app)
            #expect(try await people.staff.get("/").location == "/campaigns/DVK-2024")
            #expect(try await people.viewer.get("/").location == "/campaigns/DVK-2024")
            #expect(try await people.officer.get("/").location == "/campaigns/DVK-2024/units/S1")
            #expect(try await people.staff.post("/campaigns/new", StaffTestKit.campaignForm()).status == .seeOther)
            #expect(try await people.staff.get("/").location == "/campaigns")
        }
    }

    /// A city's list holds every district's campaign of every year: it is read 50 at a time,
    /// newest year first, with a tab per year and its count; a year or a page out of range
    /// shows the nearest. The API chooses by year and state, and refuses a malformed one.
    @Test func theCampaignListIsPagedAndChosenByYear() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)
            for i in 1...60 {
                let year = i <= 30 ? 2023 : 2025
                _ = try await CampaignStore.create(CampaignInput(code: String(format: "X%02d", i), issuerCode: "LB", year: year,
                                                                 issuedOn: CalendarDay(year: year, month: 2, day: 6),
                                                                 deadline: VietnamTime.instant(CalendarDay(year: year, month: 3, day: 31)),
                                                                 state: i % 2 == 0 ? .open : .draft), at: Date(), on: app.db)
            }
            func codes(_ html: String) -> [String] {
                html.components(separatedBy: "<h2><a href=\"/campaigns/").dropFirst().map { String($0.prefix { $0 != "\"" && $0 != "/" }) }
            }
            let first = try await p.staff.get("/campaigns").text
            #expect(codes(first).count == 50)
            #expect(Array(codes(first).prefix(30)).sorted() == (31...60).map { String(format: "X%02d", $0) }, "the newest year first")
            #expect(first.contains("Tất cả các năm (61)") && first.contains("Năm 2025 (30)") && first.contains("Năm 2024 (1)") && first.contains("Năm 2023 (30)"))
            #expect(first.contains("Trang 1/2"))
            let second = try await p.staff.get("/campaigns?page=2").text
            #expect(codes(second).count == 11)
            #expect(Set(codes(first)).union(codes(second)) == Set((1...60).map { String(format: "X%02d", $0) } + ["DVK-2024"]))
            let old = try await p.staff.get("/campaigns?year=2023").text
            #expect(codes(old).sorted() == (1...30).map { String(format: "X%02d", $0) })
            #expect(old.contains("aria-current=\"page\">Năm 2023 (30)") && !old.contains("Trang 1/"))
            #expect(codes(try await p.staff.get("/campaigns?year=1999&page=99").text).count == 11, "an unknown year: all years, the last page")
            #expect(codes(try await p.farStaff.get("/campaigns").text).isEmpty, "another district's staff see none of them")

            let token = Caller.token(try await APIFixture.token(app, "api-lb", .staff, unit: "LB"))
            let all = try await api(app, .GET, "/api/v1/campaigns", as: token)
            #expect(all.json?.array?.count == 61)
            let chosen = try await api(app, .GET, "/api/v1/campaigns?year=2023&state=open", as: token)
            #expect(chosen.json?.array?.compactMap { $0["code"]?.string } .sorted() == stride(from: 2, through: 30, by: 2).map { String(format: "X%02d", $0) })
            #expect(chosen.json?.array?.allSatisfy { $0["year"]?.int == 2023 && $0["state"]?.string == "open" } == true)
            for bad in ["year=23", "year=+024", "year=2023x", "year=", "state=mo", "state=open&year=２０２３"] {
                let refused = try await api(app, .GET, "/api/v1/campaigns?\(bad.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? bad)", as: token)
                #expect(refused.status == .badRequest && refused.errorCode == "bad_request", "\(bad)")
            }
        }
    }

    /// A campaign's parsed texts (the letter's lists, sectors, reminders, criteria) are kept
    /// while they stay the same; any of them changed in the database, as another server
    /// would change it, is read at once, and the row and the model give the same campaign.
    @Test func aCampaignsTextsAreReadAgainOnceChanged() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let model = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            #expect(try await CampaignStore.info(id: model.id, on: app.db) == model)
            #expect(try await CampaignStore.info(id: model.id, on: app.db) == model, "again, from what was kept")
            let sectors = [Sector(code: "mot", name: "Lĩnh vực một"), Sector(code: "hai", name: "Lĩnh vực hai")]
            let json = String(decoding: try JSONEncoder().encode(sectors), as: UTF8.self)
            let changes: [(String, String)] = [("addressees", "Ban Chấp hành\nCác tổ công đoàn"), ("recipients", "Lưu: VT."), ("reminder_days", "5, 1"),
                                               ("reminder_time", "09:30"), ("criteria", "Tiêu chí một\nTiêu chí hai"), ("sectors", json)]
            for (column, value) in changes {
                try await app.db.sql().raw("UPDATE campaigns SET \(unsafeRaw: column) = \(bind: value) WHERE id = \(bind: model.id)").run()
                let read = try #require(try await CampaignStore.info(id: model.id, on: app.db))
                #expect(read == (try await CampaignStore.info(code: "DVK-2024", on: app.db)), "\(column)")
            }
            let read = try #require(try await CampaignStore.info(id: model.id, on: app.db))
            #expect(read.addressees == ["Ban Chấp hành", "Các tổ công đoàn"] && read.recipients == ["Lưu: VT."])
            #expect(read.reminders == (try ReminderSchedule.parse(days: "5, 1", time: "09:30").get()) && read.reminders != model.reminders)
            #expect(read.criteria == ["Tiêu chí một", "Tiêu chí hai"] && read.sectors == sectors)

            // The same letters spelled decomposed are another text (String's == calls them equal).
            let composed = "Ban Chấp hành công đoàn".precomposedStringWithCanonicalMapping
            let decomposed = composed.decomposedStringWithCanonicalMapping
            #expect(composed == decomposed && !composed.utf8.elementsEqual(decomposed.utf8))
            try await app.db.sql().raw("UPDATE campaigns SET addressees = \(bind: composed) WHERE id = \(bind: model.id)").run()
            #expect(try await CampaignStore.info(id: model.id, on: app.db)?.addressees.map { Array($0.utf8) } == [Array(composed.utf8)])
            try await app.db.sql().raw("UPDATE campaigns SET addressees = \(bind: decomposed) WHERE id = \(bind: model.id)").run()
            let respelled = try #require(try await CampaignStore.info(id: model.id, on: app.db))
            #expect(respelled.addressees.map { Array($0.utf8) } == [Array(decomposed.utf8)])

            // Past its bounds (campaigns, bytes) the cache starts over and every read stays right;
            // a campaign too big to keep is parsed each time.
            func raw(_ n: Int, _ long: Int = 0) -> CampaignTexts.Raw {
                CampaignTexts.Raw(addressees: "Đơn vị \(n)" + String(repeating: "x", count: long), recipients: "", sectors: json,
                                  reminderDays: "7, 1", reminderTime: "08:00", criteria: "")
            }
            let ids = (0..<(CampaignTexts.capacity + 10)).map { _ in UUID() }
            for (n, id) in ids.enumerated() { #expect(CampaignTexts.parsed(campaign: id, raw(n)).addressees == ["Đơn vị \(n)"]) }
            for (n, id) in ids.enumerated().reversed() { #expect(CampaignTexts.parsed(campaign: id, raw(n + 1)).addressees == ["Đơn vị \(n + 1)"]) }
            for n in 0..<40 { #expect(CampaignTexts.parsed(campaign: ids[n], raw(n, 400_000)).addressees.first?.utf8.count == "Đơn vị \(n)".utf8.count + 400_000) }
            let big = raw(1, 2_000_000)
            #expect(CampaignTexts.parsed(campaign: ids[0], big).addressees.first?.utf8.count == big.addressees.utf8.count)
            #expect(CampaignTexts.parsed(campaign: ids[0], raw(7)).addressees == ["Đơn vị 7"])
        }
    }
}
