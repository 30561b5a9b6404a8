import DVKCore
import FluentKit
import Foundation
import SQLKit

/// The hot reads of initiatives and registrants, as raw rows. Fluent's query builder
/// serialises its statement anew on every call (quoting each column's name twice) and fills
/// a model by reflection (`Fields.properties` walks a Mirror for every row): on the unit
/// page and the initiatives API that was a third of a request. The columns are named once
/// here, and a test reads the same rows both ways and compares every field.
///
/// The unit page, the initiatives API and a unit's preview read them as values
/// (`StoredInitiative`, `StoredRegistrant`), both in one statement
/// (`Initiative.storedWithRegistrants`): a model keeps each field in a property
/// wrapper, an object of its own that boxes the value on the way in and casts it on the way
/// out, so filling, reading and freeing the models was a fifth of the initiatives API's
/// time. What reads their fields takes either (`InitiativeFields`, `RegistrantFields`).
extension Initiative {
    static let selectList = [
        "id", "campaign_id", "unit_id", "registrant_id", "sector_code", "title", "title_key", "purpose", "content", "scope", "start_date",
        "end_date", "expected_result", "person_in_charge", "continuity", "continues_id", "search_key", "review_comment", "changed_fields",
        "created_at", "updated_at",
    ].joined(separator: ", ")

    /// A model from a row of `selectList`, as Fluent would have filled it.
    convenience init(row: any SQLRow) throws {
        self.init(try StoredInitiative(row: row))
    }

    /// A model holding a stored initiative's fields, as Fluent would have filled it.
    convenience init(_ s: StoredInitiative) {
        self.init()
        id = s.id
        $id.exists = true
        campaignID = s.campaignID
        unitID = s.unitID
        registrantID = s.registrantID
        sectorCode = s.sectorCode
        title = s.title
        titleKey = s.titleKey
        purpose = s.purpose
        content = s.content
        scope = s.scope
        startDate = s.startDate
        endDate = s.endDate
        expectedResult = s.expectedResult
        personInCharge = s.personInCharge
        continuity = s.continuity
        continuesID = s.continuesID
        searchKey = s.searchKey
        reviewComment = s.reviewComment
        changedFields = s.changedFields
        createdAt = s.createdAt
        updatedAt = s.updatedAt
    }

    /// A unit's initiatives in a campaign, each with its registrant (nil when the row it
    /// names is not the unit's), in one statement: the unit page and the initiatives API read
    /// only the registrants their initiatives name, not every campaign's of the unit.
    static func storedWithRegistrants(campaignID: UUID, unitID: UUID, on db: any Database) async throws
        -> [(initiative: StoredInitiative, registrant: StoredRegistrant?)] {
        try await OfUnitWithRegistrants(binds: [campaignID, unitID]).all(on: db).map { row in
            (try StoredInitiative(row: row), try row.decodeNil(column: "r_id") ? nil : try StoredRegistrant(row: row, columns: .joined))
        }
    }

    /// A unit's ($2) initiatives in a campaign ($1), oldest first (then by title), with each
    /// one's registrant, its columns as `StoredRegistrant.Columns.joined`.
    struct OfUnitWithRegistrants: HotStatement {
        static let sql = """
            SELECT \(Initiative.selectList.split(separator: ", ").map { "i.\($0)" }.joined(separator: ", ")),
              \(Registrant.selectList.split(separator: ", ").map { "r.\($0) AS r_\($0)" }.joined(separator: ", "))
            FROM initiatives i LEFT JOIN registrants r ON r.id = i.registrant_id AND r.unit_id = i.unit_id
            WHERE i.campaign_id = $1 AND i.unit_id = $2 ORDER BY i.created_at, i.title
            """
        let binds: [(any HotValue)?]
    }

    /// The initiatives of several units in a campaign (at most a thousand units a call),
    /// oldest first (then by title).
    static func all(campaignID: UUID, unitIDs: [UUID], on db: any Database) async throws -> [Initiative] {
        guard !unitIDs.isEmpty else { return [] }
        return try await db.sql().raw("""
            SELECT \(unsafeRaw: selectList) FROM initiatives
            WHERE campaign_id = \(bind: campaignID) AND unit_id IN \(SQLGroupExpression(unitIDs.map { SQLBind($0) }))
            ORDER BY created_at, title
            """).all().map(Initiative.init(row:))
    }

    /// The titles of the initiatives `ids` that exist.
    static func titles(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        var out: [UUID: String] = [:]
        for chunk in ids.chunked(1_000) {
            for row in try await db.sql().raw("SELECT id, title FROM initiatives WHERE id IN \(SQLGroupExpression(chunk.map { SQLBind($0) }))").all() {
                out[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "title", as: String.self)
            }
        }
        return out
    }
}

extension Registrant {
    static let selectList = "id, unit_id, kind, name, name_key, title, created_at"

    convenience init(row: any SQLRow) throws {
        self.init(try StoredRegistrant(row: row))
    }

    /// A model holding a stored registrant's fields, as Fluent would have filled it.
    convenience init(_ s: StoredRegistrant) {
        self.init()
        id = s.id
        $id.exists = true
        unitID = s.unitID
        kind = s.kind
        name = s.name
        nameKey = s.nameKey
        title = s.title
        createdAt = s.createdAt
    }

