import DVKCore
import FluentKit
import Foundation
import SQLKit

/// `/campaigns/{code}/mail`: every message of the campaign about a unit in the user's
/// scope — to whom, when, its state, the server's last answer — newest first; a failed one
/// can be sent again. Searched by the unit's name or code (without diacritics) or the address.
enum MailLog {
    struct Entry: Sendable {
        var row: OutboxRow
        var unitCode: String
        var unitName: String
    }

    struct Model: Sendable {
        var user: CurrentUser
        var campaign: CampaignInfo
        var scopeName: String
        var status: MailStatus?
        var search: String
        var counts: [MailStatus: Int]
        var entries: [Entry]
        var paging: Paging
        var sendsMail: Bool
        var now: Date

        var total: Int { counts.values.reduce(0, +) }
    }

    static func query(_ view: Access.CampaignView, status: MailStatus?, search: String = "", page: Int?, sendsMail: Bool, now: Date,
                      on db: any Database) async throws -> Model {
        let sql = try db.sql()
        let scope = view.scope
        // The unit's stored key, or the address: letters, digits and a few marks only, so no
        // LIKE wildcard comes from the user.
        let key = Standings.searchPattern(search)
        let address = String(search.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber || "@.-_+".contains($0)) }.prefix(254))
        func base(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            var query = select.from(SQLAlias(SQLIdentifier(Outbox.table), as: SQLIdentifier("o")))
                .join(SQLAlias(SQLIdentifier(CampaignUnit.schema), as: SQLIdentifier("cu")), method: SQLJoinMethod.inner,
                      on: SQLBinaryExpression(
                          SQLBinaryExpression(SQLColumn("campaign_id", table: "cu"), .equal, SQLColumn("campaign_id", table: "o")), .and,
                          SQLBinaryExpression(SQLColumn("unit_id", table: "cu"), .equal, SQLColumn("unit_id", table: "o"))))
                .where(SQLColumn("campaign_id", table: "o"), .equal, SQLBind(view.campaign.id))
                .where(SQLColumn("pre", table: "cu"), .greaterThanOrEqual, SQLBind(scope.pre))
                .where(SQLColumn("pre", table: "cu"), .lessThanOrEqual, SQLBind(scope.last))
            if !key.isEmpty {
                let byUnit = SQLBinaryExpression(SQLColumn("search_key", table: "cu"), .like, SQLBind("%" + key + "%"))
                query = address.isEmpty ? query.where(byUnit)
                    : query.where(SQLBinaryExpression(byUnit, .or,
                                                      SQLBinaryExpression(SQLFunction("LOWER", args: SQLColumn("to_address", table: "o")), .like,
                                                                          SQLBind("%" + address + "%"))))
            }
            return query
        }
        var counts: [MailStatus: Int] = [:]
        for row in try await base(sql.select().column(SQLColumn("status", table: "o"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")).groupBy(SQLColumn("status", table: "o")).all() {
            if let s = MailStatus(rawValue: try row.decode(column: "status", as: String.self)) { counts[s] = try row.decode(column: "n", as: Int.self) }
        }
        let total = status.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +)
        let paging = Paging(requested: page, total: total)
        var select = base(sql.select().columns(OutboxRow.listColumns.map { SQLColumn($0, table: "o") as any SQLExpression })
            .column(SQLColumn("code", table: "cu"), as: "unit_code").column(SQLColumn("name", table: "cu"), as: "unit_name"))
        if let status { select = select.where(SQLColumn("status", table: "o"), .equal, SQLBind(status.rawValue)) }
        let rows = try await select.orderBy(SQLColumn("created_at", table: "o"), SQLDirection.descending)
            .orderBy(SQLColumn("id", table: "o"), SQLDirection.ascending)
            .limit(paging.perPage).offset(paging.offset).all()
        let entries = try rows.map {
            Entry(row: try OutboxRow(row: $0), unitCode: try $0.decode(column: "unit_code", as: String.self),
                  unitName: try $0.decode(column: "unit_name", as: String.self))
        }
        return Model(user: view.user, campaign: view.campaign, scopeName: scope.name, status: status, search: search, counts: counts,
                     entries: entries, paging: paging, sendsMail: sendsMail, now: now)
    }

    /// One message, if it is about a unit of the user's scope in this campaign.
    static func entry(_ view: Access.CampaignView, id: UUID, on db: any Database) async throws -> OutboxRow? {
        guard let row = try await Outbox.find(id, on: db), row.campaignID == view.campaign.id, let unitID = row.unitID,
              let unit = try await CampaignUnit.query(on: db).filter(\.$campaignID == view.campaign.id).filter(\.$unitID == unitID).first(),
              view.contains(unit.snapshot)
        else { return nil }
        return row
    }
}
