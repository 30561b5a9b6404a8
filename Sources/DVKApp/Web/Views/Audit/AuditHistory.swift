import DVKCore
import Foundation

/// "Lịch sử thay đổi": the events of an object as a clerk reads them — who (with role and
/// unit), what, on what, when, and each field old → new. Long values fold away. Every
/// value is text: what someone once typed is shown, never run.
enum AuditHistory {
    static func section(_ events: [AuditTrail.Event], title: String = "Lịch sử thay đổi", more: Link? = nil, open: Bool = false) -> Node {
        .section(.class("card history-card"),
            .details(.attribute("open", present: open),
                .summary(.h2(.class("inline"), .text("\(title) (\(events.count >= 100 ? "100 gần nhất" : Format.number(events.count)))"))),
                list(events),
                .unwrap(more) { .p(.a(.href($0), "Xem trong Nhật ký (lọc, tải Excel)")) }))
    }

    static func list(_ events: [AuditTrail.Event]) -> Node {
        events.isEmpty ? .p(.class("muted"), "Chưa có thay đổi nào được ghi.") :
            .ol(.class("history audit"), .forEach(events) { item($0) })
    }

    static func item(_ e: AuditTrail.Event, unit: String = "") -> Node {
        .li(
            .p(.strong(.text(e.actor)), .text(" — \(e.label.lowercasedFirst)"),
               .if(!e.objectLabel.isEmpty, .text(" “\(e.objectLabel)”")),
               .text(" lúc \(Format.short(e.at))"),
               .if(!unit.isEmpty, .span(.class("muted small"), .text(" · \(unit)")))),
            .if(!e.changes.isEmpty, changes(e.changes)),
            .if(!e.details.isEmpty, .ul(.class("small"), .forEach(e.details.sorted { $0.key < $1.key }) { .li(.text("\($0.key): \($0.value)")) })),
            .if(!e.address.isEmpty, .p(.class("muted small"), .text("Từ địa chỉ \(e.address)\(e.requestID.isEmpty ? "" : " · mã yêu cầu \(e.requestID)")")))
        )
    }

    static func changes(_ changes: [AuditChange]) -> Node {
        .div(.class("scroll"), .table(.class("list changes"),
            .thead(.tr(.th("Mục"), .th("Trước"), .th("Sau"))),
            .tbody(.forEach(changes) { c in
                .tr(.td(.dataLabel("Mục"), .text(c.field)), .td(.dataLabel("Trước"), value(c.old)), .td(.dataLabel("Sau"), value(c.new)))
            })))
    }

    static func value(_ text: String) -> Node {
        if text.isEmpty { return .span(.class("muted"), "(trống)") }
        // At most 240 characters, counted up to the 241st only (a campaign's letter counted
        // whole, on every dashboard, was a fortieth of it).
        // A text of at most 240 bytes has at most 240 characters, uncounted.
        if text.utf8.count <= 240 { return .span(.class("pre"), .text(text)) }
        let limit = text.index(text.startIndex, offsetBy: 240, limitedBy: text.endIndex)
        if limit == nil || limit == text.endIndex { return .span(.class("pre"), .text(text)) }
        return .details(.summary(.text(String(text.prefix(160)) + "…")), .span(.class("pre"), .text(text)))
    }
}
