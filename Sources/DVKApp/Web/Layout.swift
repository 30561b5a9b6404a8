import DVKCore
import Plot
import Fluent
import Vapor

/// The page shell every view renders into: header with the user's place, navigation,
/// a flash message, the content. Mobile-first; no JavaScript needed.
enum Layout {
    static func page(title: String, user: CurrentUser?, flash: String? = Flash.current, body: [Node<HTML.BodyContext>]) -> String {
        HTML(
            .lang(.vietnamese),
            .head(
                .encoding(.utf8),
                .viewport(.accordingToDevice),
                .title("\(title) — DVK"),
                .link(.rel(.stylesheet), .href(SiteURL.styles.path))
            ),
            .body(
                .header(.class("top"),
                    .a(.class("brand"), .href(SiteURL.home.path), "DVK", .span(" · Dân vận khéo")),
                    .unwrap(user) { user in
                        .group(
                            .nav(
                                .a(.href(SiteURL.campaigns.path), "Đợt thi đua"),
                                .if(user.role != .officer, .a(.href(SiteURL.units.path), "Đơn vị"))
                            ),
                            .div(.class("who"),
                                .span(.class("name"), .text(user.displayName)),
                                .span(.class("muted"), .text(" · \(user.role.label) · \(user.unitName)")),
                                .form(.class("inline"), .method(.post), .action(SiteURL.logout.path),
                                      csrfField(user.csrf),
                                      .button(.type(.submit), .class("link"), "Đăng xuất"))
                            )
                        )
                    }
                ),
                .main(
                    .unwrap(flash) { .div(.class("alert ok"), .attribute(named: "role", value: "status"), .text($0)) },
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

    static func csrfField(_ token: String?) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name("_csrf"), .value(token ?? ""))
    }

    /// A form that posts with the CSRF token; `confirm` asks the browser to confirm first.
    static func postButton(_ label: String, to url: SiteURL, csrf: String?, style: String = "", confirm: String? = nil,
                           fields: [(String, String)] = []) -> Node<HTML.BodyContext> {
        .form(.class("inline"), .method(.post), .action(url.path),
              csrfField(csrf),
              .forEach(fields) { .input(.type(.hidden), .name($0.0), .value($0.1)) },
              .button(.type(.submit), .class("button \(style)"),
                      .unwrap(confirm) { .attribute(named: "onclick", value: "return confirm('\($0)')") },
                      .text(label)))
    }

    /// The Biểu tổng hợp as on the paper form.
    static func summaryTable(_ summary: Summary) -> Node<HTML.BodyContext> {
        .div(.class("scroll"),
            .table(.class("summary"),
                .thead(
                    .tr(.th(.attribute(named: "rowspan", value: "2"), "TT"),
                        .th(.attribute(named: "rowspan", value: "2"), "Cấp đăng ký thực hiện"),
                        .th(.attribute(named: "colspan", value: "2"), "Tập thể"),
                        .th(.attribute(named: "colspan", value: "2"), "Cá nhân")),
                    .tr(.th("Số lượng tập thể đăng ký thực hiện"), .th("Số lượng mô hình được đăng ký thực hiện"),
                        .th("Số lượng cá nhân đăng ký thực hiện"), .th("Số lượng mô hình được đăng ký thực hiện"))
                ),
                .tbody(
                    .forEach(Array(summary.rows.enumerated())) { i, row in
                        .tr(.td(.class("num"), .text("\(i + 1)")), .td(.text(row.sector.name)),
                            .forEach(row.tally.columns) { .td(.class("num"), .text("\($0)")) })
                    },
                    .tr(.class("total"), .td(), .td("Tổng:"), .forEach(summary.total.columns) { .td(.class("num"), .text("\($0)")) })
                )
            ),
            .unwrap(summary.note) { .p(.class("note"), .text($0)) }
        )
    }

    static func statusBadge(_ status: SubmissionStatus, late: Bool = false, noModel: Bool = false) -> Node<HTML.BodyContext> {
        .span(.class("badge \(status.rawValue)"),
              .text(noModel && status.counts ? "Không đăng ký mô hình" : status.label),
              .if(late, .span(.class("late"), " · nộp muộn")))
    }
}

func routeStyles(_ app: Application) {
    app.get("styles.css") { _ -> Response in
        let response = Response(status: .ok, body: .init(string: Styles.css))
        response.headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}
