import DVKCore
import FluentKit
import Foundation
import SQLKit

/// What one user can reach: their unit and everything below it, nothing else.
/// Anything out of reach answers "not found", so ids and codes cannot be probed.
enum Access {
    /// Whether `unitID` is the user's unit or below it in the live tree.
    static func isWithin(_ unitID: UUID, of user: CurrentUser, on db: any Database) async throws -> Bool {
        try await walksUp(from: unitID, to: user.unitID, on: db) { _ in true }
    }

    /// Whether the campaigns `issuerID` issued are seen whole from the user's unit: the issuer
    /// is the user's unit or below it in the live tree through federations only (an issuer is
    /// a federation, and only a federation has units below it). `Reachable` walks the same
    /// path downwards.
    static func isAbove(issuer issuerID: UUID, of user: CurrentUser, on db: any Database) async throws -> Bool {
        try await walksUp(from: issuerID, to: user.unitID, on: db) { $0.kind == .federation }
    }

    /// Whether walking up the live tree from `start` reaches `target` within 64 steps, every
    /// unit left behind on the way passing `through`.
    private static func walksUp(from start: UUID, to target: UUID, on db: any Database,
                                through: (Unit) -> Bool) async throws -> Bool {
        var current: UUID? = start
        var steps = 0
        while let id = current, steps < 64 {
            if id == target { return true }
            guard let unit = try await Unit.find(id, on: db), through(unit) else { return false }
            current = unit.parentID
            steps += 1
        }
        return false
    }

    /// Those of `unitIDs` that are the user's unit or below it in the live tree: one query
    /// walking up from all of them at once.
    static func within(_ unitIDs: Set<UUID>, of user: CurrentUser, on db: any Database) async throws -> Set<UUID> {
        guard !unitIDs.isEmpty else { return [] }
        let rows = try await db.sql().raw("""
            WITH RECURSIVE up(start, id, parent, depth) AS (
                SELECT id, id, parent_id, 0 FROM units WHERE id IN (\(SQLList(unitIDs.map { SQLBind($0) })))
                UNION ALL
                SELECT up.start, u.id, u.parent_id, up.depth + 1 FROM up JOIN units u ON u.id = up.parent WHERE up.depth < 64
            )
            SELECT DISTINCT start FROM up WHERE id = \(bind: user.unitID)
            """).all()
        return Set(try rows.map { try $0.decode(column: "start", as: UUID.self) })
    }

    /// A live unit the user may see, by code.
    static func unit(code: String, user: CurrentUser, on db: any Database) async throws -> Unit {
        guard let unit = try await Unit.query(on: db).filter(\.$code == code).first(),
              try await isWithin(unit.id!, of: user, on: db)
        else { throw DomainError.notFound("Không tìm thấy đơn vị “\(code)” trong phạm vi quản lý của đơn vị.") }
        return unit
    }

    /// Who may do what in a campaign, from the user and their place in its tree: one home for
    /// a campaign read whole (`CampaignView`) and one in a list, before its letter is read
    /// (`CampaignHead`).
    protocol Scoped {
        var user: CurrentUser { get }
        /// The topmost unit of the campaign the user may see.
        var scope: SnapshotUnit { get }
    }

    /// A campaign as one user sees it: the part of its frozen tree under `scope`.
    struct CampaignView: Scoped, Sendable {
        var campaign: CampaignInfo
        var user: CurrentUser
        var scope: SnapshotUnit
    }

    /// A campaign the user sees as `Reachable` lists it: what a list chooses by (its code,
    /// year, state, title and issuer) and the user's place in it, without the letter and the
    /// rest of the row that `CampaignInfo` reads. `views(_:on:)` reads the chosen ones whole.
    struct CampaignHead: Scoped, Sendable {
        var id: UUID
        var code: String
        var year: Int
        var state: CampaignState
        var title: String
        var issuerID: UUID
        var user: CurrentUser
        var scope: SnapshotUnit
    }

    static func campaign(code: String, user: CurrentUser, read: Read? = nil, on db: any Database) async throws -> CampaignView {
        try await campaign(code: code, unit: nil, user: user, read: read, on: db).view
    }

