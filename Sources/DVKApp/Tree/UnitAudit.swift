import DVKCore
import Foundation

/// A unit's fields as the trail compares them, and its events: one place for the unit
/// form, the units import and the CLI.
enum UnitAudit {
    static func fields(_ unit: Unit, parentCode: String) -> [(String, String)] {
        [("Tên đơn vị", unit.name), ("Loại đơn vị", unit.kind.label), ("Mã đơn vị cấp trên", parentCode), ("Email", unit.email),
         ("Số điện thoại", unit.phone), ("Chức vụ người ký", unit.signerTitle), ("Người ký", unit.signerName)]
    }

    static func label(_ unit: Unit) -> String { "\(unit.code) — \(unit.name)" }

    static func created(_ unit: Unit, parentCode: String) -> AuditTrail.Entry {
        AuditTrail.Entry("unit.created", .unit, id: unit.id ?? UUID.random(), label: label(unit), unit: unit.id,
                         changes: AuditChange.diff(fields(unit, parentCode: parentCode).map { ($0.0, "", $0.1) }))
    }

    /// Nothing when nothing changed; "moved" when its parent did.
    static func changed(_ unit: Unit, was: [(String, String)], now: [(String, String)], imported: Bool = false) -> [AuditTrail.Entry] {
        let changes = AuditChange.diff(zip(was, now).map { ($0.0.0, $0.0.1, $0.1.1) })
        guard !changes.isEmpty else { return [] }
        let moved = changes.contains { $0.field == "Mã đơn vị cấp trên" }
        return [AuditTrail.Entry(moved ? "unit.moved" : "unit.changed", .unit, id: unit.id ?? UUID.random(), label: label(unit), unit: unit.id,
                                 changes: changes, details: imported ? ["Nguồn": "nhập từ tệp"] : [:])]
    }
}
