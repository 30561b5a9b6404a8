import DVKCore
import Fluent
import Vapor

/// The page shell every view renders into: header with the user's place, navigation,
/// a flash message, the content. Mobile-first; no JavaScript needed.
enum Layout {
    static func page(title: String, user: CurrentUser?, flash: String? = Flash.current, body: [Node]) -> String {
        Node.html(
            .attribute("lang", "vi"),
            .head(
                .meta(.attribute("charset", "utf-8")),
                .meta(.name("viewport"), .attribute("content", "width=device-width, initial-scale=1")),
                .title("\(title) — DVK"),
                .stylesheet(.styles),
                .script(.script)
            ),
            .body(
                .a(.class("skip"), .href(.fragment("main-content")), "Bỏ qua, đến nội dung chính"),
                .header(.class("top"),
                    .a(.class("brand"), .href(.home), "DVK", .span(" · Dân vận khéo")),
                    .unwrap(user) { user in
                        .group(
                            .nav(
                                .a(.href(.campaigns), "Đợt thi đua"),
                                .if(user.role != .officer, .a(.href(.units), "Đơn vị")),
                                .a(.href(.library), "Thư viện mô hình")
                            ),
                            .div(.class("who"),
                                .a(.class("name"), .href(.account), .text(user.displayName)),
                                .span(.class("muted"), .text(" · \(user.role.label) · \(user.unitName)")),
                                .form(.class("inline"), .method(.post), .action(.logout),
                                      csrfField(user.csrf),
                                      .button(.type(.submit), .class("link"), "Đăng xuất"))
                            )
                        )
                    },
                    .if(user == nil, .nav(.a(.href(.library), "Thư viện mô hình"), .a(.href(.login), "Đăng nhập")))
                ),
                .main(.id("main-content"), .attribute("tabindex", "-1"),
                    .unwrap(flash) { .div(.class("alert ok"), .role("status"), .text($0)) },
                    .group(body)
                )
            )
        ).render()
    }

    static func response(_ html: String, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(string: html))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func csrfField(_ token: String?) -> Node {
        .hidden("_csrf", token ?? "")
    }

    /// A form that posts with the CSRF token; `confirm` asks the browser to confirm first.
    static func postButton(_ label: String, to url: SiteURL, csrf: String?, style: String = "", confirm: String? = nil,
                           fields: [(String, String)] = []) -> Node {
        .form(.class("inline"), .method(.post), .action(url),
              .unwrap(confirm) { .confirm($0) },
              csrfField(csrf),
              .forEach(fields) { .hidden($0.0, $0.1) },
              .button(.type(.submit), .class("button \(style)"), .text(label)))
    }

    /// The Biểu tổng hợp as on the paper form.
    static func summaryTable(_ summary: Summary) -> Node {
        // On a phone the column headings shorten (the group heading says whose) and a
        // legend under the table spells them out.
        func heading(_ long: String, _ short: String) -> Node {
            .th(.span(.class("long"), .text(long)), .span(.class("short"), .text(short)))
        }
        return .div(.class("scroll"),
            .table(.class("summary"),
                .thead(
                    .tr(.th(.attribute("rowspan", "2"), "TT"),
                        .th(.attribute("rowspan", "2"), .span(.class("long"), "Cấp đăng ký thực hiện"), .span(.class("short"), "Lĩnh vực")),
                        .th(.attribute("colspan", "2"), "Tập thể"),
                        .th(.attribute("colspan", "2"), "Cá nhân")),
                    .tr(heading("Số lượng tập thể đăng ký thực hiện", "Số lượng"), heading("Số lượng mô hình được đăng ký thực hiện", "Mô hình"),
                        heading("Số lượng cá nhân đăng ký thực hiện", "Số lượng"), heading("Số lượng mô hình được đăng ký thực hiện", "Mô hình"))
                ),
                .tbody(
                    .forEach(Array(summary.rows.enumerated())) { i, row in
                        .tr(.td(.class("num"), .text("\(i + 1)")), .td(.text(row.sector.name)),
                            .forEach(row.tally.columns) { .td(.class("num"), .text(Format.number($0))) })
                    },
                    .tr(.class("total"), .td(), .td("Tổng:"), .forEach(summary.total.columns) { .td(.class("num"), .text(Format.number($0))) })
                )
            ),
            .p(.class("legend muted small"), "Số lượng: số tập thể (cá nhân) đăng ký thực hiện; Mô hình: số mô hình được đăng ký thực hiện."),
            .unwrap(summary.note) { .p(.class("note"), .text($0)) }
        )
    }

    /// Where a unit stands, as a badge: its phase, and "nộp muộn" / "nộp lại muộn" when so
    /// (the same answers as the API's `late` and `resubmittedLate`).
    static func standingBadge(_ s: Standing) -> Node {
        .span(.class("badge \(s.phase.rawValue)"), .text(s.phase.label),
              .if(s.isLate, .span(.class("late"), " · nộp muộn")),
              .if(s.isResubmittedLate, .span(.class("late"), " · nộp lại muộn")))
    }
}

/// The stylesheet and the one script, served from memory with a day's caching.
func routeAssets(_ app: Application) {
    func asset(_ body: String, type: HTTPMediaType) -> Response {
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
    app.get("styles.css") { _ in asset(Styles.css, type: .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])) }
    app.get("app.js") { _ in asset(Script.js, type: .init(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])) }
}

/// The pages' only script: a form marked `data-confirm` asks before it is sent, and a
/// refused form's error summary (`data-focus`) takes the focus, so a screen reader reads it
/// and the keyboard starts there. Pages work without it; the content policy allows no
/// inline script.
enum Script {
    static let js = """
    document.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-confirm]");
      if (form && !window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
    document.addEventListener("DOMContentLoaded", function () {
      var summary = document.querySelector("[data-focus]");
      if (summary) { summary.focus(); }
    });
    """
}
