import DVKCore
import DVKDocuments
import FluentKit
import Foundation

/// The federation's page of the year: the funnel of its subtree per sector, the accepted
/// models with where each stands, and the nominations from below waiting for it.
enum YearPage {
    struct Model {
        var view: Access.CampaignView
        var funnel: [FunnelRow]
        var show: YearQueue.Show
        var rows: [YearQueue.Row]
        var paging: Paging
        var counts: [YearQueue.Show: Int]
        var waiting: [YearQueue.Nomination]
        /// The decisions the caller's federation issued, newest first.
        var decisions: [(number: String, day: CalendarDay, count: Int)] = []
        /// The federation's notes for its year-end report, when the user may write them.
        var notes: ReportNotes.Notes?
        /// The scope's numbers in every campaign it took part in, oldest first.
        var years: [YearQueue.YearNumbers] = []
        var filter = YearQueue.Filter()
        var unitProblem: String?
        var user: CurrentUser { view.user }

        /// The list's query: the filter, the tab, a page.
        func query(show: YearQueue.Show? = nil, page: Int? = nil) -> [(String, String)] {
            [("q", filter.search), ("sector", filter.sector), ("unit", filter.unit?.code ?? ""), ("show", (show ?? self.show).rawValue),
             ("page", page.map(String.init) ?? "")]
        }
    }

    /// The page of a federation's view: its funnel, a page of its list (tab and filter), the
    /// nominations waiting for it, its decisions, its notes and its numbers over the years.
    static func query(view: Access.CampaignView, show: YearQueue.Show, filter: YearQueue.Filter, page: Int?,
                      on db: any Database) async throws -> Model {
        let models = try await YearQueue.models(view, show: show, filter: filter, page: page, on: db)
        var model = Model(view: view, funnel: try await YearQueue.funnel(view, on: db), show: show,
                          rows: models.rows, paging: models.paging, counts: models.counts,
                          waiting: try await YearQueue.nominations(view, on: db))
        model.filter = filter
        model.decisions = try await YearPapers.decisionNumbers(view, on: db)
        if ReportNotes.mayWrite(view) {
            model.notes = try await ReportNotes.load(campaign: view.campaign.id, unit: view.user.unitID, kind: .year, on: db)
        }
        model.years = try await YearQueue.overYears(unitID: view.scope.unitID, user: view.user, on: db)
        return model
    }

    /// Registered and recognised models per sector over the campaigns: a bar per year and
    /// sector (widths by class in steps of 5 %: the content policy allows no inline style).
    static func overYears(_ years: [YearQueue.YearNumbers], name: String) -> Node {
        let top = max(1, years.flatMap { $0.sectors.map(\.registered) }.max() ?? 1)
        func width(_ n: Int) -> Int { Int((20 * Double(n) / Double(top)).rounded()) * 5 }
        var names: [String] = []
        for y in years.reversed() { for s in y.sectors where !names.contains(s.name) { names.append(s.name) } }
        return .group(
            .h2(.text("Qua các năm — \(name)")),
            .div(.class("card"),
                .ul(.class("bars always"), .forEach(names) { sector in
                    .li(.span(.class("name"), .text(sector)), .forEach(years) { y in
                        let s = y.sectors.first { $0.name == sector }
                        return .group(
                            .div(.class("bar collective"), .span(.class("fill w\(width(s?.registered ?? 0))")),
                                 .text("\(y.year): \(Format.number(s?.registered ?? 0)) đăng ký")),
                            .div(.class("bar individual"), .span(.class("fill w\(width(s?.recognised ?? 0))")),
                                 .text("\(y.year): \(Format.number(s?.recognised ?? 0)) được công nhận")))
                    })
                }),
                .p(.class("muted small"), .text("Tổng: " + years.map { "năm \($0.year) đăng ký \(Format.number($0.registered)), được công nhận \(Format.number($0.recognised))" }
                    .joined(separator: "; ") + "."))))
    }