    /// The registrants of several units (at most a thousand a call).
    static func all(unitIDs: [UUID], on db: any Database) async throws -> [Registrant] {
        guard !unitIDs.isEmpty else { return [] }
        return try await db.sql().raw("SELECT \(unsafeRaw: selectList) FROM registrants WHERE unit_id IN \(SQLGroupExpression(unitIDs.map { SQLBind($0) }))")
            .all().map(Registrant.init(row:))
    }
}

/// The fields of an initiative that the pages, the API and the documents read: a model's
/// or a stored value's.
protocol InitiativeFields {
    func requireID() throws -> UUID
    var registrantID: UUID { get }
    var sectorCode: String { get }
    var title: String { get }
    var purpose: String { get }
    var content: String { get }
    var scope: String { get }
    var startDate: String? { get }
    var endDate: String? { get }
    var expectedResult: String { get }
    var personInCharge: String { get }
    var continuity: Continuity { get }
    var continuesID: UUID? { get }
    var reviewComment: String { get }
    var changedFields: String { get }
    var createdAt: Date? { get }
    var updatedAt: Date? { get }
}

/// The fields of a registrant that the pages, the API and the documents read.
protocol RegistrantFields {
    var kind: RegistrantKind { get }
    var name: String { get }
    var title: String { get }
}

extension Initiative: InitiativeFields {}
extension Registrant: RegistrantFields {}

/// An initiative as stored: every column of `Initiative.selectList`, read from a row.
struct StoredInitiative: InitiativeFields, Sendable {
    var id: UUID
    var campaignID: UUID
    var unitID: UUID
    var registrantID: UUID
    var sectorCode: String
    var title: String
    var titleKey: String
    var purpose: String
    var content: String
    var scope: String
    var startDate: String?
    var endDate: String?
    var expectedResult: String
    var personInCharge: String
    var continuity: Continuity
    var continuesID: UUID?
    var searchKey: String
    var reviewComment: String
    var changedFields: String
    var createdAt: Date?
    var updatedAt: Date?

    func requireID() -> UUID { id }

    init(row: any SQLRow) throws {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? {
            try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: T.self)
        }
        id = try row.decode(column: "id", as: UUID.self)
        campaignID = try row.decode(column: "campaign_id", as: UUID.self)
        unitID = try row.decode(column: "unit_id", as: UUID.self)
        registrantID = try row.decode(column: "registrant_id", as: UUID.self)
        sectorCode = try text("sector_code")
        title = try text("title")
        titleKey = try text("title_key")
        purpose = try text("purpose")
        content = try text("content")
        scope = try text("scope")
        startDate = try optional("start_date", String.self)
        endDate = try optional("end_date", String.self)
        expectedResult = try text("expected_result")
        personInCharge = try text("person_in_charge")
        let continuityText = try text("continuity")
        guard let continuity = Continuity(rawValue: continuityText) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "initiatives.continuity “\(continuityText)”"))
        }
        self.continuity = continuity
        continuesID = try optional("continues_id", UUID.self)
        searchKey = try text("search_key")
        reviewComment = try text("review_comment")
        changedFields = try text("changed_fields")
        createdAt = try optional("created_at", Date.self)
        updatedAt = try optional("updated_at", Date.self)
    }
}

/// A registrant as stored: every column of `Registrant.selectList`, read from a row.
struct StoredRegistrant: RegistrantFields, Sendable {
    var id: UUID
    var unitID: UUID
    var kind: RegistrantKind
    var name: String
    var nameKey: String
    var title: String
    var createdAt: Date?

    /// The names of `Registrant.selectList`'s columns in a row: as they are, or prefixed
    /// `r_` when read joined to its initiatives (`Initiative.OfUnitWithRegistrants`).
    struct Columns: Sendable {
        var id, unitID, kind, name, nameKey, title, createdAt: String
        static let plain = Columns(id: "id", unitID: "unit_id", kind: "kind", name: "name", nameKey: "name_key", title: "title", createdAt: "created_at")
        static let joined = Columns(id: "r_" + plain.id, unitID: "r_" + plain.unitID, kind: "r_" + plain.kind, name: "r_" + plain.name,
                                    nameKey: "r_" + plain.nameKey, title: "r_" + plain.title, createdAt: "r_" + plain.createdAt)
    }

    init(row: any SQLRow, columns: Columns = .plain) throws {
        id = try row.decode(column: columns.id, as: UUID.self)
        unitID = try row.decode(column: columns.unitID, as: UUID.self)
        let kindText = try row.decode(column: columns.kind, as: String.self)
        guard let kind = RegistrantKind(rawValue: kindText) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "registrants.kind “\(kindText)”"))
        }
        self.kind = kind
        name = try row.decode(column: columns.name, as: String.self)
        nameKey = try row.decode(column: columns.nameKey, as: String.self)
        title = try row.decode(column: columns.title, as: String.self)
        createdAt = try row.decodeNil(column: columns.createdAt) ? nil : try row.decode(column: columns.createdAt, as: Date.self)
    }
}