    /// The campaign as the user sees it and, when `unitCode` is given, that unit of its
    /// tree inside the user's scope: one query for the campaign, the user's place in its
    /// tree and the unit (every page and API call of a unit starts here).
    /// `read`: the row the request's first statement read with its user (`Read`), used when
    /// it was read for this campaign and, when a unit is asked for, this unit.
    static func campaign(code: String, unit unitCode: String?, user: CurrentUser, read: Read? = nil,
                         on db: any Database) async throws -> (view: CampaignView, unit: SnapshotUnit?) {
        let notFound = DomainError.notFound("Không tìm thấy đợt thi đua “\(code)” trong phạm vi quản lý của đơn vị.")
        let row: (any SQLRow)?
        if let read, read.userID == user.id, read.code == code, unitCode == nil || read.unit == unitCode {
            row = read.row
        } else {
            row = try await CampaignReach(binds: [code, user.unitID, unitCode ?? ""]).first(on: db)
        }
        guard let row, !(try row.decodeNil(column: "c_id")) else { throw notFound }
        let info = try CampaignInfo(row: row, prefix: "c_")
        let view: CampaignView
        if let own = try snapshot(row, prefix: "own_") {
            view = CampaignView(campaign: info, user: user, scope: own)
        } else if let above = try await Self.view(of: info, user: user, on: db) {
            // Above the issuer (rare: the city's staff or viewers): the whole campaign.
            view = above
        } else {
            throw notFound
        }
        guard let unitCode else { return (view, nil) }
        guard let unit = try snapshot(row, prefix: "t_"), view.contains(unit) else {
            throw DomainError.notFound("Không tìm thấy đơn vị “\(unitCode)” trong đợt thi đua này.")
        }
        return (view, unit)
    }

    /// The campaign of a code ($1), the user's unit ($2) in its tree and the unit of a code ($3,
    /// "" for none) there: what every page and API call of a campaign reads, here when the
    /// request's first statement did not read it with the user (`Read`).
    struct CampaignReach: HotStatement {
        static let sql = "SELECT \(Access.reachColumns) FROM campaigns c \(Access.reachJoins(own: "$2", unit: "$3")) WHERE c.code = $1"
        let binds: [(any HotValue)?]
    }

    /// `CampaignReach`'s columns: the campaign (`c_`), the user's unit in its tree (`own_`)
    /// and the unit asked for (`t_`).
    static let reachColumns = campaignAndOwnColumns + ", " + unitColumns.map { "tu.\($0) AS t_\($0)" }.joined(separator: ", ")

    /// `CampaignReach`'s joins from the campaign `c`: the unit `own` (its id) and the unit
    /// of the code `unit`.
    static func reachJoins(own: String, unit: String) -> String {
        """
        LEFT JOIN campaign_units own ON own.campaign_id = c.id AND own.unit_id = \(own) \
        LEFT JOIN campaign_units tu ON tu.campaign_id = c.id AND tu.code = \(unit)
        """
    }

    /// A campaign's reach read by the request's first statement, with its user
    /// (`AuthStore.TokenUserReach`, `SessionUserReach`), for the codes its path names
    /// (`codes(inTarget:)`): one round trip fewer for every page and API call of a unit. The
    /// path is read before routing, so it is a guess: `campaign(code:unit:user:read:on:)`
    /// takes the row only when the route's own codes are the ones it was read for.
    struct Read: Sendable {
        /// The user it was read for.
        var userID: UUID
        var code: String
        /// "" when the path names no unit.
        var unit: String
        var row: any SQLRow
    }

    /// The campaign and unit codes of a path `…/campaigns/C[/units/U]…` (also under
    /// `/api/v1`); when the path names no unit, the query's `unit=`. nil for any other path,
    /// and no code that would need decoding (a `%`, a `+`) or is longer than any code: the
    /// route then reads the campaign itself. Read on every signed-in request, so it only
    /// scans bytes.
    ///
    /// Read from the request's target as sent (`/path?query#fragment`): Vapor's `url.path`
    /// makes the path anew through Foundation's `replacingOccurrences` on each call (1.4 µs,
    /// a percent of a unit page); its `url.string` is kept. A target that is not a path
    /// (`http://host/…`) names nothing here.
    static func codes(inTarget target: String) -> (code: String, unit: String)? {
        // By bytes: "#" and "?" are ASCII, so each index is also a character's.
        let uri = Substring(target).utf8
        let end = uri.firstIndex(of: UInt8(ascii: "#")) ?? uri.endIndex
        let question = uri[..<end].firstIndex(of: UInt8(ascii: "?"))
        return codes(inPath: Substring(uri[..<(question ?? end)]), query: question.map { Substring(uri[uri.index(after: $0)..<end]) })
    }