    /// The federation's documents of the year, each as Word and PDF.
    static func documents(_ m: Model) -> Node {
        let c = m.view.campaign.code
        func links(_ kind: YearPapers.Kind, _ formats: [DocumentFormat], query: [(String, String)] = []) -> Node {
            .group(.forEach(formats) { f in
                .group(.text(" "), .a(.class("button small secondary"), .href(SiteURL.yearDocument(campaign: c, kind: kind, format: f).link(query: query)),
                                      .text(f.label)))
            })
        }
        return .group(
            .h2(.id("van-ban-nam"), "Văn bản"),
            .ul(.class("card units"),
                .li(.text(YearPapers.Kind.report.label + " (kết quả theo lĩnh vực và theo đơn vị trực thuộc):"), links(.report, [.docx, .pdf]),
                    .unwrap(m.notes) { ReportNotesForm.view($0, campaign: c, kind: .year, csrf: m.user.csrf) }),
                .li(.text(YearPapers.Kind.nominations.label + ":"), links(.nominations, DocumentFormat.allCases)),
                .if(m.decisions.isEmpty, .li(.class("muted"), "Quyết định công nhận: đơn vị chưa ghi quyết định công nhận nào.")),
                .forEach(m.decisions) { d in
                    .li(.text("Quyết định công nhận số \(d.number) ngày \(d.day.vietnamese) (\(Format.number(d.count)) mô hình), kèm danh sách:"),
                        links(.decision, [.docx, .pdf], query: [("so", d.number)]))
                }))
    }

