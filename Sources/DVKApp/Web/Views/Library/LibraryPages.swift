import DVKCore
import DVKDocuments
import Foundation

/// The public library's pages: the search, one model, and the Atom feed.
enum LibraryPages {
    /// A level of the filter: its name, and the federations that recognised at it.
    static func levelName(_ level: Int, _ names: [String]) -> String {
        let who = names.count <= 2 ? names.joined(separator: ", ") : names.prefix(2).joined(separator: ", ") + " và \(names.count - 2) đơn vị khác"
        return RecognitionLevel.name(depth: level) + " (" + who + ")"
    }

    static func search(_ p: Library.Page, choices: Library.Choices, user: CurrentUser?) -> HTMLPage {
        let f = p.filter
        func link(page: Int) -> Link {
            var query: [(String, String)] = [("q", f.query)]
            if let y = f.year { query.append(("year", String(y))) }
            if let s = f.sector, !s.isEmpty { query.append(("sector", s)) }
            if let l = f.level { query.append(("level", String(l))) }
            if let fed = f.federation, !fed.isEmpty { query.append(("federation", fed)) }
            query.append(("page", String(page)))
            return SiteURL.library.link(query: query)
        }
        let paging = Paging(requested: f.page, total: p.total, perPage: Library.perPage)
        return Layout.page(title: "Thư viện mô hình “Dân vận khéo” tiêu biểu", user: user, body: [
            .h1("Thư viện mô hình “Dân vận khéo” tiêu biểu"),
            .p(.text("Các mô hình đã được công đoàn các cấp công nhận và công bố, để các đơn vị học tập, nhân rộng. "),
               .a(.href(.libraryFeed), "Theo dõi mô hình mới (Atom)")),
            .form(.class("filters card"), .method(.get), .action(.library), .role("search"),
                .div(.class("field"), .label(.for("q"), "Tìm mô hình", .span(.class("hint"), " — gõ có dấu hoặc không dấu, vd “thuy”, “hoa”")),
                     .input(.type(.search), .id("q"), .name("q"), .value(f.query))),
                .div(.class("row4"),
                    FormField.select("year", "Năm", options: [("", "Tất cả")] + choices.years.map { (String($0), String($0)) },
                                     selected: f.year.map(String.init) ?? "", errors: FieldErrors()),
                    FormField.select("sector", "Lĩnh vực", options: [("", "Tất cả")] + choices.sectors.map { ($0.code, $0.name) },
                                     selected: f.sector ?? "", errors: FieldErrors()),
                    FormField.select("level", "Cấp công nhận cao nhất", options: [("", "Tất cả")] + choices.levels.map { (String($0.level), levelName($0.level, $0.names)) },
                                     selected: f.level.map(String.init) ?? "", errors: FieldErrors()),
                    FormField.select("federation", "Thuộc công đoàn", options: [("", "Tất cả")] + choices.federations.map { ($0.code, $0.name) },
                                     selected: f.federation ?? "", errors: FieldErrors())),
                .div(.class("actions"), .button(.type(.submit), "Tìm"))),
            .p(.role("status"), .text(p.total == 0 ? "Không tìm thấy mô hình nào."
                : p.more ? "Tìm thấy hơn \(Format.number(p.total)) mô hình; trang này cho xem \(Format.number(p.total)) mô hình mới nhất, vui lòng thêm từ hoặc bộ lọc để thu hẹp."
                : "Tìm thấy \(Format.number(p.total)) mô hình.")),
            .if(!f.query.isEmpty && LibrarySearch(f.query).words.isEmpty,
                .p(.class("hint"), "Từ tìm kiếm cần có ít nhất 2 chữ cái; các từ một chữ cái được bỏ qua.")),
            .ol(.class("library"), .forEach(p.items) { item in
                let recs = p.recognitions[item.initiativeId] ?? []
                return .li(.class("card"),
                    .h2(.class("h3"), .a(.href(.libraryEntry(item.initiativeId)), .text(item.title)),
                        .if(item.exemplary, .span(.class("badge ok"), " Tiêu biểu"))),
                    .p(.class("muted small"), .text("\(item.kind.label): \(item.registrantName) · \(item.unitName) · \(item.sectorName) · năm \(item.year)")),
                    .unwrap(recs.first) { r in .p(.class("small"), .text("Công nhận: \(r.byName), Quyết định số \(r.decisionNumber)")) })
            }),
            Pager.nav(paging) { link(page: $0) },
        ])
    }