    private static func codes(inPath path: Substring, query: Substring?) -> (code: String, unit: String)? {
        var rest = path.utf8
        let slash = UInt8(ascii: "/")
        if rest.starts(with: APIRoute.base.utf8), rest.dropFirst(APIRoute.base.utf8.count).first == slash {
            rest = rest.dropFirst(APIRoute.base.utf8.count)
        }
        guard rest.starts(with: "/campaigns/".utf8) else { return nil }
        rest = rest.dropFirst(11)
        func plain(_ part: Substring.UTF8View.SubSequence) -> String? {
            guard !part.isEmpty, part.count <= 100, !part.contains(UInt8(ascii: "%")), !part.contains(UInt8(ascii: "+")) else { return nil }
            return String(Substring(part))
        }
        func next() -> Substring.UTF8View.SubSequence {
            let end = rest.firstIndex(of: slash) ?? rest.endIndex
            defer { rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...] }
            return rest[..<end]
        }
        guard let code = plain(next()) else { return nil }
        if next().elementsEqual("units".utf8), case let part = next(), !part.isEmpty {
            guard let unit = plain(part) else { return nil }
            return (code, unit)
        }
        // `?unit=` (the summary API's): its last value, as the route reads it, when plain.
        let unit = (query ?? "").utf8.split(separator: UInt8(ascii: "&")).last { $0.starts(with: "unit=".utf8) }
        return (code, unit.flatMap { plain($0.dropFirst(5)) } ?? "")
    }

    /// A campaign's columns (`c_`) and the user's unit's in its tree (`own_`), as
    /// `CampaignInfo(row:prefix:)` and `snapshot(_:prefix:)` read them.
    static let campaignAndOwnColumns = (CampaignInfo.columns.map { "c.\($0) AS c_\($0)" } + unitColumns.map { "own.\($0) AS own_\($0)" })
        .joined(separator: ", ")

    /// The campaigns the user ($1 their unit) sees, newest first, each with the user's place
    /// in it (`own_`): those whose tree holds the unit (by `campaign_units_unit`), then those
    /// issued at or below the unit through federations in the live tree (`isAbove`), seen whole
    /// from above (the root as `own_`). The walk goes down the unit's federations only
    /// (`units_parent_kind`) and finds their campaigns by `campaigns_issuer`: its cost follows
    /// the user's own campaigns and the federations below them, never the database's
    /// campaigns or issuers (a walk up from every issuer took 86–120 ms on PostgreSQL at 757
    /// issuers). It begins with SELECT (the walk inside), so on SQLite it runs on the loop's
    /// reader.
    struct Reachable: HotStatement {
        static let sql = reachable(choosing: "")
        let binds: [(any HotValue)?]
    }

    /// `Reachable`'s campaigns in the states $2 (a list): the open ones of home, the
    /// library's replication and the digests; those a unit's page may add it to.
    struct ReachableInStates: HotStatement {
        static let sql = reachable(choosing: "AND c.state = ANY($2)")
        static let sqliteSQL = reachable(choosing: "AND c.state IN $2")
        let binds: [(any HotValue)?]
    }

    /// `Reachable`'s campaigns whose tree holds the unit $2, each with that unit's place in
    /// its tree (`h_`) and the campaign's sectors (`c_sectors`): a unit's numbers over the
    /// years, in one statement.
    struct ReachableHolding: HotStatement {
        static let sql = reachable(holding: true)
        let binds: [(any HotValue)?]
    }

    /// The text of `Reachable` and its variants, `choosing` (after AND) applied in both
    /// branches: one walk, so the variants cannot see differently, and only the chosen rows
    /// are made (3,000 campaigns' rows made and dropped were 25 ms of a city's home page).
    /// `holding` joins the unit $2 in each campaign's tree (`ReachableHolding`).
    private static func reachable(choosing: String = "", holding: Bool = false) -> String {
        let columns = headAndOwnColumns + (holding ? ", c.sectors AS c_sectors, " + unitColumns.map { "h.\($0) AS h_\($0)" }.joined(separator: ", ") : "")
        return """
        SELECT \(columns)
        FROM campaign_units own JOIN campaigns c ON c.id = own.campaign_id
        \(holding ? "JOIN campaign_units h ON h.campaign_id = c.id AND h.unit_id = $2" : "")
        WHERE own.unit_id = $1 \(choosing)
        UNION ALL
        SELECT \(columns)
        FROM campaigns c CROSS JOIN campaign_units own \(holding ? "CROSS JOIN campaign_units h" : "")
        WHERE c.issuer_id IN (
            WITH RECURSIVE down(id, depth) AS (
                SELECT u.id, 0 FROM units u WHERE u.id = $1
                UNION ALL
                SELECT u.id, down.depth + 1 FROM down JOIN units u ON u.parent_id = down.id
                WHERE u.kind = 'federation' AND down.depth < 64
            )
            SELECT id FROM down)
          AND own.campaign_id = c.id AND own.pre = 0
          AND NOT EXISTS (SELECT 1 FROM campaign_units o WHERE o.campaign_id = c.id AND o.unit_id = $1) \(choosing)
          \(holding ? "AND h.campaign_id = c.id AND h.unit_id = $2" : "")
        ORDER BY c_year DESC, c_created_at DESC, c_code
        """
    }

    /// The columns of `Reachable`: a campaign's head (`CampaignHead`) and the user's unit in it.
    static let headAndOwnColumns = (["id", "code", "year", "state", "title", "issuer_id", "created_at"].map { "c.\($0) AS c_\($0)" }
        + unitColumns.map { "own.\($0) AS own_\($0)" }).joined(separator: ", ")

    /// Campaigns whole by id ($1, a list), bound as one list so the statement stays prepared.
    struct CampaignsByID: HotStatement {
        private static let select = "SELECT \(CampaignInfo.columns.joined(separator: ", ")) FROM campaigns WHERE id"
        static let sql = select + " = ANY($1)"
        static let sqliteSQL = select + " IN $1"
        let binds: [(any HotValue)?]
    }

    /// The columns of a campaign unit that `snapshot(_:prefix:)` reads (and its campaign's id).
    static let unitColumns = ["id", "campaign_id", "unit_id", "parent_unit_id", "code", "name", "kind", "depth", "pre", "last", "is_target"]

    /// A unit of a campaign's tree from a row with `unitColumns` (prefixed), as a value; nil
    /// when the join found none. A Fluent model made and read back (`CampaignUnit.snapshot`,
    /// each field through Fluent's storage) was 3 % of a unit page's samples for the user's
    /// own unit, and again 3 % for the unit of the path.
    static func snapshot(_ row: any SQLRow, prefix: String) throws -> SnapshotUnit? {
        guard !(try row.decodeNil(column: prefix + "id")) else { return nil }
        return SnapshotUnit(
            unitID: try row.decode(column: prefix + "unit_id", as: UUID.self),
            parentID: try row.decodeNil(column: prefix + "parent_unit_id") ? nil : try row.decode(column: prefix + "parent_unit_id", as: UUID.self),
            code: try row.decode(column: prefix + "code", as: String.self),
            name: try row.decode(column: prefix + "name", as: String.self),
            kind: UnitKind(rawValue: try row.decode(column: prefix + "kind", as: String.self)) ?? .grassroots,
            depth: try row.decode(column: prefix + "depth", as: Int.self),
            pre: try row.decode(column: prefix + "pre", as: Int.self),
            last: try row.decode(column: prefix + "last", as: Int.self),
            isTarget: try row.decode(column: prefix + "is_target", as: Bool.self))
    }

    static func view(of campaign: CampaignInfo, user: CurrentUser, on db: any Database) async throws -> CampaignView? {
        if let own = try await CampaignUnit.query(on: db)
            .filter(\.$campaignID == campaign.id).filter(\.$unitID == user.unitID).first() {
            return CampaignView(campaign: campaign, user: user, scope: own.snapshot)
        }
        // Above the issuer: the whole campaign.
        if try await isAbove(issuer: campaign.issuerID, of: user, on: db),
           let root = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$pre == 0).first() {
            return CampaignView(campaign: campaign, user: user, scope: root.snapshot)
        }
        return nil
    }

    /// Every campaign the user can see, newest first, in one statement (`Reachable`): the
    /// same campaigns and places `campaign(code:user:on:)` gives one at a time, without their
    /// letters. A list chooses among them (a page, a year) before `views(_:on:)` reads any
    /// whole, so its cost follows what it shows, not every campaign in view: a city's
    /// administrator sees thousands. `states` chooses in the statement, so the others are not
    /// even made.
    static func campaignHeads(for user: CurrentUser, in states: [CampaignState]? = nil,
                              on db: any Database) async throws -> [CampaignHead] {
        if states?.isEmpty == true { return [] }
        let rows: [any SQLRow]
        if let states {
            rows = try await ReachableInStates(binds: [user.unitID, states.map(\.rawValue)]).all(on: db)
        } else {
            rows = try await Reachable(binds: [user.unitID]).all(on: db)
        }
        return try rows.compactMap { row in try head(row, user: user, states: states) }
    }

    /// The campaigns the user sees whose tree holds the unit `unitID` inside the user's part
    /// of it, newest first, with the unit's place in each and each campaign's sectors (as
    /// stored, `SectorList` reads them).
    static func campaignHeads(for user: CurrentUser, holding unitID: UUID,
                              on db: any Database) async throws -> [(head: CampaignHead, unit: SnapshotUnit, sectors: String)] {
        try await ReachableHolding(binds: [user.unitID, unitID]).all(on: db).compactMap { row in
            guard let head = try head(row, user: user, states: nil), let unit = try snapshot(row, prefix: "h_"), head.contains(unit) else { return nil }
            return (head, unit, try row.decode(column: "c_sectors", as: String.self))
        }
    }

    /// A row of `Reachable` or a variant as a head; nil outside the user's reach or `states`.
    private static func head(_ row: any SQLRow, user: CurrentUser, states: [CampaignState]?) throws -> CampaignHead? {
        guard let scope = try snapshot(row, prefix: "own_") else { return nil }
        let state = CampaignState(rawValue: try row.decode(column: "c_state", as: String.self)) ?? .draft
        if let states, !states.contains(state) { return nil }
        return CampaignHead(id: try row.decode(column: "c_id", as: UUID.self), code: try row.decode(column: "c_code", as: String.self),
                            year: try row.decode(column: "c_year", as: Int.self), state: state,
                            title: try row.decode(column: "c_title", as: String.self),
                            issuerID: try row.decode(column: "c_issuer_id", as: UUID.self), user: user, scope: scope)
    }

    /// The campaigns of `heads` read whole, in the heads' order, in one statement; one
    /// deleted in between is left out.
    static func views(_ heads: [CampaignHead], on db: any Database) async throws -> [CampaignView] {
        guard !heads.isEmpty else { return [] }
        var info: [UUID: CampaignInfo] = [:]
        for row in try await CampaignsByID(binds: [heads.map(\.id)]).all(on: db) {
            let campaign = try CampaignInfo(row: row)
            info[campaign.id] = campaign
        }
        return heads.compactMap { head in info[head.id].map { CampaignView(campaign: $0, user: head.user, scope: head.scope) } }
    }
}

extension Access.Scoped {
    func contains(_ unit: SnapshotUnit) -> Bool { scope.contains(unit) }
    /// The user sees the whole campaign (issuer or above).
    var isWhole: Bool { scope.pre == 0 }
    /// Staff and administrators whose scope covers the whole campaign run it.
    var canRun: Bool { user.role.manages && isWhole }
    /// Reviews, extensions, reminders: staff and administrators over the unit.
    func canReview(_ unit: SnapshotUnit) -> Bool { user.role.manages && contains(unit) }
    /// Registering: the unit's own officer, or staff typing in for a unit in scope.
    func canRegister(_ unit: SnapshotUnit) -> Bool {
        guard unit.isTarget, contains(unit) else { return false }
        return (user.role == .officer && user.unitID == unit.unitID) || user.role.manages
    }
}