    static func view(_ m: Model) -> HTMLPage {
        let c = m.view.campaign
        let sectors = Dictionary(c.sectors.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        func tab(_ show: YearQueue.Show) -> Node {
            let current = show == m.show
            return .a(.class(current ? "tab current" : "tab"), .href(SiteURL.year(c.code).link(query: m.query(show: show))),
                      .if(current, .attribute("aria-current", "page")), .text("\(show.label) (\(Format.number(m.counts[show] ?? 0)))"))
        }
        let total = FunnelRow.total(m.funnel)
        return Layout.page(title: "Theo dõi, công nhận mô hình — \(c.title)", user: m.user, body: [
            .p(.class("crumbs small"), .a(.href(.campaign(c.code)), .text("← \(c.title)"))),
            .h1("Theo dõi, công nhận mô hình"),
            .p(.text("Các mô hình của \(m.view.scope.name) và đơn vị trực thuộc sau khi hồ sơ đăng ký được duyệt: báo cáo kết quả, thẩm định, công nhận, đề nghị cấp trên, khen thưởng và công bố lên "),
               .a(.href(.library), "thư viện mô hình tiêu biểu"), .text(".")),
            .h2("Kết quả theo lĩnh vực"),
            .div(.class("scroll"), .table(.class("summary funnel"),
                .caption(.class("sr-only"), "Số mô hình qua từng bước, theo lĩnh vực"),
                .thead(.tr(.th(.attribute("scope", "col"), "Lĩnh vực"), .forEach(FunnelRow.headings) { .th(.attribute("scope", "col"), .text($0)) })),
                .tbody(.forEach(m.funnel + [total]) { row in
                    .tr(.class(row.sector.isEmpty ? "total" : ""), .th(.attribute("scope", "row"), .text(row.name)),
                        .forEach(row.values) { .td(.class("num"), .text(Format.number($0))) })
                }))),
            .p(.class("muted small"), .text("“Đăng ký” đếm như Biểu tổng hợp (hồ sơ đã nộp hoặc đã duyệt); “Đã thẩm định”: đã có kết quả thẩm định, “Thẩm định đạt”: được kết luận đạt; “Cấp dưới đề nghị”: công đoàn cấp dưới đề nghị \(m.view.scope.name) công nhận; “Đề nghị cấp trên”: \(m.view.scope.name) đề nghị cấp trên công nhận. Mỗi mô hình được đếm một lần ở mỗi cột.")),
            .if(!m.waiting.isEmpty, .group(
                .h2(.text("Cấp dưới đề nghị công nhận (\(Format.number(m.waiting.count)))")),
                .ul(.class("card units"), .forEach(m.waiting.prefix(20)) { n in
                    .li(.a(.href(.model(campaign: c.code, unit: n.unitCode, id: n.initiativeId)), .text(n.title)),
                        .span(.class("muted small"), .text(" — \(n.unitName); \(n.fromName) đề nghị lúc \(Format.short(n.createdAt))")))
                }))),
            .if(m.years.count > 1 || !(m.years.first?.sectors.isEmpty ?? true), overYears(m.years, name: m.view.scope.name)),
            .if(m.user.unitKind == .federation, documents(m)),
            .h2("Mô hình"),
            .div(.class("actions"), .a(.class("button secondary"), .href(.yearTable(c.code)), "Tải danh sách mô hình được công nhận (Excel)")),
            filters(m),
            .nav(.class("tabs"), .attribute("aria-label", "Lọc mô hình"), .forEach(YearQueue.Show.allCases) { tab($0) }),
            m.rows.isEmpty ? .p(.class("muted"), .text(m.filter.isEmpty ? "Chưa có mô hình nào ở mục này." : "Không có mô hình nào khớp với điều kiện tìm.")) : .group(
                .div(.class("scroll"), .table(.class("list responsive"),
                    .thead(.tr(.th("Mô hình"), .th("Đơn vị"), .th("Lĩnh vực"), .th("Báo cáo"), .th("Thẩm định của đơn vị mình"), .th("Công nhận"), .th("Thư viện"))),
                    .tbody(.forEach(m.rows) { r in
                        .tr(
                            .td(.dataLabel("Mô hình"), .a(.href(.model(campaign: c.code, unit: r.unitCode, id: r.id)), .text(r.title)),
                                .br(), .span(.class("muted small"), .text(r.registrantName))),
                            .td(.dataLabel("Đơn vị"), .text(r.unitName)),
                            .td(.dataLabel("Lĩnh vực"), .text(sectors[r.sectorCode] ?? r.sectorCode)),
                            .td(.class("num"), .dataLabel("Báo cáo"), .text(Format.number(r.reports))),
                            .td(.dataLabel("Thẩm định"), .unwrap(r.myVerdict.flatMap(Verdict.init(rawValue:))) { v in
                                .span(.class(v == .passed ? "badge ok" : "badge bad"), .text(v.label)) }),
                            .td(.dataLabel("Công nhận"), .text(r.recognitions == 0 ? "—" : "\(r.recognitions) quyết định"),
                                .if(r.mine > 0, .span(.class("muted small"), " (có của đơn vị mình)")),
                                .if(r.nominatedToMe > 0 && r.mine == 0, .span(.class("badge"), " Chờ xét"))),
                            .td(.dataLabel("Thư viện"), .text(r.published > 0 ? "Đã công bố" : "—")))
                    }))),
                Pager.nav(m.paging) { page in SiteURL.year(c.code).link(query: m.query(page: page)) }),
        ])
    }

    /// Search (no diacritics needed), a sector, a unit by code; the tab is kept.
    static func filters(_ m: Model) -> Node {
        let c = m.view.campaign
        return .form(.class("filters"), .method(.get), .action(.year(c.code)), .role("search"),
            .hidden("show", m.show.rawValue),
            .div(.label(.for("q"), "Tìm mô hình"),
                 .input(.type(.search), .id("q"), .name("q"), .value(m.filter.search), .placeholder("tên mô hình, tập thể/cá nhân hoặc đơn vị"))),
            .div(.label(.for("sector"), "Lĩnh vực"),
                 .select(.id("sector"), .attribute("name", "sector"),
                         .option(value: "", label: "Tất cả lĩnh vực", selected: m.filter.sector.isEmpty),
                         .forEach(c.sectors) { .option(value: $0.code, label: $0.name, selected: $0.code == m.filter.sector) })),
            .div(.class(m.unitProblem == nil ? "" : "invalid"), .label(.for("unit"), "Mã đơn vị (kèm đơn vị trực thuộc)"),
                 .input(.type(.text), .id("unit"), .name("unit"), .value(m.filter.unit?.code ?? ""), .placeholder("ví dụ: GD"),
                        .unwrap(m.unitProblem) { _ in .attribute("aria-describedby", "unit-error") }),
                 FormField.message("unit", m.unitProblem)),
            .div(.class("actions"), .button(.type(.submit), "Tìm"),
                 .if(!m.filter.isEmpty || m.unitProblem != nil, .a(.class("button secondary"), .href(SiteURL.year(c.code).link(query: [("show", m.show.rawValue)])), "Bỏ lọc"))))
    }
}