    static func entry(_ e: Library.Entry, user: CurrentUser?) -> HTMLPage {
        let i = e.item, m = e.model
        let photos = e.files.filter(\.isImage), documents = e.files.filter { !$0.isImage }
        return Layout.page(title: i.title + " — Thư viện mô hình tiêu biểu", user: user, body: [
            .p(.class("crumbs small"), .a(.href(.library), "← Thư viện mô hình tiêu biểu")),
            .h1(.text(i.title), .if(i.exemplary, .span(.class("badge ok"), " Tiêu biểu"))),
            .div(.class("card"), .dl(.class("facts"),
                .dt(.text(i.kind.label)), .dd(.text(i.registrantName)),
                .dt("Đơn vị"), .dd(.text(i.unitName)),
                .dt("Lĩnh vực"), .dd(.text(Sector.shortName(i.sectorName))),
                .dt("Năm"), .dd(.text(String(i.year))),
                .dt("Công nhận"), .dd(.ul(.class("plain"), .forEach(e.recognitions) { r in
                    .li(.text("\(r.byName), Quyết định số \(r.decisionNumber) ngày \(r.day?.vietnamese ?? r.decisionDate)"), .if(r.exemplary, .text(" — tiêu biểu")))
                })),
                .if(!e.commendations.isEmpty, .group(.dt("Khen thưởng"), .dd(.ul(.class("plain"), .forEach(e.commendations) { k in
                    .li(.text("\(k.kind.label) của \(k.byName), Quyết định số \(k.decisionNumber) ngày \(k.day?.vietnamese ?? k.decisionDate)"))
                })))))),
            .if(!m.purpose.isEmpty, .group(.h2("Mục đích"), .p(.class("prewrap"), .text(m.purpose)))),
            .if(!m.content.isEmpty, .group(.h2("Nội dung"), .p(.class("prewrap"), .text(m.content)))),
            .if(!m.scope.isEmpty, .group(.h2("Phạm vi"), .p(.class("prewrap"), .text(m.scope)))),
            // What the unit expected, apart from what its reports say was done.
            .if(!m.expectedResult.isEmpty, .group(.h2("Kết quả dự kiến"), .p(.class("prewrap"), .text(m.expectedResult)))),
            .h2("Kết quả thực hiện"),
            e.reports.isEmpty ? .p(.class("muted"), "Chưa có báo cáo kết quả thực hiện.") : ModelPage.figures(e.results),
            .forEach(e.reports) { r in
                .div(.class("card"), .p(.strong(.text("Báo cáo ngày \(r.day?.vietnamese ?? r.reportedOn)"))), .p(.class("prewrap"), .text(r.body)))
            },
            // A photo reads as its caption; without one, as "Ảnh n của mô hình “…”", never as
            // the file's name.
            .if(!photos.isEmpty, .group(.h2("Hình ảnh"), .div(.class("photos"), .forEach(photos.enumerated()) { n, p in
                let alt = p.caption.isEmpty ? "Ảnh \(n + 1) của mô hình “\(i.title)”" : p.caption
                let image = Node.voidElement("img", [.attribute("src", SiteURL.libraryFile(i.initiativeId, p.id).path),
                                                     .attribute("alt", alt), .attribute("loading", "lazy")])
                return Node.element("figure", [image, .if(!p.caption.isEmpty, Node.element("figcaption", [.text(p.caption)]))])
            }))),
            .if(!documents.isEmpty, .group(.h2("Tài liệu"), .ul(.forEach(documents) { d in
                .li(.a(.href(.libraryFile(i.initiativeId, d.id)), .text(d.caption.isEmpty ? d.shownName : d.caption)),
                    .if(!d.caption.isEmpty, .span(.class("muted small"), .text(" (\(d.shownName))"))))
            }))),
            .if(!e.replications.isEmpty, .group(.h2("Được nhân rộng tại"), .ul(.forEach(e.replications) { r in
                .li(.text("\(r.unitCode) (năm \(r.year)): "), r.published ? .a(.href(.libraryEntry(r.id)), .text(r.title)) : .text(r.title))
            }))),
            .if(user?.role == .officer, .p(.a(.class("button secondary"), .href(.libraryReplicate(i.initiativeId)), "Đăng ký nhân rộng mô hình này tại đơn vị mình"))),
            .if(e.lineage.contains(where: \.published), .group(.h2("Mô hình qua các năm"), .ol(.class("lineage"),
                .forEach(e.lineage.filter { $0.published && $0.earlier }) { l in .li(.text("\(l.year): "), .a(.href(.libraryEntry(l.id)), .text(l.title))) },
                .li(.strong(.text("\(i.year): \(i.title)"))),
                .forEach(e.lineage.filter { $0.published && !$0.earlier }) { l in .li(.text("\(l.year): "), .a(.href(.libraryEntry(l.id)), .text(l.title))) }))),
        ])
    }

    /// The newest published models as an Atom feed (RFC 4287).
    /// The feed, its links under `base` (DVK_PUBLIC_URL) or relative to the feed when there
    /// is none; every text through the XML escaper, so no stored character breaks it.
    static func atom(_ items: [Library.Item], base: String?) -> String {
        let x = XML.escape
        let base = base ?? ""
        let updated = items.first.map { VietnamTime.iso($0.publishedAt) } ?? VietnamTime.iso(Date(timeIntervalSince1970: 0))
        var out = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <title>Thư viện mô hình “Dân vận khéo” tiêu biểu</title>
            <id>\(base.isEmpty ? "tag:dvk,2024:library" : x(base + SiteURL.library.path))</id>
            <link rel="self" href="\(x(base + SiteURL.libraryFeed.path))"/>
            <link href="\(x(base + SiteURL.library.path))"/>
            <updated>\(updated)</updated>

            """
        for item in items {
            let url = base + SiteURL.libraryEntry(item.initiativeId).path
            out += """
                <entry>
                <title>\(x(item.title))</title>
                <id>urn:uuid:\(item.initiativeId.canonicalText.lowercased())</id>
                <link href="\(x(url))"/>
                <updated>\(VietnamTime.iso(item.publishedAt))</updated>
                <author><name>\(x(item.unitName))</name></author>
                <summary>\(x("\(item.kind.label): \(item.registrantName) — \(item.unitName) — \(item.sectorName), năm \(item.year)"))</summary>
                </entry>

                """
        }
        return out + "</feed>\n"
    }
}
